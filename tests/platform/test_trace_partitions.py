"""The trace store partitioned by day on PostgreSQL (instantreply/core/partitions.py):
the periodic task creates the days ahead, retention drops whole partitions and
deletes no rows of a day partition (only of the DEFAULT one), lookups by req_ id find rows in any partition, and
SQLite (the embedded default) keeps plain tables with the same purge."""

import datetime as dt
import re
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instantreply.core import maintenance, partitions
from instantreply.core.ids import time_of_id
from instantreply.core.models import DownstreamCall, RequestLog
from instantreply.core.tasks import purge_expired

pg = pytest.mark.postgres


def _id_at(prefix: str, at: dt.datetime, n: int) -> str:
    """A UUIDv7-shaped id whose time is ``at`` (as the middleware's ids are)."""
    ms = int(at.timestamp() * 1000)
    return f"{prefix}_{uuid.UUID(int=(ms << 80) | (0x7 << 76) | n).hex}"


def _log(at: dt.datetime, method: str = "GET", n: int = 1, **extra) -> RequestLog:
    return RequestLog.objects.create(
        id=_id_at("req", at, n),
        method=method,
        path="/v1/contacts",
        status=200,
        created_at=at,
        **extra,
    )


def _call(request_id: str, at: dt.datetime, n: int = 1) -> DownstreamCall:
    return DownstreamCall.objects.create(
        id=_id_at("dc", at, n),
        request_id=request_id,
        service="webhook",
        method="POST",
        url="https://example.com/hook",
        created_at=at,
    )


