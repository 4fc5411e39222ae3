"""Outgoing webhook delivery benchmark (§9): one worker process against its floor.

    .venv/bin/python bench/webhooks_delivery.py            # the README's figures
    .venv/bin/python bench/webhooks_delivery.py --help

Starts, on this machine: a throw-away PostgreSQL database (migrated), a local
receiver (bench/webhook_receiver.py: one asyncio process, kernel-chosen port) and
ONE Celery worker process on Redis (pool of 4 threads: a delivery waits on the
receiver and PostgreSQL, threads overlap those waits), then runs, in this order:

1. floor: bench/webhooks_delivery_floor.py, one process with as many threads,
   signs and POSTs the same payloads with the same HTTP client to the same
   receiver, nothing else; deliveries/s and its CPU per delivery. The receiver's
   CPU per request is measured here too (its share of the cores);
2. product throughput: --events events emitted in one transaction to one
   endpoint; deliveries/s as seen by the receiver (first to last arrival), the
   worker's CPU per delivery;
3. floor again (the two floor rounds bracket the product's; their mean is the
   yardstick);
4. product latency: events emitted at each of --rates (default 400/s, then
   800/s: 80 % of the 1,000/s goal), each in its own transaction through the
   product's emit path, by --emit-processes processes of --emitters threads
   each (bench/webhooks_delivery_emitter.py; open loop: on schedule whether or
   not earlier ones were delivered; one Python process alone could not offer
   800/s beside the worker); commit-to-arrival p50 / p99 / max, whether the
   offered rate matched the asked one, and the emitters' CPU per emitted event
   (the emitting is the API's work, not the worker's, but it runs on the same
   two cores).

Every delivery is the real path: emit → fan_out_event task (after commit) →
first attempts created already claimed → signed POST over a keep-alive
connection → attempts, downstream calls and endpoint health recorded. Every
emitted event must arrive (counted); the delivery rows must all be succeeded.

Two cores are shared by the worker, the receiver, PostgreSQL, Redis and this
process (which emits in step 4). Each step prints the CPU seconds per delivery of
the worker (or floor) and of the receiver, and how busy the whole machine was
(/proc/stat), so a figure capped by the machine rather than by the worker shows
as such. Everything started is stopped and the database dropped at the end (the
worker's queue is private to the run).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import platform_common as common  # noqa: E402
from bench.webhooks_delivery_floor import BENCH_EVENT  # noqa: E402

QUEUE = "bench_webhooks"
GOAL_RATE = 1000.0
GOAL_P99_MS = 500.0
# A latency run's offered rate "matches" the asked one within this fraction.
OFFERED_TOLERANCE = 0.98

WORKER = (
    "import sys; from instantreply.celery import app; "
    f"app.conf.task_default_queue = {QUEUE!r}; "
    "app.worker_main(sys.argv[1:])"
)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common.add_common_arguments(parser)
    parser.set_defaults(db="bench_webhooks_delivery", redis_url="redis://127.0.0.1:6379/4")
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
        "--concurrency", type=int, default=4, help="worker pool size (default %(default)s)"
    )
    parser.add_argument(
        "--latency-seconds",
        type=float,
        default=10.0,
        help="length of the latency run (default %(default)s)",
    )
    parser.add_argument(
        "--rates",
        default=f"{0.4 * GOAL_RATE:.0f},{0.8 * GOAL_RATE:.0f}",
        help="events/s of the latency runs, in order; the last is checked against the goal "
        "(default %(default)s: 80 %% of the goal last)",
    )
    parser.add_argument(
        "--emit-processes",
        type=int,
        default=2,
        help="processes emitting in the latency run (bench/webhooks_delivery_emitter.py; "
        "default %(default)s)",
    )
    parser.add_argument(
        "--emitters",
        type=int,
        default=2,
        help="threads emitting in each of those processes, each event its own transaction "
        "(default %(default)s)",
    )
    return parser.parse_args()


def extra_env() -> dict:
    """On top of the platform benches' environment (bench/platform_common.py)."""
    return {
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",  # the receiver is on 127.0.0.1
    }


class MachineCpu:
    """How busy all CPUs were between start() and busy() (/proc/stat)."""

    @staticmethod
    def _read() -> tuple[int, int]:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle

    def start(self) -> "MachineCpu":
        self.total, self.idle = self._read()
        return self

    def busy(self) -> float:
        total, idle = self._read()
        spent = total - self.total
        return 1.0 - (idle - self.idle) / spent if spent else 0.0


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


