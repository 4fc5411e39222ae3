"""A flood of bad API keys from one address against gunicorn (PostgreSQL + Redis):
how many database rows it writes, and what it is answered (issue 10 item 4, §6).

    .venv/bin/python bench/unauthenticated_flood.py            # 5,000 requests
    .venv/bin/python bench/unauthenticated_flood.py --help

It creates a throw-away PostgreSQL database, migrates it, starts gunicorn with the
product's settings (limit: UNAUTHENTICATED_REQUESTS_PER_MINUTE, default 60 per
address and minute), sends ``--requests`` GET /v1/contacts with well-formed but
unknown keys from 127.0.0.1 over ``--connections`` threads, counts the rows of
every table before and after, prints the figures and removes what it started.
The goal: fewer than 100 rows written, every answer 401 or 429.
"""

import argparse
import collections
import secrets
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import platform_common as common  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common.add_common_arguments(parser)
    parser.set_defaults(db="bench_ir_unauth_flood", redis_url="redis://127.0.0.1:6379/4")
    parser.add_argument("--port", type=int, default=18370, help="gunicorn port")
    parser.add_argument("--requests", type=int, default=5000, help="bad-key requests to send")
    parser.add_argument("--connections", type=int, default=4, help="client threads")
    args = parser.parse_args()

    server = None
    try:
        print(f"creating database {args.db} and migrating…", flush=True)
        common.create_database(args)
        common.migrate(args)
        common.setup_django(args, "instantreply.settings")
        _flush_limits(args)
        before = _row_counts()
        server = _start_gunicorn(args)
        started = time.perf_counter()
        statuses = _flood(args)
        seconds = time.perf_counter() - started
        _stop(server)
        server = None
        after = _row_counts()
        written = {table: after[table] - before[table] for table in after}
        changed = {table: n for table, n in written.items() if n}
        total = sum(written.values())
        print(f"{args.requests:,} bad-key requests from one address in {seconds:.1f} s")
        print("answers: " + ", ".join(f"{code}: {n:,}" for code, n in sorted(statuses.items())))
        print(f"rows written: {total} ({changed or 'no table changed'})")
        ok = total < 100 and set(statuses) <= {"401", "429"}
        print("goal (< 100 rows, only 401/429): " + ("met" if ok else "NOT met"))
        return 0 if ok else 1
    finally:
        if server is not None:
            _stop(server)
        common.close_django_connections()
        if not args.keep_db:
            common.drop_database(args)
            print(f"dropped database {args.db}")


def _flush_limits(args) -> None:
    # A run within a minute of the last must not start with its counters; only the
    # failed-authentication windows are dropped (the Redis db may be shared).
    import redis

    store = redis.Redis.from_url(args.redis_url)
    for key in store.scan_iter(match="*unauthenticated*"):
        store.delete(key)


def _row_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _start_gunicorn(args) -> subprocess.Popen:
    import requests

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "instantreply.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ],
        env=common.bench_env(args, "instantreply.settings"),
        stdout=subprocess.DEVNULL,
        stderr=open(f"/tmp/instantreply-bench-gunicorn-{args.port}.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{args.port}/healthz", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit(
                f"gunicorn did not come up (/tmp/instantreply-bench-gunicorn-{args.port}.log)"
            )
        time.sleep(0.2)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _flood(args) -> collections.Counter:
    import requests

    alphabet = string.ascii_letters + string.digits
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()
    url = f"http://127.0.0.1:{args.port}/v1/contacts"
    share = [args.requests // args.connections] * args.connections
    share[0] += args.requests - sum(share)

    def client(count: int) -> None:
        session = requests.Session()
        seen: collections.Counter = collections.Counter()
        for _ in range(count):
            key = "ir_live_" + "".join(secrets.choice(alphabet) for _ in range(40))
            try:
                response = session.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=10)
                seen[str(response.status_code)] += 1
            except requests.RequestException as exc:
                seen[type(exc).__name__] += 1
        with lock:
            statuses.update(seen)

    threads = [threading.Thread(target=client, args=(n,)) for n in share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


if __name__ == "__main__":
    raise SystemExit(main())
