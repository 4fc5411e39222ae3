"""Open-loop ingest benchmark of /meta/webhook: acknowledgement latency at an offered
rate, beside a floor served by the same server in the same run.

    .venv/bin/python bench/meta_ingest.py                       # the README's server
    .venv/bin/python bench/meta_ingest.py --worker-class gthread --threads 4
    .venv/bin/python bench/meta_ingest.py --rates 200,400,800 --seconds 6 --repeats 1

Meta sends at a rate; it does not hold a fixed number of connections open. So the
load here is open-loop: POST number i starts at t0 + i / rate whether or not earlier
ones have finished (each on its own connection, as a webhook sender does), and its
latency is counted from that scheduled start, so neither a slow server nor a
lagging client can hide time (no coordinated omission). The client runs on uvloop
(the dev extra) with the collector paused, and prints its own CPU per post and how
far it ever fell behind its schedule ("client lag"), so a run the client could not
keep up with shows as such.

Two gunicorn servers with the same settings run side by side:
  * the product: ``instantreply.wsgi`` (PostgreSQL + Redis, production settings);
  * the floor: bench/meta_ingest_floor.py, a bare WSGI app that verifies the
    signature and INSERTs the raw payload into the same table, nothing else.
For each offered rate, the product and then the floor get ``--seconds`` of signed
POSTs (after a warm-up of both). Reported per run: ack p50 / p99 / p99.9, errors,
and the stored-row check (every 200 must be a new row). Each ladder finds each
side's highest rate with p99 < 50 ms, no error and every ack stored: a side stops
climbing once a rate fails twice in a row, then the rates between its highest pass
and the next rate it missed are tried ``--step`` (100/s) apart, so the knee is
known to 100/s rather than the ladder's 200/s. On a shared 2-core machine one
knee moves by 10–20 % from run to run (a stall of a few hundred milliseconds at
90 % load is enough to miss a rate), so ``--repeats`` (3) ladders run one after
another, the later ones starting at 0.6 of the lowest knee found, and the
verdict is the median of their ratios (goal ≥ 0.7); every ladder's figures are
printed.

No Celery worker runs: the product's processing tasks queue up in Redis (flushed
at the end). Creates and drops a throw-away database.
"""

import argparse
import asyncio
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import platform_common as common  # noqa: E402

APP_SECRET = "bench-meta-app-secret"
PHONE_NUMBER_ID = "109000000000900"
GOAL_P99_MS = 50.0
GOAL_RATIO = 0.7


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common.add_common_arguments(parser)
    parser.set_defaults(db="bench_ir_meta_ingest", redis_url="redis://127.0.0.1:6379/3")
    parser.add_argument("--product-port", type=int, default=18360)
    parser.add_argument("--floor-port", type=int, default=18361)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (each side)")
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (sync, gthread)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--rates",
        default="400,800,1000,1200,1400,1600,1800,2000,2200,2400,2600,2800,3200,3600",
        help="offered rates, posts/s, comma-separated, ascending",
    )
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds per rate")
    parser.add_argument(
        "--step",
        type=float,
        default=100.0,
        help="after a ladder, rates this far apart between a side's highest pass and its "
        "next miss (0: none)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="ladders run one after another; the verdict is the median of their ratios",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, s")
    return parser.parse_args()


def env_for(args) -> dict:
    env = common.bench_env(args, "instantreply.settings")
    env.update(
        {
            "META_APP_SECRET": APP_SECRET,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "INSTANTREPLY_VAR_DIR": "/tmp/instantreply-bench-meta-ingest-var",
        }
    )
    return env


