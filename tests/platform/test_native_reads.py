"""The hot reads' native cursor (core.rawsql.native_cursor) and the one-call
timestamp format: the same values and text as the ORM and the strftime form, and
the queries still counted."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import selectors
from contacts.models import Contact
from instantreply.core.rawsql import FixedSelect, native_cursor, text_array
from instantreply.core.timeutil import format_ts


def _strftime_form(value: dt.datetime) -> str:
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 30, 0, 1_500, tzinfo=ZoneInfo("Europe/Paris")),
        dt.datetime(2026, 6, 1, 12, 0, 0, 123_456, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
        dt.datetime(1000, 1, 1, 0, 0, 0, 999, tzinfo=dt.UTC),
        dt.datetime(999, 12, 31, 23, 59, 59, 5_000, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
    ],
)
def test_format_ts_is_the_strftime_form(value):
    assert format_ts(value) == _strftime_form(value)


def test_format_ts_of_none_is_none():
    assert format_ts(None) is None


@pytest.fixture
def contacts_with_every_shape(workspace, make_contact):
    seen = make_contact(name="Seen")
    Contact.objects.filter(pk=seen.pk).update(
        last_seen_at=dt.datetime(2026, 2, 3, 4, 5, 6, 789_000, tzinfo=dt.UTC),
        lead_temperature="hot",
        tags=["vip", "b:x"],
    )
    make_contact(name=None, external_id="14155550999")
    make_contact(name='Zoë "Q" O\'Brien', platform="instagram", external_id="ig123")
    return Contact.objects.filter(workspace=workspace)


@pytest.mark.django_db
def test_the_fixed_select_reads_what_the_orm_reads(contacts_with_every_shape, workspace):
    plan = FixedSelect.of(Contact)
    rows = plan.fetch(
        "WHERE workspace_id = %s ORDER BY created_at, id LIMIT %s", [workspace.id, 10]
    )
    expected = list(contacts_with_every_shape.order_by("created_at", "id"))
    assert len(rows) == len(expected) == 3
    for row, contact in zip(rows, expected, strict=True):
        for name in plan.attnames:
            assert getattr(row, name) == getattr(contact, name), name
            assert type(getattr(row, name)) is type(getattr(contact, name)), name


@pytest.mark.django_db
def test_native_reads_are_counted_like_any_query(contacts_with_every_shape, workspace):
    ids = list(contacts_with_every_shape.values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        FixedSelect.of(Contact).fetch("WHERE workspace_id = %s LIMIT %s", [workspace.id, 5])
        handles = selectors.handles_by_contact(ids)
    assert len(queries) == 2
    assert sorted(h["external_id"] for hs in handles.values() for h in hs) == sorted(
        contacts_with_every_shape.values_list("handles__external_id", flat=True)
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_native_cursor_loads_timestamps_and_json_as_django_does(contacts_with_every_shape):
    sql = "SELECT created_at, last_seen_at, tags FROM contacts_contact ORDER BY created_at, id"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        django_rows = cursor.fetchall()
    with native_cursor() as cursor:
        cursor.execute(sql)
        native_rows = cursor.fetchall()
    # Django's cursor leaves jsonb as text for JSONField to decode.
    assert [(a, b, json.loads(c)) for a, b, c in django_rows] == native_rows
    for created_at, _, _ in native_rows:
        assert created_at.tzinfo is dt.UTC


@pytest.mark.postgres
@pytest.mark.django_db
def test_native_reads_are_prepared_and_logged_queries_keep_their_text(contacts_with_every_shape):
    sql = "SELECT id FROM contacts_contact WHERE name <> %s ORDER BY id"
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"
    for _ in range(2):
        with native_cursor() as cursor:
            cursor.execute(sql, ["-"])
            cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(prepared, ["SELECT id FROM contacts_contact WHERE name <> $1%"])
        assert cursor.fetchone()[0] == 1
    # While Django logs queries, the same read runs unprepared, with its text kept.
    with CaptureQueriesContext(connection) as queries, native_cursor() as cursor:
        cursor.execute(sql, ["-"])
    assert queries.captured_queries[0]["sql"].startswith("SELECT id FROM contacts_contact")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_jsonb_loader_reads_what_json_reads_long_integers_included():
    values = [
        ["vip", "b:x", "Zoë"],
        {"n": 12345678901234567890123, "m": -9223372036854775809, "f": 0.1, "e": 1.5e300},
        [1e-7, 123456789012345678],
        {"big": 9223372036854775807, "nested": [{"a": None, "b": True}]},
    ]
    for value in values:
        sql, params = "SELECT %s::jsonb", [json.dumps(value)]
        with connection.cursor() as cursor:  # Django's: the jsonb text, for json.loads
            cursor.execute(sql, params)
            expected = json.loads(cursor.fetchone()[0])
        with native_cursor() as cursor:
            cursor.execute(sql, params)
            loaded = cursor.fetchone()[0]
        assert loaded == expected
        # An integer over 64 bits stays an exact int, never a float.
        assert json.dumps(loaded) == json.dumps(expected)
    assert expected["big"] == 9223372036854775807


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_native_cursor_is_kept_per_connection_and_survives_its_with_block():
    with native_cursor() as first:
        first.execute("SELECT 1")
        assert first.fetchall() == [(1,)]
    with native_cursor() as second:
        second.execute("SELECT 2")
        assert second.fetchall() == [(2,)]
    assert first.cursor is second.cursor and not second.cursor.closed
    # A new connection gets a new cursor.
    connection.close()
    with native_cursor() as third:
        third.execute("SELECT 3")
        assert third.fetchall() == [(3,)]
    assert third.cursor is not first.cursor


@pytest.mark.parametrize(
    "ids, expected",
    [
        (["cont_1", "cont_2"], "{cont_1,cont_2}"),
        (["cont_01HX"], "{cont_01HX}"),
        # Anything that would need quoting in an array literal stays a list.
        (['a"b', "c"], ['a"b', "c"]),
        (["a,b"], ["a,b"]),
        (["a b"], ["a b"]),
        # NULL unquoted in an array literal is a null.
        (["NULL"], ["NULL"]),
        (["a", "null"], ["a", "null"]),
        (["nullable", "a_null"], "{nullable,a_null}"),
        ([""], [""]),
        (["x}", "y"], ["x}", "y"]),
    ],
)
def test_text_array_is_a_literal_only_for_plain_ids(ids, expected):
    assert text_array(ids) == expected