def _partition_of(model, pk: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {model._meta.db_table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        return cursor.fetchone()[0]


def _oid(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)::oid::int", [name])
        return cursor.fetchone()[0]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


@pg
@pytest.mark.django_db
def test_the_periodic_task_creates_the_days_ahead():
    today = dt.date(2031, 3, 10)
    assert not _exists("core_requestlog_p20310310")
    with mock.patch.object(maintenance, "now", return_value=_midnight(today)):
        purge_expired.apply().get()
    for offset in range(partitions.AHEAD_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        assert _exists(partitions.partition_name("core_requestlog", day))
        assert _exists(partitions.partition_name("core_requestlog", day) + "_reads")
        assert _exists(partitions.partition_name("core_requestlog", day) + "_writes")
        assert _exists(partitions.partition_name("core_downstreamcall", day))
    assert not _exists("core_requestlog_p" + f"{today + dt.timedelta(days=4):%Y%m%d}")
    # A second run creates nothing more.
    with mock.patch.object(maintenance, "now", return_value=_midnight(today)):
        assert partitions.ensure_ahead(today) == []


def _rows_by_leaf(table: str) -> dict[int, int]:
    """Row counts of ``table``'s leaf tables, by table oid (a dropped and re-created
    leaf is a new oid)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT tableoid::int, count(*) FROM "{table}" GROUP BY 1')
        return dict(cursor.fetchall())


def _purge(current: dt.datetime) -> tuple[dict, list[str], list[str]]:
    """``purge_expired`` at ``current``: its result, the tables it dropped and those
    it deleted rows from."""
    with (
        mock.patch.object(maintenance, "now", return_value=current),
        CaptureQueriesContext(connection) as queries,
    ):
        result = maintenance.purge_expired()
    sqls = [q["sql"] for q in queries.captured_queries]
    dropped = [m.group(1) for q in sqls if (m := re.match(r'DROP TABLE "([^"]+)"', q))]
    # The days the test database was made with (today's) are wholly expired by a
    # clock in 2031 too: only the test's own days count.
    dropped = [name for name in dropped if "_p2031" in name]
    deleted = [
        m.group(1)
        for q in sqls
        if (m := re.match(r'DELETE FROM "(core_(?:requestlog|downstreamcall)[^"]*)"', q))
    ]
    return result, dropped, deleted


DEFAULTS = {"core_requestlog_default", "core_downstreamcall_default"}


def _may(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2031, 5, day, hour, minute, tzinfo=dt.UTC)


@pg
@pytest.mark.django_db
def test_the_steady_state_purge_deletes_no_rows_and_drops_only_wholly_expired_days(settings):
    settings.REQUEST_LOG_RETENTION_DAYS = 30
    settings.REQUEST_LOG_GET_RETENTION_DAYS = 7
    # Cutoffs at 2031-05-31 12:00: GET/HEAD 2031-05-24 12:00, the rest 2031-05-01 12:00.
    current = _may(31, 12)
    partitions.ensure_days(dt.date(2031, 4, 30), dt.date(2031, 5, 31))
    # Wholly past their cutoff: the day 04-30, the GET half of 05-23.
    gone_post = _log(dt.datetime(2031, 4, 30, 10, tzinfo=dt.UTC), "POST", n=1)
    gone_get = _log(_may(23, 10), "GET", n=2)
    post_0523 = _log(_may(23, 10), "POST", n=3)
    # The days the cutoffs fall in: partly expired, so nothing of them goes yet.
    edge_old = _log(_may(1, 11, 59), "PATCH", n=4)
    edge_kept = _log(_may(1, 12, 1), "PATCH", n=5)
    get_edge_old = _log(_may(24, 11), "HEAD", n=6)
    get_edge_kept = _log(_may(24, 13), "GET", n=7)
    post_edge = _log(_may(24, 11), "POST", n=8)
    recent = _log(_may(31, 11), "GET", n=9)
    # The DEFAULT partition (no day made for it: abnormal) is still deleted from.
    stray = _log(dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC), "POST", n=10)
    call_gone = _call(gone_post.id, dt.datetime(2031, 4, 30, 10, 1, tzinfo=dt.UTC), n=1)
    call_edge_old = _call(edge_old.id, _may(1, 11, 59), n=2)
    call_edge_kept = _call(edge_kept.id, _may(1, 12, 2), n=3)
    # The rows were written in this test's transaction: their deferred foreign-key
    # checks run now, as at a commit, so their tables can be dropped.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert _partition_of(RequestLog, stray.id) == "core_requestlog_default"
    logs_before = _rows_by_leaf("core_requestlog")
    calls_before = _rows_by_leaf("core_downstreamcall")

    result, dropped, deleted = _purge(current)

    assert sorted(dropped) == [
        "core_downstreamcall_p20310430",
        "core_requestlog_p20310430",
        "core_requestlog_p20310523_reads",
    ]
    assert set(deleted) <= DEFAULTS
    # No leaf still there lost a row, but the DEFAULT partition its stray.
    for table, before in (("core_requestlog", logs_before), ("core_downstreamcall", calls_before)):
        after = _rows_by_leaf(table)
        default = _oid(f"{table}_default")
        assert {k: v for k, v in after.items() if k != default} == {
            k: v for k, v in before.items() if k in after and k != default
        }
    assert result["request_logs"] == 3  # gone_post, gone_get dropped; stray deleted
    assert result["downstream_calls"] == 1
    assert not RequestLog.objects.filter(pk__in=[gone_post.id, gone_get.id, stray.id]).exists()
    assert not DownstreamCall.objects.filter(pk=call_gone.id).exists()
    # The partly expired days keep their expired rows stored, hidden from reads.
    stored = set(RequestLog.objects.values_list("id", flat=True))
    retained = {post_0523.id, edge_kept.id, get_edge_kept.id, post_edge.id, recent.id}
    assert stored == retained | {edge_old.id, get_edge_old.id}
    assert set(RequestLog.objects.retained(current).values_list("id", flat=True)) == retained
    assert set(DownstreamCall.objects.retained(current).values_list("id", flat=True)) == {
        call_edge_kept.id
    }
    assert DownstreamCall.objects.filter(pk=call_edge_old.id).exists()
    # The GET half of 05-23 went whole; an empty one takes its place.
    assert _count("core_requestlog_p20310523_reads") == 0
    assert _partition_of(RequestLog, post_0523.id) == "core_requestlog_p20310523_writes"
    # The periodic task made the days ahead.
    assert _exists("core_requestlog_p20310603") and _exists("core_downstreamcall_p20310603")

    # The next hourly run: nothing wholly expired, nothing dropped nor deleted.
    result, dropped, deleted = _purge(current + dt.timedelta(hours=1))
    assert (result["request_logs"], result["downstream_calls"], dropped) == (0, 0, [])
    assert set(deleted) <= DEFAULTS

    # Past midnight the days the cutoffs fell in are wholly past: they go whole.
    result, dropped, deleted = _purge(dt.datetime(2031, 6, 1, 0, 30, tzinfo=dt.UTC))
    assert sorted(dropped) == [
        "core_downstreamcall_p20310501",
        "core_requestlog_p20310501",
        "core_requestlog_p20310524_reads",
    ]
    assert set(deleted) <= DEFAULTS
    assert result["request_logs"] == 4  # edge_old, edge_kept, get_edge_old, get_edge_kept
    assert result["downstream_calls"] == 2
    assert set(RequestLog.objects.values_list("id", flat=True)) == {
        post_0523.id,
        post_edge.id,
        recent.id,
    }


@pg
@pytest.mark.django_db
def test_the_default_partition_is_deleted_from_in_bounded_batches():
    # No day partition for 2031-06-01: its rows sit in the DEFAULT partition.
    at = dt.datetime(2031, 6, 1, 1, tzinfo=dt.UTC)
    for n in range(7):
        _log(at + dt.timedelta(seconds=n), "GET", n=n)
    with CaptureQueriesContext(connection) as queries:
        cutoff = at + dt.timedelta(seconds=5)
        deleted = partitions.delete_from_default(
            "core_requestlog", "created_at < %s", [cutoff], batch=2
        )
    leaf = 'DELETE FROM "core_requestlog_default"'
    statements = [q for q in queries.captured_queries if q["sql"].startswith(leaf)]
    assert deleted == 5
    assert len(statements) == 3  # 2 + 2 + 1
    assert RequestLog.objects.filter(created_at__gte=at).count() == 2


@pg
@pytest.mark.django_db
def test_lookups_by_request_id_find_rows_in_every_partition():
    partitions.ensure_days(dt.date(2031, 7, 1), dt.date(2031, 7, 3))
    first = _log(dt.datetime(2031, 7, 1, 23, 59, 59, 999000, tzinfo=dt.UTC), n=1)
    second = _log(dt.datetime(2031, 7, 3, 0, 0, tzinfo=dt.UTC), "POST", n=2)
    assert _partition_of(RequestLog, first.id) == "core_requestlog_p20310701_reads"
    assert _partition_of(RequestLog, second.id) == "core_requestlog_p20310703_writes"
    assert RequestLog.objects.get_by_request_id(first.id) == first
    assert RequestLog.objects.get_by_request_id(second.id) == second
    # A row whose created_at is far from its id's time (moved, or a clock once
    # wrong) is still found, by the unnarrowed lookup.
    RequestLog.objects.filter(pk=first.id).update(created_at=dt.datetime(2031, 7, 3, tzinfo=dt.UTC))
    assert _partition_of(RequestLog, first.id) == "core_requestlog_p20310703_reads"
    assert RequestLog.objects.get_by_request_id(first.id).pk == first.id
    assert RequestLog.objects.get_by_request_id("req_" + "7" * 32) is None
    assert RequestLog.objects.get_by_request_id("req_\x00") is None
    # Downstream calls made later, in other day partitions, all belong to the trace.
    calls = [
        _call(second.id, dt.datetime(2031, 7, 3, 0, 0, 1, tzinfo=dt.UTC), n=1),
        _call(second.id, dt.datetime(2031, 7, 3, 9, tzinfo=dt.UTC), n=2),
        _call(second.id, dt.datetime(2031, 7, 5, 9, tzinfo=dt.UTC), n=3),  # the default
    ]
    assert list(DownstreamCall.objects.for_request(second.id)) == calls
    assert _partition_of(DownstreamCall, calls[2].id) == "core_downstreamcall_default"


@pg
@pytest.mark.django_db
def test_inserts_at_partition_boundaries_and_without_a_partition():
    partitions.ensure_days(dt.date(2031, 8, 1), dt.date(2031, 8, 2))
    midnight = _midnight(dt.date(2031, 8, 2))
    at_boundary = _log(midnight, "POST", n=1)
    just_before = _log(midnight - dt.timedelta(milliseconds=1), "POST", n=2)
    assert _partition_of(RequestLog, at_boundary.id) == "core_requestlog_p20310802_writes"
    assert _partition_of(RequestLog, just_before.id) == "core_requestlog_p20310801_writes"
    # No partition for the day: the insert still succeeds, into the DEFAULT partition…
    orphan = _log(_midnight(dt.date(2031, 8, 9)) + dt.timedelta(hours=5), "GET", n=3)
    orphan_call = _call(orphan.id, orphan.created_at)
    assert _partition_of(RequestLog, orphan.id) == "core_requestlog_default"
    # … and moves into the day's partition when the task creates it.
    created = partitions.ensure_days(dt.date(2031, 8, 9), dt.date(2031, 8, 9))
    assert "core_requestlog_p20310809" in created
    assert _partition_of(RequestLog, orphan.id) == "core_requestlog_p20310809_reads"
    assert _partition_of(DownstreamCall, orphan_call.id) == "core_downstreamcall_p20310809"
    assert RequestLog.objects.get_by_request_id(orphan.id) == orphan


@pg
@pytest.mark.django_db
def test_the_primary_key_includes_the_partition_key():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'core_requestlog'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, created_at, method)"
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'core_downstreamcall'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, created_at)"
    assert partitions.enabled()


@pytest.mark.django_db
def test_sqlite_keeps_plain_tables_and_the_same_purge(settings):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite path (the embedded default)")
    assert not partitions.enabled()
    assert partitions.ensure_ahead(dt.date(2031, 1, 1)) == []
    settings.REQUEST_LOG_RETENTION_DAYS = 30
    settings.REQUEST_LOG_GET_RETENTION_DAYS = 7
    current = dt.datetime(2031, 5, 31, 12, 0, tzinfo=dt.UTC)
    old_get = _log(current - dt.timedelta(days=8), "GET", n=1)
    kept_post = _log(current - dt.timedelta(days=8), "POST", n=2)
    old_post = _log(current - dt.timedelta(days=31), "POST", n=3)
    _call(old_post.id, current - dt.timedelta(days=31))
    with mock.patch.object(maintenance, "now", return_value=current):
        result = maintenance.purge_expired()
    assert result["request_logs"] == 2 and result["downstream_calls"] == 1
    assert set(RequestLog.objects.values_list("id", flat=True)) == {kept_post.id}
    assert old_get.id != kept_post.id
    assert RequestLog.objects.get_by_request_id(kept_post.id) == kept_post


def test_time_of_id_reads_the_uuid7_time():
    at = dt.datetime(2031, 7, 1, 12, 30, 0, 123000, tzinfo=dt.UTC)
    assert time_of_id(_id_at("req", at, 5)) == at
    assert time_of_id("req_worker") is None
    assert time_of_id("req_" + "0" * 32) is None  # not version 7


@pg
@pytest.mark.django_db
def test_a_day_that_cannot_be_created_now_does_not_stop_the_purge(caplog):
    from django.db import OperationalError

    calls = []

    def busy(cursor, table, day):
        calls.append((table, day))
        raise OperationalError("canceling statement due to lock timeout")

    with mock.patch.object(partitions, "create_day", busy):
        created = partitions.ensure_days(dt.date(2031, 9, 1), dt.date(2031, 9, 2))
    assert created == []
    assert len(calls) == 4  # two days of each table, each tried
    assert "could not create partition core_requestlog_p20310901" in caplog.text
    # Rows of those days still go in, to the DEFAULT partition.
    log = _log(dt.datetime(2031, 9, 1, 8, tzinfo=dt.UTC), n=1)
    assert _partition_of(RequestLog, log.id) == "core_requestlog_default"


@pg
@pytest.mark.django_db
def test_trace_bodies_are_compressed_with_lz4_in_every_partition_new_ones_included():
    later = dt.date.today() + dt.timedelta(days=30)
    partitions.ensure_days(later, later)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, a.attcompression FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE a.attname IN ('request_body', 'response_body') AND c.relkind IN ('r', 'p') "
            "AND (c.relname LIKE 'core_requestlog%%' OR c.relname LIKE 'core_downstreamcall%%')"
        )
        rows = cursor.fetchall()
    names = {name for name, _, _ in rows}
    assert partitions.partition_name("core_requestlog", later) in names
    assert len(rows) > 4
    assert {compression for _, _, compression in rows} == {"l"}, rows
    log = _log(
        dt.datetime.now(dt.UTC),
        response_body={"data": [{"text": f"row {n} " * 20} for n in range(200)]},
    )
    log.refresh_from_db()
    assert log.response_body["data"][199]["text"].startswith("row 199")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(response_body) FROM core_requestlog WHERE id = %s",
            [log.id],
        )
        assert cursor.fetchone()[0] == "lz4"


@pg
@pytest.mark.django_db
def test_analyze_skips_the_trace_json_columns_in_every_partition_new_ones_included():
    """Statistics target 0 (migration core 0008, and each partition created later):
    ANALYZE computes no statistics for a trace's bodies, headers or query, and
    still does for the columns reads filter on."""
    from importlib import import_module

    migration = import_module("instantreply.core.migrations.0008_trace_columns_without_statistics")
    assert {t: tuple(c) for t, c in migration.NO_STATISTICS.items()} == partitions.NO_STATISTICS
    later = dt.date.today() + dt.timedelta(days=30)
    created = partitions.ensure_days(later, later)
    assert partitions.partition_name("core_requestlog", later) in created
    _log(dt.datetime.combine(later, dt.time(12), dt.UTC), method="POST", request_body={"a": 1})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, a.attstattarget FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
            "AND (c.relname LIKE 'core_requestlog%%' OR c.relname LIKE 'core_downstreamcall%%')"
        )
        rows = cursor.fetchall()
    day = partitions.partition_name("core_requestlog", later)
    assert {day, day + "_reads", day + "_writes", "core_requestlog_default"} <= {
        r for r, _, _ in rows
    }
    for relation, column, target in rows:
        table = (
            "core_requestlog" if relation.startswith("core_requestlog") else "core_downstreamcall"
        )
        expected = 0 if column in partitions.NO_STATISTICS[table] else -1
        assert target == expected, (relation, column, target)
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{day}_writes"')
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = %s", [day + "_writes"])
        analyzed = {row[0] for row in cursor.fetchall()}
    assert "created_at" in analyzed and "request_body" not in analyzed


@pg
@pytest.mark.django_db
def test_analyze_skips_a_stored_events_body_and_headers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'meta_inboundevent'::regclass AND attnum > 0 AND NOT attisdropped"
        )
        targets = dict(cursor.fetchall())
    assert (targets["body"], targets["headers"]) == (0, 0)
    assert targets["status"] == targets["created_at"] == -1
