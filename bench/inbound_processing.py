"""Inbound processing end to end (issue 13 §2): stored Meta webhook events →
contacts, conversations, messages, rollups and the webhook-event outbox, by real
Celery worker processes on PostgreSQL + Redis.

    .venv/bin/python bench/inbound_processing.py            # 20,000 events, 2,000 customers
    .venv/bin/python bench/inbound_processing.py --help

It creates a throw-away PostgreSQL database (dropped at the end), migrates it and
connects one WhatsApp channel, then:

1. In-process CPU (no broker hop, no worker): WhatsApp text messages are stored
   as raw events (``bench/meta_webhook.py``'s payloads, one message per POST) and
   processed by ``meta.inbound.process_batch`` in drain mode until none is left —
   pass 1 with one message from each customer (contacts and conversations
   created), pass 2 with ``--profile-events`` messages of the same customers.
   Printed: this process's CPU and its PostgreSQL backend's CPU per message
   (``--profile`` adds a cProfile of the second pass).
2. Workers: ``--events`` raw events are preloaded, the workers are started and
   answer a ping, and one processing task is queued as a webhook POST queues it.
   Messages/s = messages ÷ (queueing that task → every event processed), first
   with one worker process (``celery worker -c 1``), then with two worker
   processes (two ``celery worker -c 1`` on the same queue, their claims split by
   FOR UPDATE SKIP LOCKED). Also printed: the scale-out ratio, the CPU of the
   workers and of their PostgreSQL backends per message, and the count of lost
   messages (an event's message missing), duplicates (a Meta id stored or
   announced twice, an event processed twice) and counter drift (conversation
   message counts vs rows). The fan-out tasks of the webhook events run on the
   same workers, as in production (there is no endpoint, so they only mark the
   events fanned out).
"""

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import meta_webhook  # noqa: E402
from bench import platform_common as common  # noqa: E402
from bench.webhooks_delivery import tree_cpu_seconds  # noqa: E402

QUEUE = "celery"


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common.add_common_arguments(parser)
    parser.set_defaults(db="bench_inbound_processing", redis_url="redis://127.0.0.1:6379/12")
    parser.add_argument("--events", type=int, default=20_000, help="events per worker run")
    parser.add_argument("--contacts", type=int, default=2_000, help="distinct customers")
    parser.add_argument(
        "--profile-events", type=int, default=2_000, help="events per in-process pass"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each pass")
    parser.add_argument(
        "--profile-sort", default="cumulative", help="pstats order (cumulative, tottime, …)"
    )
    parser.add_argument("--skip-workers", action="store_true", help="only the in-process part")
    parser.add_argument(
        "--workers",
        default="1,2",
        help="worker process counts to run, in order (default 1,2; e.g. 1,2,1,2 alternates)",
    )
    return parser.parse_args()


class _Payloads:
    def __init__(self, contacts: int):
        self.batch = 1
        self.contacts = contacts


def preload(args, start: int, count: int) -> None:
    """Store ``count`` raw events as /meta/webhook stores them, in bulk."""
    from instantreply.meta.models import InboundEvent

    headers = {"content-type": "application/json", "user-agent": "facebookexternalua"}
    for offset in range(0, count, 2_000):
        chunk = meta_webhook.bodies(
            _Payloads(args.contacts), start + offset, min(2_000, count - offset)
        )
        InboundEvent.objects.bulk_create(InboundEvent(body=b, headers=headers) for b in chunk)


def backend_cpu(pids) -> float:
    return sum(tree_cpu_seconds(pid) for pid in pids)


class BackendCpu:
    """CPU seconds used by the PostgreSQL backends of the bench database (other than
    this process's) since creation, sampled so that a backend that exits between
    two samples loses at most what it used since the last one."""

    def __init__(self, args):
        self.args = args
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        for pid in db_backends(args):
            self.first[pid] = self.last[pid] = tree_cpu_seconds(pid)

    def sample(self) -> float:
        for pid in db_backends(self.args):
            self.first.setdefault(pid, 0.0)
            cpu = tree_cpu_seconds(pid)
            if cpu:
                self.last[pid] = cpu
        return sum(self.last.get(pid, start) - start for pid, start in self.first.items())


def db_backends(args) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [args.db],
        )
        return [row[0] for row in cursor.fetchall()]


