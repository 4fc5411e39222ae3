"""Benchmark of the trace store at scale (issue 13 §5): purge and trace lookup on
10 M request logs, unpartitioned (BEFORE) and partitioned by day (AFTER).

    .venv/bin/python bench/trace_store.py                  # 10 M rows, then drop
    .venv/bin/python bench/trace_store.py --rows 500000    # a quick look

One throw-away PostgreSQL database (bench_trace_store, dropped at the end):
1. migrate, then unapply core 0003: the old, unpartitioned schema;
2. load the rows with one INSERT ... SELECT generate_series (secondary indexes
   dropped for the load and re-created after, so the schema is the old one):
   one row every ~0.35 s over 40 days, a third POST, small bodies, ids that are
   UUIDv7-shaped (their time prefix is the row's created_at, as in production);
3. BEFORE: trace lookups by req_ id as the read paths make them (the log by
   primary key and its downstream calls by request id, each within retention:
   ``retained()``) for ids spread over the rows kept, p50 and p99; then
   ``purge_expired`` as the hourly task runs it, each in a transaction rolled
   back: a steady-state run (the clock set so that the first hour of GETs is just
   past 7 days: the day the GET cutoff falls in is partly expired, the days ahead
   exist) and the backlog (40 days loaded, nothing purged yet: the clock at the
   end of the load);
4. migrate core 0003 (the conversion copies the rows into the partitions; timed);
5. AFTER: the same lookups and the same two purges (the backlog one committed),
   then the next hourly run after the backlog (both cutoffs inside a day).
For each purge it prints its time and, counted apart from what the purge reports,
the rows it deleted (rows gone from tables that are still there) and the rows that
went with the tables it dropped. Prints each figure and the AFTER/BEFORE ratios,
with the machine's load.
"""

import argparse
import contextlib
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.platform_common import (  # noqa: E402
    PYTHON,
    ROOT,
    add_common_arguments,
    bench_env,
    close_django_connections,
    create_database,
    drop_database,
    migrate,
    setup_django,
)

DAYS = 40
LOOKUPS = 2000


def manage(args, *command) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=bench_env(args), check=True)
    return time.perf_counter() - started


def load(rows: int, start: dt.datetime) -> float:
    """``rows`` request logs from ``start`` over DAYS days, with the old table's
    secondary indexes dropped during the INSERT and re-created after."""
    from django.db import connection

    started = time.perf_counter()
    step_ms = DAYS * 86_400_000 // rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = 'core_requestlog'::regclass AND NOT x.indisprimary"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """
            INSERT INTO core_requestlog (id, method, path, query, status, duration_ms,
                replayed, request_headers, request_body_truncated, response_headers,
                response_body_truncated, response_body, created_at)
            SELECT 'req_' || lpad(to_hex(ms), 12, '0') || '7'
                       || substr(md5(g::text), 1, 19),
                   CASE WHEN g %% 3 = 0 THEN 'POST' ELSE 'GET' END, '/v1/contacts', '{}',
                   CASE WHEN g %% 1000 = 0 THEN 500 WHEN g %% 10 = 0 THEN 422 ELSE 200 END,
                   5, false, '{"Accept": "application/json"}', false,
                   '{"Content-Type": "application/json"}', false, '{"data": [], "has_more": false}',
                   to_timestamp(ms / 1000.0)
            FROM (SELECT g, %s::bigint + g * %s::bigint AS ms
                  FROM generate_series(1, %s) g) s
            """,
            [int(start.timestamp() * 1000), step_ms, rows],
        )
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE core_requestlog")
    return time.perf_counter() - started


def sample_ids(count: int) -> list[str]:
    """Ids of rows within retention (GETs of the last 7 days, the rest of 30)."""
    from django.db import connection

    from instantreply.core.models import retention_cutoffs

    reads_cutoff, cutoff = retention_cutoffs()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM core_requestlog TABLESAMPLE SYSTEM (1) WHERE created_at >= %s "
            "AND (method NOT IN ('GET', 'HEAD') OR created_at >= %s)",
            [cutoff, reads_cutoff],
        )
        ids = [row[0] for row in cursor.fetchall()]
    random.Random(13).shuffle(ids)
    return ids[:count]


def lookups(ids: list[str]) -> list[float]:
    """The trace reads for each id, as the trace endpoint, admin page and command do:
    its log by primary key, then its downstream calls."""
    from instantreply.core.models import DownstreamCall, RequestLog

    samples = []
    for request_id in ids:
        started = time.perf_counter()
        log = RequestLog.objects.retained().get_by_request_id(request_id)
        list(DownstreamCall.objects.retained().for_request(request_id))
        samples.append(time.perf_counter() - started)
        assert log is not None, request_id
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def rows_by_table() -> dict[int, int]:
    """Request-log rows by the table (leaf partition) holding them, by its oid: a
    dropped and re-created partition is a new oid."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::int, count(*) FROM core_requestlog GROUP BY 1")
        return dict(cursor.fetchall())


