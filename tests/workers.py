"""Real Celery worker processes for tests of concurrency and crash safety.

The worker connects to the *test* database (the one pytest-django created) and the
test run's Redis, so tests using it need ``transactional_db`` (rows committed) and
a Redis-backed run (marked ``redis`` and ``postgres``).
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_env(**extra) -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
            "REDIS_URL": settings.REDIS_URL or "",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "INSTANTREPLY_TESTING": "true",
            "META_GRAPH_API_URL": settings.META_GRAPH_API_URL,
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"
            if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
            else "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextmanager
def celery_worker(concurrency: int = 1, pool: str = "prefork", queues: str | None = None, **env):
    """Start ``celery -A instantreply worker``; yields the Popen; stops it (SIGTERM,
    then SIGKILL) on exit."""
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "instantreply",
        "worker",
        "--concurrency",
        str(concurrency),
        "--pool",
        pool,
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if queues:
        cmd += ["-Q", queues]
    # var/ may not exist yet in a fresh clone (production mode creates nothing there).
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"test-worker-{os.getpid()}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=worker_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(2.5)  # let it connect before tests publish
        yield proc
    finally:
        stop_process_group(proc)
        log.close()


def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM to a process started with ``start_new_session=True`` and its
    children, SIGKILL after 10 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout:.1f}s")