def in_process_pass(args, start: int, count: int, label: str, profile: bool) -> None:
    from django.db import connection

    from instantreply.meta import inbound

    preload(args, start, count)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    profiler = cProfile.Profile() if profile else None
    pg_before = backend_cpu([backend])
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    processed = 0
    if profiler:
        profiler.enable()
    while True:
        batch = inbound.process_batch(0, drain=True)
        if not batch.processed:
            break
        processed += batch.processed
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu_before
    wall = time.perf_counter() - wall_before
    pg = backend_cpu([backend]) - pg_before
    n = max(processed, 1)
    print(
        f"  {label}: {processed} events in {wall:.2f} s = {processed / wall:.0f} messages/s in one "
        f"process; CPU per message: Python {cpu / n * 1000:.2f} ms + PostgreSQL backend "
        f"{pg / n * 1000:.2f} ms = {(cpu + pg) / n * 1000:.2f} ms",
        flush=True,
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.profile_sort).print_stats(45)
        print(out.getvalue())


def start_workers(args, count: int) -> list[subprocess.Popen]:
    procs = []
    for index in range(count):
        procs.append(
            meta_webhook.start(
                [
                    meta_webhook.PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "instantreply",
                    "worker",
                    "-Q",
                    QUEUE,
                    "--hostname",
                    f"bench-inbound-{index}@%h",
                    "--concurrency",
                    "1",
                    "--pool",
                    "prefork",
                    "--loglevel",
                    "WARNING",
                    "--without-gossip",
                    "--without-mingle",
                ],
                args,
                f"bench-inbound-worker-{index}",
            )
        )
    from instantreply.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= count:
            return procs
    raise SystemExit("the workers did not answer a ping; see /tmp/bench-inbound-worker-*.log")