def purge_at(when: dt.datetime) -> tuple[float, dict]:
    """``purge_expired`` as the task runs it, its clock at ``when``; the counts it
    returns, plus ``deleted`` (request-log rows gone from tables still there) and
    ``dropped`` (rows of the tables it dropped), counted before and after."""
    from instantreply.core import maintenance

    before = rows_by_table()
    with mock.patch.object(maintenance, "now", return_value=when):
        started = time.perf_counter()
        counts = maintenance.purge_expired()
    seconds = time.perf_counter() - started
    after = rows_by_table()
    counts["deleted"] = sum(n - after.get(oid, 0) for oid, n in before.items() if oid in after)
    counts["dropped"] = sum(n for oid, n in before.items() if oid not in after)
    return seconds, counts


def describe(counts: dict) -> str:
    return (
        f"{counts['deleted']:,} request-log rows deleted, "
        f"{counts['dropped']:,} dropped with their tables"
    )


def count_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_requestlog")
        return cursor.fetchone()[0]


def measure(label: str, ids: list[str], start: dt.datetime, at: dt.datetime, *, keep: bool):
    from django.db import connection, transaction

    lookups(ids[:200])  # warm the cache the same way on both sides
    samples = lookups(ids)
    figures = {"p50": percentile(samples, 0.50), "p99": percentile(samples, 0.99)}
    print(
        f"{label}: trace lookup by req_ id, {len(samples)} ids: "
        f"p50 {figures['p50']:.3f} ms, p99 {figures['p99']:.3f} ms"
    )
    # An hourly run in the steady state: the first hour of GETs crosses the 7-day
    # cutoff, inside the first day loaded.
    with transaction.atomic():
        figures["hourly"], counts = purge_at(start + dt.timedelta(days=7, hours=1))
        transaction.set_rollback(True)
    print(
        f"{label}: purge_expired, a steady-state hourly run (one hour of GETs expires, "
        f"its day partly expired): {figures['hourly']:.3f} s, {describe(counts)} (rolled back)"
    )
    # The backlog: 40 days loaded, nothing purged yet. Kept: as the task runs it,
    # each statement committed on its own; else in a transaction rolled back.
    with contextlib.nullcontext() if keep else transaction.atomic():
        figures["backlog"], counts = purge_at(at)
        remaining = count_rows()
        if not keep:
            transaction.set_rollback(True)
    connection.close()
    print(
        f"{label}: purge_expired, the backlog (40 days, none purged yet): "
        f"{figures['backlog']:.2f} s, {describe(counts)}; "
        f"{remaining:,} rows left" + ("" if keep else " (rolled back)")
    )
    if keep:
        # The next hourly run after the backlog: both cutoffs now fall inside a day
        # whose older rows are kept until the day is wholly past.
        figures["next"], counts = purge_at(at + dt.timedelta(hours=1))
        print(
            f"{label}: purge_expired, the next hourly run (both cutoffs inside a day): "
            f"{figures['next']:.3f} s, {describe(counts)}; {count_rows():,} rows stored"
        )
        connection.close()
    return figures


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_common_arguments(parser)
    parser.set_defaults(db="bench_trace_store")
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}"
    )
    create_database(args)
    try:
        migrate(args)
        manage(args, "migrate", "core", "0002", "-v", "0")
        setup_django(args)
        from django.db import connection

        at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        start = at - dt.timedelta(days=DAYS)
        print(
            f"BEFORE: loaded {args.rows:,} request logs over {DAYS} days "
            f"in {load(args.rows, start):.1f} s"
        )
        ids = sample_ids(LOOKUPS)
        before = measure("BEFORE", ids, start, at, keep=False)
        connection.close()
        seconds = manage(args, "migrate", "core", "0003", "-v", "0")
        print(f"migration core 0003 (copy into partitions, indexes): {seconds:.1f} s")
        after = measure("AFTER", ids, start, at, keep=True)
        for name in ("p50", "p99", "backlog", "hourly"):
            print(f"ratio AFTER/BEFORE {name}: {after[name] / before[name]:.3f}")
        print(f"load at the end: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    finally:
        close_django_connections()
        if not args.keep_db:
            drop_database(args)


if __name__ == "__main__":
    main()