def gunicorn(args, app: str, port: int) -> subprocess.Popen:
    command = [
        str(common.ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "4096",
        "--limit-request-line",
        "8190",
        "--log-level",
        "warning",
        "--chdir",
        str(common.ROOT),
    ]
    return subprocess.Popen(
        command,
        env=env_for(args),
        stdout=subprocess.DEVNULL,
        stderr=open(f"/tmp/instantreply-bench-meta-ingest-{port}.log", "w"),
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


def payloads(start: int, count: int) -> list[tuple[bytes, str]]:
    """Signed bodies, one customer message each, every Meta message id distinct."""
    from instantreply.meta.signatures import sign

    now = int(time.time())
    out = []
    for n in range(start, start + count):
        wa_id = f"1415{n % 500:07d}"
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
                                "contacts": [
                                    {"wa_id": wa_id, "profile": {"name": f"Customer {n % 500}"}}
                                ],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": f"wamid.INGEST{n:012d}",
                                        "timestamp": str(now),
                                        "type": "text",
                                        "text": {"body": f"Hello, this is message {n}"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        body = json.dumps(payload).encode()
        out.append((body, sign(body, APP_SECRET)))
    return out


class _OnePost(asyncio.Protocol):
    """One POST on its own connection: write it on connect, read the answer until the
    server closes (``Connection: close``), then resolve ``done`` with the status."""

    __slots__ = ("request", "done", "head")

    def __init__(self, request: bytes, done: asyncio.Future):
        self.request = request
        self.done = done
        self.head = b""

    def connection_made(self, transport):
        transport.write(self.request)

    def data_received(self, data):
        if len(self.head) < 16:
            self.head += data[:16]

    def connection_lost(self, exc):
        if not self.done.done():
            parts = self.head.split(b" ", 2)
            ok = exc is None and len(parts) > 1 and parts[1].isdigit()
            self.done.set_result(int(parts[1]) if ok else 0)


async def _post(port: int, request: bytes, scheduled: float, timeout: float):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport = None
    try:
        async with asyncio.timeout(timeout):
            transport, _ = await loop.create_connection(
                lambda: _OnePost(request, done), "127.0.0.1", port
            )
            status = await done
    except (OSError, TimeoutError):
        status = 0
    if transport is not None:
        transport.close()
    return time.perf_counter() - scheduled, status


def _run_loop(coro):
    """Run the load on uvloop when installed (the dev extra): its connections cost a
    fraction of the standard loop's CPU, so the client is not what tops out first.
    The garbage collector is paused meanwhile: a full collection over thousands of
    tasks in flight stalled the schedule by tens of milliseconds, on either side."""
    gc.disable()
    try:
        try:
            import uvloop
        except ImportError:
            return asyncio.run(coro)
        return uvloop.run(coro)
    finally:
        gc.enable()


def _request(port: int, body: bytes, signature: str) -> bytes:
    return (
        f"POST /meta/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body


async def _open_loop(port: int, rate: float, bodies, timeout: float):
    """Start POST i at t0 + i / rate, whatever happened to the earlier ones. Requests
    are built before the clock starts; the client's own CPU is returned with the
    results, so a run the client could not keep up with shows as such."""
    loop = asyncio.get_running_loop()
    requests_ = [_request(port, body, signature) for body, signature in bodies]
    tasks = []
    cpu_started = time.process_time()
    # perf_counter, not loop.time(): uvloop's clock ticks in whole milliseconds.
    t0 = time.perf_counter() + 0.05
    lag = 0.0
    for i, request in enumerate(requests_):
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag = max(lag, -delay)
        tasks.append(loop.create_task(_post(port, request, scheduled, timeout)))
    results = await asyncio.gather(*tasks)
    return results, lag, time.process_time() - cpu_started


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(-(-p / 100 * len(sorted_values) // 1)) - 1))
    return sorted_values[index]


def _rows() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM meta_inboundevent")
        return cursor.fetchone()


def settled_max_id(limit_seconds: float) -> int:
    """The table's highest id once no insert has landed for 0.3 s: a server still
    draining an earlier backlog would otherwise blur the next run's count."""
    deadline = time.monotonic() + limit_seconds
    last = _rows()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        current = _rows()
        if current == last:
            break
        last = current
    return last[1]


def stored_indexes(after_id: int) -> set[int]:
    """The message numbers of the payloads stored with an id above ``after_id``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encode(substring(body FROM position('wamid.INGEST'::bytea IN body) + 12 "
            "FOR 12), 'escape') FROM meta_inboundevent WHERE id > %s",
            [after_id],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def run(name: str, port: int, rate: float, args, next_index: list[int]) -> dict:
    count = int(rate * args.seconds)
    bodies = payloads(next_index[0], count)
    next_index[0] += count
    first = next_index[0] - count
    before = settled_max_id(args.timeout)
    results, lag, client_cpu = _run_loop(_open_loop(port, rate, bodies, args.timeout))
    settled_max_id(args.timeout)
    acked_indexes = {first + i for i, (_, status) in enumerate(results) if status == 200}
    # Every acknowledged post must be stored (a post the client gave up on may be too).
    lost = len(acked_indexes - stored_indexes(before))
    acked = len(acked_indexes)
    latencies = sorted(seconds * 1000 for seconds, status in results if status == 200)
    out = {
        "name": name,
        "rate": rate,
        "sent": len(results),
        "acked": acked,
        "errors": len(results) - acked,
        "lost": lost,
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "p999": pct(latencies, 99.9),
        "client_lag_ms": lag * 1000,
        "client_cpu_ms": client_cpu / max(1, len(results)) * 1000,
    }
    out["ok"] = out["errors"] == 0 and lost == 0 and latencies != [] and out["p99"] < GOAL_P99_MS
    print(
        f"  {name:7} {rate:6.0f}/s  ack ms p50 {out['p50']:7.1f}  p99 {out['p99']:8.1f}  "
        f"p99.9 {out['p999']:8.1f}  errors {out['errors']:4d}  acked {acked:5d} lost {lost}"
        f"  client lag {out['client_lag_ms']:5.1f} ms, CPU {out['client_cpu_ms']:.2f} ms/post"
        f"  {'ok' if out['ok'] else 'MISSED'}",
        flush=True,
    )
    return out


def cpu_per_ack(next_index: list[int], n: int = 400) -> tuple[float, float]:
    """CPU milliseconds per acknowledged POST, in this process, through each side's
    WSGI callable (no server, no client): unlike a rate on a shared machine, this
    does not move when other processes compete for the CPU."""
    from io import BytesIO

    from bench import meta_ingest_floor
    from instantreply.wsgi import application as product_app

    def environ(body: bytes, signature: str) -> dict:
        return {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/meta/webhook",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_HUB_SIGNATURE_256": signature,
            "wsgi.input": BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }

    def start_response(status, headers):
        assert status.startswith("200"), status

    def measure(app) -> float:
        bodies = payloads(next_index[0], n + 50)
        next_index[0] += n + 50
        for body, signature in bodies[:50]:
            b"".join(app(environ(body, signature), start_response))
        started = time.process_time()
        for body, signature in bodies[50:]:
            b"".join(app(environ(body, signature), start_response))
        return (time.process_time() - started) / n * 1000

    product_ms = measure(product_app)
    floor_ms = measure(meta_ingest_floor.application)
    return product_ms, floor_ms


def wait_ready(port: int, path: str, ok_statuses: tuple[int, ...]) -> None:
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code in ok_statuses:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(
        f"server on :{port} did not start; see /tmp/instantreply-bench-meta-ingest-*.log"
    )


def climb(rates: list[float], sides: dict, args, next_index: list[int]) -> tuple[float, float]:
    """One ladder: each rate offered to each side in turn, a side climbing until it
    misses twice in a row; then, for each side, the rates between its highest pass
    and the next rate it missed, ``--step`` apart, until one misses. Returns the
    (product, floor) highest sustained rates."""
    best = dict.fromkeys(sides, 0.0)
    missed_above: dict[str, float | None] = dict.fromkeys(sides)
    misses = dict.fromkeys(sides, 0)
    for rate in rates:
        for name, port in sides.items():
            if misses[name] >= 2:
                continue
            if run(name, port, rate, args, next_index)["ok"]:
                best[name] = max(best[name], rate)
                misses[name] = 0
                missed_above[name] = None
            else:
                misses[name] += 1
                if missed_above[name] is None:
                    missed_above[name] = rate
            # Let the server drain a backlog before the next run.
            time.sleep(1.0)
        if all(m >= 2 for m in misses.values()):
            break
    for name, port in sides.items():
        rate = best[name] + args.step
        while args.step > 0 and missed_above[name] is not None and rate < missed_above[name]:
            if not run(name, port, rate, args, next_index)["ok"]:
                break
            best[name] = rate
            rate += args.step
            time.sleep(1.0)
    return best["product"], best["floor"]


def main() -> int:
    args = parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    product = floor = None
    try:
        print(f"setting up database {args.db} …", flush=True)
        common.create_database(args)
        subprocess.run(
            [common.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
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
        product = gunicorn(args, "instantreply.wsgi", args.product_port)
        floor = gunicorn(args, "bench.meta_ingest_floor:application", args.floor_port)
        wait_ready(args.product_port, "/healthz", (200,))
        wait_ready(args.floor_port, "/", (404,))
        server = (
            f"gunicorn --workers {args.workers} --worker-class {args.worker_class}"
            + (f" --threads {args.threads}" if args.worker_class == "gthread" else "")
            + " --backlog 4096 --limit-request-line 8190"
        )
        print(
            f"server: {server} (each side); open-loop, one connection per POST, "
            f"{args.seconds:g} s per rate; cores: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        next_index = [0]
        product_cpu, floor_cpu = cpu_per_ack(next_index)
        print(
            f"CPU per ack in-process (WSGI callable, 400 POSTs each): product {product_cpu:.2f} ms, "
            f"floor {floor_cpu:.2f} ms → CPU-bound ratio {floor_cpu / product_cpu:.2f}",
            flush=True,
        )
        print("warm-up (not counted):", flush=True)
        for _ in range(2):
            run("product", args.product_port, 200, args, next_index)
            run("floor", args.floor_port, 200, args, next_index)
        sides = {"product": args.product_port, "floor": args.floor_port}
        verdicts = []
        for repeat in range(1, args.repeats + 1):
            # Rates far below both knees found so far tell nothing new: a later
            # ladder starts at 0.6 of the lower one.
            start = 0.6 * min(min(v) for v in verdicts) if verdicts else 0.0
            ladder = [r for r in rates if r >= start] or rates[-1:]
            print(f"ladder {repeat} of {args.repeats}:", flush=True)
            verdicts.append(climb(ladder, sides, args, next_index))
        ratios = [p / f if f else float("nan") for p, f in verdicts]
        for n, ((p, f), ratio) in enumerate(zip(verdicts, ratios, strict=True), 1):
            print(
                f"ladder {n}: highest sustained rate with p99 < {GOAL_P99_MS:g} ms, no error, every "
                f"ack stored: product {p:.0f}/s, floor {f:.0f}/s, ratio {ratio:.2f}"
            )
        ratio = statistics.median(ratios)
        print(
            f"ratio {ratio:.2f}, the median of {len(ratios)} "
            f"(goal ≥ {GOAL_RATIO}): {'OK' if ratio >= GOAL_RATIO else 'MISSED'}"
            f"  [{server}; load at end {os.getloadavg()[0]:.2f}]"
        )
        return 0
    finally:
        stop(product)
        stop(floor)
        common.close_django_connections()
        if not args.keep_db:
            common.drop_database(args)
        try:
            import redis

            # The processing tasks no worker took (and nothing else of this db's).
            redis.Redis.from_url(args.redis_url).delete("celery", "unacked", "unacked_index")
            from django.core.cache import cache

            from instantreply.meta.tasks import QUEUED_MARK

            # The mark the product set for a task no worker started (it would hold
            # back the next post's task for a minute).
            cache.delete(QUEUED_MARK)
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
