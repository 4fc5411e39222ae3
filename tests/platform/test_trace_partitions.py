"""The trace store partitioned by day on PostgreSQL (instantreply/core/partitions.py):
the periodic task creates the days ahead, retention drops whole partitions and
deletes only the remainder, lookups by req_ id find rows in any partition, and
SQLite (the embedded default) keeps plain tables with the same purge."""

import datetime as dt
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


@pg
@pytest.mark.django_db
def test_purge_drops_expired_partitions_and_keeps_the_rest(settings):
    settings.REQUEST_LOG_RETENTION_DAYS = 30
    settings.REQUEST_LOG_GET_RETENTION_DAYS = 7
    current = dt.datetime(2031, 5, 31, 12, 0, tzinfo=dt.UTC)
    partitions.ensure_days(dt.date(2031, 4, 28), dt.date(2031, 5, 31))
    old_day = _log(dt.datetime(2031, 4, 29, 10, tzinfo=dt.UTC), "POST", n=1)  # day past 30 d
    old_get = _log(dt.datetime(2031, 5, 20, 10, tzinfo=dt.UTC), "GET", n=2)  # past 7 d
    kept_post = _log(dt.datetime(2031, 5, 20, 10, tzinfo=dt.UTC), "POST", n=3)
    # The day the 30-day cutoff falls in (2031-05-01 12:00): the remainder, by rows.
    edge_old = _log(dt.datetime(2031, 5, 1, 11, 59, tzinfo=dt.UTC), "PATCH", n=4)
    edge_kept = _log(dt.datetime(2031, 5, 1, 12, 1, tzinfo=dt.UTC), "PATCH", n=5)
    # The day the 7-day cutoff falls in (2031-05-24 12:00).
    get_edge_old = _log(dt.datetime(2031, 5, 24, 11, 0, tzinfo=dt.UTC), "HEAD", n=6)
    get_edge_kept = _log(dt.datetime(2031, 5, 24, 13, 0, tzinfo=dt.UTC), "GET", n=7)
    recent = _log(dt.datetime(2031, 5, 31, 11, 0, tzinfo=dt.UTC), "GET", n=8)
    _call(old_day.id, dt.datetime(2031, 4, 29, 10, 1, tzinfo=dt.UTC))
    call_kept = _call(kept_post.id, dt.datetime(2031, 5, 20, 10, 1, tzinfo=dt.UTC))
    # The rows were written in this test's transaction: their deferred foreign-key
    # checks run now, as at a commit, so their tables can be dropped.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with mock.patch.object(maintenance, "now", return_value=current):
        result = maintenance.purge_expired()

    assert result["request_logs"] == 4
    assert result["downstream_calls"] == 1
    remaining = set(RequestLog.objects.values_list("id", flat=True))
    assert remaining == {kept_post.id, edge_kept.id, get_edge_kept.id, recent.id}
    assert set(DownstreamCall.objects.values_list("id", flat=True)) == {call_kept.id}
    # Whole partitions went: the days past 30 d, and the GET halves of days past 7 d.
    assert not _exists("core_requestlog_p20310429")
    assert not _exists("core_requestlog_p20310430")
    assert not _exists("core_downstreamcall_p20310429")
    assert _exists("core_requestlog_p20310501")
    # The GET half of a day past 7 days went whole; an empty one takes its place.
    assert _exists("core_requestlog_p20310520_reads")
    assert _count("core_requestlog_p20310520_reads") == 0
    assert _count("core_requestlog_p20310520_writes") == 1
    assert _exists("core_requestlog_p20310524_reads")
    assert _partition_of(RequestLog, kept_post.id) == "core_requestlog_p20310520_writes"
    assert old_get.id not in remaining and edge_old.id not in remaining
    assert get_edge_old.id not in remaining


@pg
@pytest.mark.django_db
def test_the_remainder_is_deleted_in_bounded_batches():
    partitions.ensure_days(dt.date(2031, 6, 1), dt.date(2031, 6, 1))
    at = dt.datetime(2031, 6, 1, 1, tzinfo=dt.UTC)
    for n in range(7):
        _log(at + dt.timedelta(seconds=n), "GET", n=n)
    with CaptureQueriesContext(connection) as queries:
        cutoff = at + dt.timedelta(seconds=5)
        deleted = partitions.delete_in_batches(
            "core_requestlog", "created_at < %s", [cutoff], before=cutoff, batch=2
        )
    leaf = 'DELETE FROM "core_requestlog_p20310601_reads"'
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
