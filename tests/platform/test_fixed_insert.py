"""core.rawsql.FixedInsert writes the rows bulk_create would write (defaults, JSON
values, timestamps, NULLs), on SQLite and PostgreSQL alike."""

import datetime as dt

from instantreply.core.models import DownstreamCall
from instantreply.core.rawsql import FixedInsert


def _stored(call_id: str) -> dict:
    row = DownstreamCall.objects.filter(pk=call_id).values().get()
    row.pop("id")
    row.pop("created_at")
    return row


def test_rows_read_back_as_bulk_create_writes_them(workspace):
    fields = {
        "request_id": "req_1",
        "workspace_id": workspace.id,
        "service": "webhook",
        "method": "POST",
        "url": "https://hooks.example.com/in?x=1",
        "status": None,
        "duration_ms": 12,
        "error": "connection failed: 'quoted' \\ text",
        "request_body": {"id": "evt_1", "data": {"name": "Ána", "tags": ["vip"]}, "n": 1.5},
        "response_body": "ok",
        "subject_id": "whd_1",
    }
    at = dt.datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    (orm,) = DownstreamCall.objects.bulk_create([DownstreamCall(**fields, created_at=at)])
    FixedInsert.of(DownstreamCall).insert([{**fields, "created_at": at}, fields])
    fixed = DownstreamCall.objects.exclude(pk=orm.pk).order_by("created_at")
    assert [_stored(c.pk) for c in fixed] == [_stored(orm.pk)] * 2
    timed, defaulted = fixed
    assert timed.created_at == at and defaulted.created_at > at
    assert defaulted.id.startswith("dc_") and defaulted.id != timed.id
