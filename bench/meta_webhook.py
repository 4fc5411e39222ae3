"""Benchmark of Meta's way in: /meta/webhook acknowledgement latency under 200
concurrent signed POSTs against gunicorn (PostgreSQL + Redis), then the sustained
rate at which one Celery worker turns the stored events into contacts,
conversations and messages.

    .venv/bin/python bench/meta_webhook.py            # defaults: 4,000 posts, 200 at once
    .venv/bin/python bench/meta_webhook.py --help

It creates a throw-away PostgreSQL database, migrates it, connects a WhatsApp
channel, starts gunicorn and (for phase 2) one worker on the given port/Redis db,
prints the figures and removes everything it started.

Phase 1 (acknowledgement): POSTs signed exactly as Meta signs them, each carrying
one customer message, sent by an asyncio client holding ``--concurrency``
requests in flight. Reported: client-seen latency (connect → full response,
including time queued in gunicorn's backlog) and the server's own handling time
from the request log (middleware + signature + INSERT + enqueue). No worker runs,
so the events queue up in Redis, as they would behind a slow worker.

Phase 2 (processing): one worker (``--worker-concurrency`` processes, default 1)
drains the queue; messages/second = messages created ÷ time from the first to
the last event processed.
"""

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PHONE_NUMBER_ID = "109000000000900"
APP_SECRET = "bench-meta-app-secret"


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg-url",
        default="postgres://root@127.0.0.1:5432",
        help="PostgreSQL server, no db name (default %(default)s)",
    )
    parser.add_argument(
        "--db",
        default="bench_ir_meta_webhook",
        help="database to create and drop (default %(default)s)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/3",
        help="broker + cache (default %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=18350, help="gunicorn port (default %(default)s)"
    )
    parser.add_argument(
        "--gunicorn-workers", type=int, default=4, help="sync workers (default %(default)s)"
    )
    parser.add_argument(
        "--posts", type=int, default=4000, help="signed POSTs in phase 1 (default %(default)s)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=200, help="POSTs in flight (default %(default)s)"
    )
    parser.add_argument(
        "--batch", type=int, default=1, help="messages per POST (default %(default)s)"
    )
    parser.add_argument(
        "--contacts", type=int, default=500, help="distinct customers writing (default %(default)s)"
    )
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=1,
        help="processes of the one worker (default %(default)s)",
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
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
            "INSTANTREPLY_ALLOW_DEV_SECRETS": "true",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "META_APP_SECRET": APP_SECRET,
            "INSTANTREPLY_VAR_DIR": "/tmp/instantreply-bench-meta-var",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def admin(args):
    import psycopg

    return psycopg.connect(f"{args.pg_url.rstrip('/')}/postgres", autocommit=True)


def recreate_db(args, drop_only=False):
    from psycopg import sql

    with admin(args) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.db)))


def setup(args) -> None:
    recreate_db(args)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env_for(args),
        check=True,
    )
    os.environ.update(env_for(args))
    import django

    django.setup()
    from conversations.services import channel_connect
    from instantreply.core import services

    workspace = services.workspace_create(name="Bench", tier="scale")
    channel_connect(
        workspace=workspace,
        platform="whatsapp",
        name="Bench WhatsApp",
        external_id=PHONE_NUMBER_ID,
        access_token="bench-token",
        waba_id="209000000000900",
    )
    # Tasks left in the broker by an earlier interrupted run would skew phase 2.
    import redis

    client = redis.Redis.from_url(args.redis_url)
    for key in ("celery", "unacked", "unacked_index"):
        client.delete(key)


def start(cmd, args, log_name) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env_for(args),
        stdout=subprocess.DEVNULL,
        stderr=open(f"/tmp/{log_name}.log", "w"),
        start_new_session=True,
    )


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_up(port: int) -> None:
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on {port}; see /tmp/ir-bench-meta-gunicorn.log")


def bodies(args, start_index: int, count: int) -> list[bytes]:
    from instantreply.meta import signatures  # noqa: F401  (settings must be loaded)

    now = int(time.time())
    out = []
    for i in range(start_index, start_index + count):
        messages, contacts = [], []
        for j in range(args.batch):
            n = i * args.batch + j
            wa_id = f"1415{n % args.contacts:07d}"
            messages.append(
                {
                    "from": wa_id,
                    "id": f"wamid.BENCH{n:012d}",
                    "timestamp": str(now),
                    "type": "text",
                    "text": {"body": f"Hello, this is message {n}"},
                }
            )
            contacts.append({"wa_id": wa_id, "profile": {"name": f"Customer {n % args.contacts}"}})
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "209000000000900",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "14155550900",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "contacts": contacts,
                                "messages": messages,
                            },
                        }
                    ],
                }
            ],
        }
        out.append(json.dumps(payload).encode())
    return out


