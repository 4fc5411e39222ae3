"""Time partitions of the trace store on PostgreSQL (§7 retention).

Design note. ``core_requestlog`` and ``core_downstreamcall`` are partitioned by
RANGE on ``created_at``, one partition per UTC day (``<table>_pYYYYMMDD``), plus a
DEFAULT partition so an insert never fails for lack of a partition (a clock far
off, a row moved to an old date). Retention differs by kind (GET/HEAD request logs
7 days, the rest REQUEST_LOG_RETENTION_DAYS), so each day of request logs is
itself partitioned by LIST on ``method``: ``_reads`` holds GET and HEAD, ``_writes``
(the default sub-partition) the rest. Retention then drops whole tables, and
only that: a day's ``_reads`` once the day is wholly past the GET cutoff (an empty one takes its place, so a late GET
never lands among the writes), the whole day once it is wholly past the general
cutoff (downstream calls: the general cutoff too). The purge never deletes rows
from a day partition; only the DEFAULT partition (empty in normal operation: a
clock far off, a row moved to an old date) is deleted from, in bounded batches
(DELETE_BATCH rows per statement).

So the day a cutoff falls in keeps its expired rows until the day is wholly
past: a row is stored up to one day past its cutoff (plus up to an hour, the
purge's period). Retention stays exact for every reader all the same: each read
path (the trace endpoint, admin list, search and trace page, ``manage.py
trace``, usage, onboarding) starts from ``retained()`` on the models, which
hides rows older than their cutoff, with the same cutoffs as the purge
(``models.retention_cutoffs``); its bound on ``created_at`` also lets PostgreSQL
skip the days past the general cutoff on a lookup.

What that buys: the steady-state hourly run deletes nothing (it drops a day's
tables once a day, per cutoff, and otherwise only creates the days ahead); a
purge that is behind (the backlog) drops days instead of deleting rows; and
deleted rows never bloat a big table, nor does the purge write WAL per row.

The periodic purge (celery beat, hourly) first creates the days ahead
(AHEAD_DAYS), so the DEFAULT partition stays empty in normal operation; if it
holds rows of a day being created, they move into the new day in the same
transaction. A primary key must include the partition key, so it is
``(id, created_at)`` (``(id, created_at, method)`` for request logs); ids are
UUIDv7 and unique by construction, and lookups by id use that key's index in
each partition, narrowed to the days around the id's time (models.py). SQLite
(the embedded default) keeps plain tables; every function here is a no-op there.
"""

import datetime as dt
import logging
import re

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

AHEAD_DAYS = 3
REQUEST_LOGS = "core_requestlog"
DOWNSTREAM_CALLS = "core_downstreamcall"
TABLES = (REQUEST_LOGS, DOWNSTREAM_CALLS)
READ_METHODS = ("GET", "HEAD")
DELETE_BATCH = 5000
# Creating or dropping a partition locks the parent table, and the trace writes
# queue behind a waiting lock: DDL waits at most this long, then gives up until the
# next run (the days ahead leave room for that).
LOCK_TIMEOUT = "1s"

# Columns ANALYZE skips (statistics target 0): nothing filters or sorts on a
# trace's bodies, headers or query, and their jsonb statistics were most of an
# ANALYZE's cost (migration core 0008). Set on each partition created here.
NO_STATISTICS = {
    REQUEST_LOGS: ("query", "request_headers", "request_body", "response_headers", "response_body"),
    DOWNSTREAM_CALLS: ("request_body", "response_body"),
}

_DAY_RE = re.compile(r"_p(\d{8})(_reads|_writes)?$")