def worker_run(args, workers: int, start: int) -> dict:
    from django.db import connection
    from django.db.models import Count, Sum

    from conversations.models import Conversation, Message
    from instantreply.meta.models import InboundEvent
    from instantreply.meta.tasks import queue_processing
    from webhooks.models import Event

    first_id = (InboundEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    messages_before = Message.objects.count()
    preload(args, start, args.events)
    connection.close()
    procs = start_workers(args, workers)
    try:
        # Warm each worker (imports, connections) on an event of its own.
        time.sleep(1.0)
        backends = BackendCpu(args)
        worker_cpu_before = sum(tree_cpu_seconds(p.pid) for p in procs)
        started = time.perf_counter()
        queue_processing(first_id)
        deadline = started + max(120, args.events / 50)
        polls = 0
        while time.perf_counter() < deadline:
            if not InboundEvent.objects.filter(pk__gte=first_id, status="received").exists():
                break
            polls += 1
            if polls % 10 == 0:
                backends.sample()  # a worker may reconnect (CELERY_DB_REUSE_MAX)
            time.sleep(0.05)
        wall = time.perf_counter() - started
        pg = backends.sample()
        worker_cpu = sum(tree_cpu_seconds(p.pid) for p in procs) - worker_cpu_before
        # The workers go on fanning the webhook events out (to no endpoint here).
        while time.perf_counter() < deadline:
            if not Event.objects.filter(fanned_out_at__isnull=True).exists():
                break
            time.sleep(0.05)
        fanned = time.perf_counter() - started
    finally:
        for proc in procs:
            meta_webhook.stop(proc)
        settle_fan_out()
    events = InboundEvent.objects.filter(pk__gte=first_id)
    statuses = dict(events.values_list("status").annotate(n=Count("id")))
    twice = events.filter(attempts__gt=1).count()
    ids = [f"wamid.BENCH{n:012d}" for n in range(start, start + args.events)]
    stored = Message.objects.filter(external_id__in=ids).count()
    messages = Message.objects.count() - messages_before
    announced = Event.objects.filter(type="message.received").count()
    total_messages = Message.objects.count()
    drift = (Conversation.objects.aggregate(n=Sum("message_count"))["n"] or 0) - total_messages
    n = max(messages, 1)
    result = {
        "workers": workers,
        "rate": messages / wall,
        "wall": wall,
        "messages": messages,
        "lost": args.events - stored,
        "duplicates": (messages - stored) + (announced - total_messages) + twice,
        "drift": drift,
        "statuses": statuses,
        "worker_ms": worker_cpu / n * 1000,
        "pg_ms": pg / n * 1000,
        "fanned": fanned,
    }
    print(
        f"  {workers} worker process(es): {messages} messages in {wall:.2f} s = "
        f"{result['rate']:.0f} messages/s; CPU per message: workers {result['worker_ms']:.2f} ms + "
        f"PostgreSQL backends {result['pg_ms']:.2f} ms; lost {result['lost']}, duplicates "
        f"{result['duplicates']} (processed twice {twice}), counter drift {drift}; events {statuses}; "
        f"every webhook event fanned out after {fanned:.2f} s",
        flush=True,
    )
    return result


def settle_fan_out() -> None:
    from instantreply.core.timeutil import now
    from webhooks.models import Event

    Event.objects.filter(fanned_out_at__isnull=True).update(fanned_out_at=now())


def uptime() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def main() -> int:
    args = parse_args()
    if not args.db.startswith("bench_"):
        raise SystemExit("--db must start with bench_ (it is dropped at the end)")
    try:
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; load {uptime()}")
        print(f"setting up database {args.db} …", flush=True)
        meta_webhook.setup(args)
        print(
            f"in-process: WhatsApp text messages, {args.contacts} customers "
            f"(pass 1: one each; pass 2: {args.profile_events})",
            flush=True,
        )
        # Pass 1 writes once as each customer (so every later message is a known one's).
        in_process_pass(args, 0, args.contacts, "pass 1, new customers", profile=args.profile)
        in_process_pass(
            args, 10_000_000, args.profile_events, "pass 2, known customers", profile=args.profile
        )
        # The fan-out tasks the passes queued are not part of the worker runs: dropped,
        # and their events marked fanned out (a fan-out task would otherwise take them).
        import redis

        redis.Redis.from_url(args.redis_url).delete(QUEUE)
        settle_fan_out()
        if args.skip_workers:
            return 0
        print(
            f"workers: {args.events} stored events per run (customers already known); "
            f"load {uptime()}",
            flush=True,
        )
        results = []
        for index, count in enumerate(int(c) for c in args.workers.split(",")):
            results.append(worker_run(args, count, 20_000_000 + index * 1_000_000))
        rates: dict[int, list[float]] = {}
        for result in results:
            rates.setdefault(result["workers"], []).append(result["rate"])
        if len(rates) >= 2:
            (low, low_rates), (high, high_rates) = sorted(rates.items())[:2]
            low_mean = sum(low_rates) / len(low_rates)
            high_mean = sum(high_rates) / len(high_rates)
            print(
                f"scale-out: {high} vs {low} worker process(es) = {high_mean / low_mean:.2f}× "
                f"(means of {len(high_rates)} and {len(low_rates)} run(s); goal ≥ 1.7); "
                f"best {max(r['rate'] for r in results):.0f} messages/s (goal ≥ 500); "
                f"load {uptime()}"
            )
        bad = any(r["lost"] or r["duplicates"] or r["drift"] for r in results)
        return 1 if bad else 0
    finally:
        common.close_django_connections()
        if not args.keep_db:
            meta_webhook.recreate_db(args, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