def postgres_cpu_seconds(db: str) -> float:
    """CPU seconds of the PostgreSQL backends connected to the bench's database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        )
        pids = [row[0] for row in cursor.fetchall()]
    return sum(tree_cpu_seconds(pid) for pid in pids)


def start_receiver(path: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / "webhook_receiver.py"), "--log", path],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "port":
        raise RuntimeError(f"receiver did not start: {line}")
    return proc, int(line[1])


def run_floor(args, env, url: str, secret: str, workspace_id: str, receiver) -> dict:
    machine = MachineCpu().start()
    receiver_cpu = tree_cpu_seconds(receiver.pid)
    out = subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "webhooks_delivery_floor.py"),
            "--url",
            url,
            "--secret",
            secret,
            "--workspace",
            workspace_id,
            "--count",
            str(args.events),
            "--threads",
            str(args.concurrency),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # The floor's warm-up posts count for the receiver too.
    posts = result["sent"] + 20 * args.concurrency
    result["receiver_us"] = (tree_cpu_seconds(receiver.pid) - receiver_cpu) / posts * 1e6
    result["rate"] = result["sent"] / result["seconds"]
    result["cpu_ms"] = result["cpu_seconds"] / result["sent"] * 1000
    result["machine_busy"] = machine.busy()
    print(
        f"floor: {result['sent']} signed POSTs, {result['rate']:.0f}/s, "
        f"CPU {result['cpu_ms']:.3f} ms per delivery "
        f"(one core would cap it at {1000 / result['cpu_ms']:.0f}/s); "
        f"receiver {result['receiver_us']:.0f} µs CPU per request; "
        f"machine {result['machine_busy']:.0%} busy"
        + (f"; {result['failed']} FAILED" if result["failed"] else ""),
        flush=True,
    )
    return result


def main() -> int:
    args = parse_args()
    os.environ.update(extra_env())
    env = {**common.bench_env(args), **extra_env()}
    workdir = tempfile.mkdtemp(prefix="bench-webhooks-")
    arrivals_path = os.path.join(workdir, "arrivals.log")
    worker_log = os.path.join(workdir, "worker.log")
    open(arrivals_path, "w").close()
    receiver = worker = None
    created_db = False
    ok = True
    try:
        common.create_database(args)
        created_db = True
        common.migrate(args)
        common.setup_django(args)
        from django.db import transaction

        from instantreply.celery import app
        from instantreply.core import services as core_services
        from webhooks import services
        from webhooks.events import emit
        from webhooks.models import Event, WebhookDelivery

        app.conf.task_default_queue = QUEUE
        app.conf.task_always_eager = False

        receiver, port = start_receiver(arrivals_path)
        url = f"http://127.0.0.1:{port}/hooks"
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
        workspace = core_services.workspace_create(name="Bench webhooks", tier="scale")
        _, secret = services.webhook_endpoint_create(
            workspace=workspace,
            livemode=True,
            url=url,
            events=["*"],
            description="bench",
            key_scopes=["*"],
        )

        def fire() -> Event:
            return emit(workspace_id=workspace.id, livemode=True, **BENCH_EVENT)

        # Warm-up of the worker: connections, imports, pools.
        time.sleep(2)
        warm = {fire().id for _ in range(50)}
        if len(wait_arrivals(arrivals_path, warm, 60).keys() & warm) != len(warm):
            raise RuntimeError(f"warm-up deliveries did not arrive; see {worker_log}")

        print(
            f"worker: 1 process, pool={args.pool}, concurrency={args.concurrency}; "
            f"receiver: 1 asyncio process on :{port}; {os.cpu_count()} CPUs, load average "
            + " ".join(f"{x:.1f}" for x in os.getloadavg()),
            flush=True,
        )
        floors = [run_floor(args, env, url, secret, workspace.id, receiver)]

        # Product throughput.
        with transaction.atomic():
            ids = {fire().id for _ in range(args.events)}
        machine = MachineCpu().start()
        cpu_before = tree_cpu_seconds(worker.pid)
        receiver_before = tree_cpu_seconds(receiver.pid)
        postgres_before = postgres_cpu_seconds(args.db)
        committed = time.time()
        arrivals = wait_arrivals(arrivals_path, ids, 300)
        cpu_used = tree_cpu_seconds(worker.pid) - cpu_before
        receiver_used = tree_cpu_seconds(receiver.pid) - receiver_before
        postgres_used = postgres_cpu_seconds(args.db) - postgres_before
        busy = machine.busy()
        times = sorted(arrivals[i] for i in ids if i in arrivals)
        missing = len(ids) - len(times)
        steady = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
        overall = len(times) / (times[-1] - committed) if times else 0.0
        cpu_ms = cpu_used / max(1, len(times)) * 1000
        print(
            f"product: {len(times)} deliveries, {steady:.0f}/s steady (first→last arrival), "
            f"{overall:.0f}/s from commit to last arrival; worker CPU {cpu_ms:.3f} ms per "
            f"delivery (one core would cap it at {1000 / cpu_ms if cpu_ms else 0:.0f}/s); "
            f"receiver {receiver_used / max(1, len(times)) * 1e6:.0f} µs CPU per request; "
            f"PostgreSQL {postgres_used / max(1, len(times)) * 1000:.3f} ms CPU per delivery; "
            f"machine {busy:.0%} busy" + (f"; {missing} MISSING" if missing else ""),
            flush=True,
        )
        ok = ok and not missing
        floors.append(run_floor(args, env, url, secret, workspace.id, receiver))
        floor_rate = statistics.mean(f["rate"] for f in floors)
        floor_cpu = statistics.mean(f["cpu_ms"] for f in floors)

        # Latency at each of --rates, one event per transaction.
        def latency_run(rate: float) -> dict:
            slots = int(args.latency_seconds * rate)
            emitters = [
                subprocess.Popen(
                    [
                        PYTHON,
                        str(ROOT / "bench" / "webhooks_delivery_emitter.py"),
                        "--workspace",
                        workspace.id,
                        "--rate",
                        str(rate),
                        "--slots",
                        str(slots),
                        "--index",
                        str(index),
                        "--processes",
                        str(args.emit_processes),
                        "--threads",
                        str(args.emitters),
                        "--queue",
                        QUEUE,
                    ],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                )
                for index in range(args.emit_processes)
            ]
            try:
                for proc in emitters:
                    if proc.stdout.readline().strip() != "ready":
                        raise RuntimeError("an emitting process did not start")
                machine = MachineCpu().start()
                cpu_before = tree_cpu_seconds(worker.pid)
                start = time.time() + 0.2
                for proc in emitters:
                    proc.stdin.write(f"{start!r}\n")
                    proc.stdin.flush()
                results = [json.loads(proc.stdout.readline()) for proc in emitters]
                for proc in emitters:
                    proc.wait(timeout=30)
            finally:
                for proc in emitters:
                    stop(proc)
            emitted: dict[str, float] = {}
            for result in results:
                if not result["emitted"]:
                    raise RuntimeError("an emitting process emitted nothing")
                emitted.update(result["emitted"])
            achieved = len(emitted) / (max(r["finished"] for r in results) - start)
            emit_cpu = sum(r["cpu_seconds"] for r in results) / max(1, len(emitted))
            arrivals = wait_arrivals(arrivals_path, set(emitted), 120)
            latencies = [arrivals[i] - t for i, t in emitted.items() if i in arrivals]
            cpu_used = tree_cpu_seconds(worker.pid) - cpu_before
            busy = machine.busy()
            lost = len(emitted) - len(latencies)
            p99 = percentile(latencies, 0.99) * 1000 if latencies else float("inf")
            matched = achieved >= OFFERED_TOLERANCE * rate
            print(
                f"latency: {len(emitted)} events at {achieved:.0f}/s offered "
                f"({rate:.0f}/s asked: {'matched' if matched else 'NOT matched'}; one per "
                f"transaction, {args.emit_processes} emitting processes × {args.emitters} "
                f"threads) for {args.latency_seconds:.0f} s: "
                f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms; worker CPU "
                f"{cpu_used / max(1, len(latencies)) * 1000:.3f} ms per delivery; emitting "
                f"cost {emit_cpu * 1000:.3f} ms CPU per event; "
                f"machine {busy:.0%} busy" + (f"; {lost} MISSING" if lost else ""),
                flush=True,
            )
            return {"rate": rate, "achieved": achieved, "p99": p99, "lost": lost}

        latency = [latency_run(float(r)) for r in args.rates.split(",")]
        ok = ok and not any(run["lost"] for run in latency)
        at_goal = latency[-1]
        p99, achieved = at_goal["p99"], at_goal["achieved"]
        failed = WebhookDelivery.objects.exclude(status="succeeded").count()
        print(f"delivery rows not succeeded: {failed}")
        ok = ok and not failed
        rounds = ", ".join(f"{f['rate']:.0f}" for f in floors)
        print(
            f"\nsummary: product {steady:.0f}/s vs floor {floor_rate:.0f}/s "
            f"(rounds {rounds}) = "
            f"{steady / floor_rate:.2f} of the floor; CPU per delivery {cpu_ms:.3f} ms vs "
            f"{floor_cpu:.3f} ms ({floor_cpu / cpu_ms if cpu_ms else 0:.2f}); "
            f"goal ≥ {GOAL_RATE:.0f}/s: {'met' if steady >= GOAL_RATE else 'NOT met'}; "
            f"p99 {p99:.0f} ms at {achieved:.0f}/s, goal < {GOAL_P99_MS:.0f} ms at "
            f"{0.8 * GOAL_RATE:.0f}/s: "
            + (
                "met"
                if p99 < GOAL_P99_MS and achieved >= 0.8 * GOAL_RATE * OFFERED_TOLERANCE
                else "NOT met"
            )
        )
        return 0 if ok else 1
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
        if created_db and not args.keep_db:
            common.close_django_connections()
            common.drop_database(args)
        print(f"cleaned up (worker log kept in {worker_log})")


if __name__ == "__main__":
    sys.exit(main())
