"""Outgoing webhook delivery benchmark (§9).

Starts, on this machine: a throw-away PostgreSQL database (migrated), a local
HTTP receiver (its own process) and ONE Celery worker on Redis, then measures

1. throughput: N events emitted in one transaction to one endpoint;
   deliveries/second as seen by the receiver (steady state: first to last
   arrival), and the worker's CPU time per delivery;
2. latency: events emitted one per transaction at half that rate (or --rate),
   by a few emitter threads so the rate holds; the time from an event's commit
   to its arrival at the receiver, p50 / p99.

Every delivery is the real path: emit → fan_out_event task (one per committed
transaction, split into batches; it creates the first attempts already claimed,
signs, POSTs over a keep-alive connection and records the attempts and the
downstream calls). Everything it started is stopped and the database dropped
at the end (the worker's queue is private to the run).

The default worker is one process with a pool of 4 threads: a task spends most
of its time waiting on the receiver and PostgreSQL, so threads overlap those
waits inside one process; prefork (one process per CPU) pays a second set of
connections and competes with PostgreSQL and the receiver for the two cores.
(The threads pool does not enforce Celery time limits; a delivery task is
bounded anyway — it starts no send after its 2 s budget and each send has its
own 10 s limits — and a late worker's claim check keeps it from recording twice.)

    .venv/bin/python bench/webhooks_delivery.py --help
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUEUE = "bench_webhooks"

RECEIVER = r"""
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = open(sys.argv[2], "a", buffering=1)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        log.write(f"{self.headers.get('webhook-id')} {time.time():.6f}\n")
        # One write: headers and body apart would meet Nagle + delayed ACK (40 ms).
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.daemon_threads = True
server.serve_forever()
"""

WORKER = (
    "import sys; from instantreply.celery import app; "
    f"app.conf.task_default_queue = {QUEUE!r}; "
    "app.worker_main(sys.argv[1:])"
)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg-url",
        default="postgres://root@127.0.0.1:5432",
        help="PostgreSQL server, no database name (default %(default)s)",
    )
    parser.add_argument(
        "--db", default="bench_webhooks", help="database to create and drop (default %(default)s)"
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/4",
        help="Redis broker (default %(default)s); only this run's queue is touched",
    )
    parser.add_argument(
        "--port", type=int, default=18480, help="receiver port (default %(default)s)"
    )
    parser.add_argument(
        "--events",
        type=int,
        default=4000,
        help="events in the throughput run (default %(default)s)",
    )
    parser.add_argument(
        "--pool",
        default="threads",
        choices=["threads", "prefork", "solo"],
        help="worker pool (default %(default)s)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help="worker pool size (default %(default)s)",
    )
    parser.add_argument(
        "--latency-seconds",
        type=float,
        default=10.0,
        help="length of the latency run (default %(default)s)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="events/s of the latency run (default: half the measured throughput)",
    )
    parser.add_argument(
        "--emitters",
        type=int,
        default=4,
        help="threads emitting in the latency run, each event its own transaction "
        "(default %(default)s)",
    )
    return parser.parse_args()


def env_for(args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{args.pg_url.rstrip('/')}/{args.db}",
            "REDIS_URL": args.redis_url,
            "DJANGO_SETTINGS_MODULE": "instantreply.settings",
            "DEBUG": "false",
            "INSTANTREPLY_TESTING": "false",
            "INSTANTREPLY_ALLOW_DEV_SECRETS": "true",  # throw-away database
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "INSTANTREPLY_VAR_DIR": tempfile.gettempdir() + "/instantreply-bench-webhooks",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",  # the receiver is on 127.0.0.1
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def admin_sql(args, statement: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{args.pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(args.db)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def read_arrivals(path: str) -> dict[str, float]:
    out = {}
    with open(path) as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 2:
                out.setdefault(parts[0], float(parts[1]))
    return out


def wait_arrivals(path: str, ids: set[str], timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while True:
        arrivals = read_arrivals(path)
        if ids <= arrivals.keys() or time.monotonic() > deadline:
            return arrivals
        time.sleep(0.2)


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (prefork pool)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            with open(f"/proc/{current}/task/{current}/children") as fh:
                pids += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def stop(proc) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main() -> int:
    args = parse_args()
    env = env_for(args)
    workdir = tempfile.mkdtemp(prefix="bench-webhooks-")
    arrivals_path = os.path.join(workdir, "arrivals.log")
    worker_log = os.path.join(workdir, "worker.log")
    open(arrivals_path, "w").close()
    receiver = worker = None
    created_db = False
    try:
        admin_sql(args, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        admin_sql(args, "CREATE DATABASE {}")
        created_db = True
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.db import transaction

        from instantreply.celery import app
        from instantreply.core import services as core_services
        from webhooks import services
        from webhooks.events import emit
        from webhooks.models import Event, WebhookDelivery

        app.conf.task_default_queue = QUEUE
        app.conf.task_always_eager = False

        receiver = subprocess.Popen(
            [PYTHON, "-c", RECEIVER, str(args.port), arrivals_path], start_new_session=True
        )
        worker = subprocess.Popen(
            [
                PYTHON,
                "-c",
                WORKER,
                "worker",
                "-Q",
                QUEUE,
                "--pool",
                args.pool,
                "--concurrency",
                str(args.concurrency),
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(worker_log, "w"),  # noqa: SIM115 - lives as long as the worker
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        time.sleep(3)
        workspace = core_services.workspace_create(name="Bench webhooks", tier="scale")
        services.webhook_endpoint_create(
            workspace=workspace,
            livemode=True,
            url=f"http://127.0.0.1:{args.port}/hooks",
            events=["*"],
            description="bench",
            key_scopes=["*"],
        )

        def fire() -> Event:
            return emit(
                workspace_id=workspace.id,
                livemode=True,
                type="contact.updated",
                data={"id": "cont_bench", "name": "Ana", "tags": ["vip"]},
                object_id="cont_bench",
                previous_attributes={"name": "Bo"},
            )

        # Warm-up: connections, imports, pools.
        warm = {fire().id for _ in range(50)}
        wait_arrivals(arrivals_path, warm, 60)

        print(
            f"worker: 1 process, pool={args.pool}, concurrency={args.concurrency}; "
            f"receiver on :{args.port}; {os.cpu_count()} CPUs, load average "
            + " ".join(f"{x:.1f}" for x in os.getloadavg())
        )
        # 1. Throughput.
        with transaction.atomic():
            ids = {fire().id for _ in range(args.events)}
        cpu_before = tree_cpu_seconds(worker.pid)
        committed = time.time()
        arrivals = wait_arrivals(arrivals_path, ids, 300)
        cpu_used = tree_cpu_seconds(worker.pid) - cpu_before
        times = sorted(arrivals[i] for i in ids if i in arrivals)
        missing = len(ids) - len(times)
        steady = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
        overall = len(times) / (times[-1] - committed) if times else 0.0
        print(
            f"throughput: {len(times)} deliveries, {steady:.0f}/s steady (first→last arrival), "
            f"{overall:.0f}/s from commit to last arrival"
            + (f", {missing} MISSING" if missing else "")
        )
        if times:
            print(
                f"worker CPU: {cpu_used:.1f} s for {len(times)} deliveries = "
                f"{cpu_used / len(times) * 1000:.2f} ms per delivery "
                f"(one core would cap it at {len(times) / cpu_used:.0f}/s)"
                if cpu_used
                else "worker CPU: not measurable"
            )

        # 2. Latency at half that rate.
        rate = args.rate or max(1.0, steady / 2)
        emitted: dict[str, float] = {}
        interval = 1.0 / rate
        start = time.perf_counter() + 0.2
        slots = int(args.latency_seconds * rate)

        def emitter(first: int) -> None:
            # Slot n is due at start + n * interval; emitter k takes every k-th slot.
            from django.db import connection

            try:
                for n in range(first, slots, args.emitters):
                    pause = start + n * interval - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    event = fire()
                    emitted[event.id] = time.time()
            finally:
                connection.close()

        cpu_before = tree_cpu_seconds(worker.pid)
        threads = [
            threading.Thread(target=emitter, args=(k,)) for k in range(max(1, args.emitters))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        achieved = len(emitted) / (time.perf_counter() - start)
        arrivals = wait_arrivals(arrivals_path, set(emitted), 120)
        latencies = [arrivals[i] - t for i, t in emitted.items() if i in arrivals]
        cpu_used = tree_cpu_seconds(worker.pid) - cpu_before
        lost = len(emitted) - len(latencies)
        print(
            f"latency at {achieved:.0f} events/s for {args.latency_seconds:.0f} s ({len(latencies)} events): "
            f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms; worker CPU "
            f"{cpu_used / max(1, len(latencies)) * 1000:.2f} ms per delivery"
            + (f", {lost} MISSING" if lost else "")
        )
        failed = WebhookDelivery.objects.exclude(status="succeeded").count()
        print(f"delivery rows not succeeded: {failed}")
        from django.db import connections

        connections.close_all()
        return 0 if not missing and not lost else 1
    finally:
        stop(worker)
        stop(receiver)
        try:
            import redis

            redis.Redis.from_url(args.redis_url).delete(
                QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}"
            )
        except Exception as exc:  # cleanup must not hide the figures
            print(f"could not delete queue {QUEUE}: {exc}")
        if created_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:
                pass
            admin_sql(args, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        print(f"cleaned up (worker log kept in {worker_log})")


if __name__ == "__main__":
    sys.exit(main())