def enabled() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)", [REQUEST_LOGS]
        )
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def partition_name(table: str, day: dt.date) -> str:
    return f"{table}_p{day:%Y%m%d}"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def existing_days(cursor, table: str) -> dict[dt.date, str]:
    """The day partitions of ``table`` (direct children), by day."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [table],
    )
    days = {}
    for (name,) in cursor.fetchall():
        match = _DAY_RE.search(name)
        if match and name == partition_name(table, _parse_day(match.group(1))):
            days[_parse_day(match.group(1))] = name
    return days


def _parse_day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y%m%d").date()


def create_day(cursor, table: str, day: dt.date) -> str:
    """Create ``table``'s partition for ``day`` (and its read/write sub-partitions
    for request logs), moving any of that day's rows out of the DEFAULT partition
    first. Runs in the caller's transaction."""
    name = partition_name(table, day)
    low, high = day_start(day), day_start(day + dt.timedelta(days=1))
    default = f"{table}_default"
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    cursor.execute(f"CREATE TEMP TABLE _moved (LIKE {_q(table)}) ON COMMIT DROP")
    cursor.execute(
        f"WITH gone AS (DELETE FROM {_q(default)} WHERE created_at >= %s AND created_at < %s "
        f"RETURNING *) INSERT INTO _moved SELECT * FROM gone",
        [low, high],
    )
    sub = " PARTITION BY LIST (method)" if table == REQUEST_LOGS else ""
    # DDL takes no bound parameters: the bounds are literals we format ourselves.
    cursor.execute(
        f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} "
        f"FOR VALUES FROM ('{low.isoformat()}') TO ('{high.isoformat()}'){sub}"
    )
    if table == REQUEST_LOGS:
        _create_reads(cursor, name)
        cursor.execute(f"CREATE TABLE {_q(name + '_writes')} PARTITION OF {_q(name)} DEFAULT")
    # On the day and (recursively) its sub-partitions: a partition does not take a
    # column's statistics target from its parent.
    alter = ", ".join(f"ALTER COLUMN {_q(c)} SET STATISTICS 0" for c in NO_STATISTICS[table])
    cursor.execute(f"ALTER TABLE {_q(name)} {alter}")
    cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM _moved")
    cursor.execute("DROP TABLE _moved")
    return name


def _create_reads(cursor, day_name: str) -> None:
    methods = ", ".join(f"'{m}'" for m in READ_METHODS)
    cursor.execute(
        f"CREATE TABLE {_q(day_name + '_reads')} PARTITION OF {_q(day_name)} "
        f"FOR VALUES IN ({methods})"
    )


def ensure_days(first: dt.date, last: dt.date) -> list[str]:
    """Create the missing day partitions from ``first`` to ``last`` (inclusive), each
    in its own short transaction; returns the names created."""
    if not enabled():
        return []
    created = []
    for table in TABLES:
        with connection.cursor() as cursor:
            have = existing_days(cursor, table)
        day = first
        while day <= last:
            if day not in have:
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        created.append(create_day(cursor, table, day))
                except DatabaseError:
                    # Busy (lock timeout) or made meanwhile by another run: the next
                    # run tries again; the DEFAULT partition takes the day's rows.
                    logger.warning("could not create partition %s", partition_name(table, day))
            day += dt.timedelta(days=1)
    return created


def ensure_ahead(today: dt.date) -> list[str]:
    return ensure_days(today, today + dt.timedelta(days=AHEAD_DAYS))


def _drop(cursor, name: str) -> int:
    """Drop one partition (a leaf or a day with its leaves); returns its row count."""
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    cursor.execute(f"SELECT count(*) FROM {_q(name)}")
    (rows,) = cursor.fetchone()
    cursor.execute(f"DROP TABLE {_q(name)}")
    return rows


def drop_expired(table: str, cutoff: dt.datetime, reads_cutoff: dt.datetime | None = None) -> int:
    """Drop ``table``'s day partitions that end at or before ``cutoff``, and (request
    logs) the ``_reads`` sub-partitions of days that end at or before
    ``reads_cutoff``. Returns the number of rows dropped."""
    if not enabled():
        return 0
    dropped = 0
    with connection.cursor() as cursor:
        days = existing_days(cursor, table)
    for day, name in sorted(days.items()):
        end = day_start(day + dt.timedelta(days=1))
        if end <= cutoff:
            with transaction.atomic(), connection.cursor() as cursor:
                dropped += _drop(cursor, name)
        elif reads_cutoff is not None and end <= reads_cutoff:
            # The day's GET/HEAD half goes whole and an empty one takes its place, so
            # a late GET never lands among the day's writes (kept the general
            # retention, nothing would drop it sooner); once empty it is left alone.
            reads = _q(name + "_reads")
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name + "_reads"])
                if cursor.fetchone()[0]:
                    cursor.execute(f"SELECT EXISTS (SELECT FROM {reads})")
                    if cursor.fetchone()[0]:
                        dropped += _drop(cursor, name + "_reads")
                        _create_reads(cursor, name)
    return dropped


def delete_from_default(table: str, where: str, params: list, *, batch: int = DELETE_BATCH) -> int:
    """Delete the rows of ``table``'s DEFAULT partition matching ``where``,
    ``batch`` rows per statement (and, outside a transaction, per commit), found by
    their physical address. The day partitions are never deleted from: they are
    dropped whole (``drop_expired``)."""
    leaf = _q(f"{table}_default")
    sql = (
        f"DELETE FROM {leaf} WHERE ({where}) AND ctid = ANY(ARRAY("
        f"SELECT ctid FROM {leaf} WHERE ({where}) LIMIT %s))"
    )
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params, batch])
            deleted = cursor.rowcount
        total += deleted
        if deleted < batch:
            return total