async def post_one(port: int, body: bytes, signature: str) -> tuple[float, int, str | None]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /meta/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    writer.write(head + body)
    await writer.drain()
    raw = await reader.read()
    elapsed = time.perf_counter() - started
    writer.close()
    status_line = raw.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 else 0
    request_id = None
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"x-request-id:"):
            request_id = line.split(b":", 1)[1].strip().decode()
    return elapsed, status, request_id


async def load(port: int, payloads: list[bytes], concurrency: int):
    from instantreply.meta.signatures import sign

    signed = [(b, sign(b, APP_SECRET)) for b in payloads]
    queue = iter(signed)
    results = []

    async def runner():
        for body, signature in queue:
            try:
                results.append(await post_one(port, body, signature))
            except OSError as exc:
                results.append((0.0, 0, str(exc)))

    started = time.perf_counter()
    await asyncio.gather(*(runner() for _ in range(concurrency)))
    return results, time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    args = parse_args()
    gunicorn = worker = None
    try:
        print(f"setting up database {args.db} …", flush=True)
        setup(args)
        gunicorn = start(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "instantreply.wsgi",
                "--workers",
                str(args.gunicorn_workers),
                "--bind",
                f"127.0.0.1:{args.port}",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            args,
            "ir-bench-meta-gunicorn",
        )
        wait_up(args.port)
        warm = bodies(args, 10_000_000, 200)
        asyncio.run(load(args.port, warm, 20))

        from django.db import connection

        from conversations.models import Message
        from instantreply.core.models import RequestLog
        from instantreply.meta.models import InboundEvent

        payloads = bodies(args, 0, args.posts)
        print(
            f"phase 1: {args.posts} signed POSTs ({args.batch} message(s) each), {args.concurrency} in flight, "
            f"gunicorn {args.gunicorn_workers} sync workers on :{args.port}",
            flush=True,
        )
        results, wall = asyncio.run(load(args.port, payloads, args.concurrency))
        ok = [r for r in results if r[1] == 200]
        bad = len(results) - len(ok)
        latencies = [r[0] * 1000 for r in ok]
        ids = [r[2] for r in ok if r[2]]
        server_ms = list(
            RequestLog.objects.filter(id__in=ids).values_list("duration_ms", flat=True)
        )
        print(
            f"  acknowledged {len(ok)}/{len(results)} (non-200 or errors: {bad}) in {wall:.1f} s = {len(ok) / wall:.0f} POSTs/s"
        )
        if latencies:
            print(
                f"  client-seen latency ms: p50 {pct(latencies, 50):.1f}  p90 {pct(latencies, 90):.1f}  "
                f"p99 {pct(latencies, 99):.1f}  max {max(latencies):.1f}"
            )
        if server_ms:
            print(
                f"  server handling ms (request log): p50 {pct(server_ms, 50):.0f}  p90 {pct(server_ms, 90):.0f}  "
                f"p99 {pct(server_ms, 99):.0f}  max {max(server_ms)}  mean {statistics.mean(server_ms):.1f}"
            )
        stop(gunicorn)
        gunicorn = None

        expected = len(ok) * args.batch + 200
        stored = InboundEvent.objects.count()
        print(
            f"phase 2: one worker (concurrency {args.worker_concurrency}) draining {stored} stored events …",
            flush=True,
        )
        worker = start(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "instantreply",
                "worker",
                "--concurrency",
                str(args.worker_concurrency),
                "--pool",
                "prefork",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            args,
            "ir-bench-meta-worker",
        )
        deadline = time.monotonic() + max(120, expected / 20)
        while time.monotonic() < deadline:
            pending = InboundEvent.objects.filter(status="received").count()
            if pending == 0:
                break
            time.sleep(0.5)
            connection.close()
        from django.db.models import Count, Max, Min

        span = InboundEvent.objects.exclude(status="received").aggregate(
            first=Min("processed_at"), last=Max("processed_at")
        )
        messages = Message.objects.count()
        statuses = dict(InboundEvent.objects.values_list("status").annotate(n=Count("id")))
        seconds = (span["last"] - span["first"]).total_seconds() if span["first"] else 0
        print(f"  events by status: {statuses}; messages created {messages} (expected {expected})")
        if seconds:
            print(
                f"  processed {messages} messages in {seconds:.1f} s = {messages / seconds:.0f} messages/s "
                f"({stored / seconds:.0f} events/s) by one worker"
            )
        return 0
    finally:
        stop(gunicorn)
        stop(worker)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep_db:
            recreate_db(args, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
