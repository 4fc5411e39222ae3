"""Rows from fixed SQL text, for the hottest reads.

Building and compiling a QuerySet, then a model instance per row, costs more CPU
than PostgreSQL spends running a small indexed SELECT
(bench/platform_throughput.py). ``FixedSelect`` applies each field's database
converters, as the ORM does, to SQL whose text is written once per model, and
returns read-only rows: named tuples with the model's field attributes (``id``,
``workspace_id``, ``created_at``…), enough for the ``*_data(obj)`` output
functions, which only read fields.
"""

from collections import namedtuple
from json import loads as _json_loads

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import JSONField


def native_cursor():
    """A cursor for fixed SQL text on the hottest reads and writes: on PostgreSQL a
    plain psycopg cursor with server-side binding whose statements are prepared
    (``_native_classes``), its ``timestamptz`` and ``jsonb`` columns loaded
    by psycopg's own loaders (C for timestamps) instead of Django's Python ones,
    wrapped by Django's CursorWrapper (query counting, execute wrappers and error
    translation as for ``connection.cursor()``). Elsewhere ``connection.cursor()``.

    Design note: a list page loads about 40 timestamps; Django's loader for them is
    Python, psycopg's is C, and a client-side-bound statement is quoted, sent, parsed
    and planned anew each time (bench/platform_throughput.py). The values are the
    same: aware datetimes in the connection's time zone (UTC), and ``json.loads`` of
    the jsonb text."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    cursor_class, timestamptz_loader, jsonb_loader = _native_classes()
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        raw = cursor_class(db.connection)
        raw.adapters.register_loader("timestamptz", timestamptz_loader)
        raw.adapters.register_loader("jsonb", jsonb_loader)
        return db._prepare_cursor(raw)


_NATIVE = None


def _native_classes():
    """(cursor class, timestamptz loader, jsonb loader), built once.

    The cursor prepares its statements on first use: Django turns psycopg's
    automatic preparing off for the connection (``prepare_threshold`` None), and a
    few fixed texts run on every request are exactly what preparing is for. psycopg
    keeps at most ``prepared_max`` (100) per connection and prepares again after a
    reconnection. The jsonb loader decodes the text before ``json.loads`` (which
    would otherwise sniff the encoding of bytes each time)."""
    global _NATIVE
    if _NATIVE is None:
        import psycopg
        from psycopg.types.datetime import TimestamptzLoader
        from psycopg.types.json import JsonbLoader

        class PreparedCursor(psycopg.Cursor):
            def execute(self, query, params=None, *, prepare=True, binary=None):
                return super().execute(query, params, prepare=prepare, binary=binary)

        class TextJsonbLoader(JsonbLoader):
            def load(self, data):
                return _json_loads(bytes(data).decode())

        _NATIVE = (PreparedCursor, TimestamptzLoader, TextJsonbLoader)
    return _NATIVE


class FixedSelect:
    """``SELECT <every concrete column> FROM <table> <tail>`` → rows."""

    _plans: dict[tuple[str, type], "FixedSelect"] = {}

    def __init__(self, model):
        self.model = model
        table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.has_livemode = "livemode" in self.attnames
        self.row = namedtuple(f"{model.__name__}Row", self.attnames)
        quote = connection.ops.quote_name
        self.head = f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} "
        self.converters = []
        # On PostgreSQL a native cursor loads jsonb (and timestamptz) itself, so
        # the JSONFields' converters are skipped; a model with a JSONField that has
        # a decoder of its own keeps Django's cursor and every converter.
        self.native = connection.vendor == "postgresql" and not any(
            isinstance(f, JSONField) and f.decoder is not None for f in fields
        )
        for index, field in enumerate(fields):
            if self.native and isinstance(field, JSONField):
                continue
            column = field.get_col(table)
            converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            if converters:
                self.converters.append((index, column, converters))

    @classmethod
    def of(cls, model) -> "FixedSelect":
        key = (connection.vendor, model)
        plan = cls._plans.get(key)
        if plan is None:
            plan = cls._plans[key] = cls(model)
        return plan

    def fetch(self, tail: str, params: list) -> list:
        with native_cursor() if self.native else connection.cursor() as cursor:
            cursor.execute(self.head + tail, params)
            rows = cursor.fetchall()
        make = self.row._make
        if not self.converters:
            return [make(row) for row in rows]
        out = []
        for row in rows:
            row = list(row)
            for index, column, converters in self.converters:
                for converter in converters:
                    row[index] = converter(row[index], column, connection)
            out.append(make(row))
        return out


class FixedInsert:
    """``INSERT INTO <table> (<every concrete column>) VALUES (…), (…)`` from dicts
    of field attnames or unsaved instances, for the hottest batch writes (webhook delivery rows and
    their downstream calls, bench/webhooks_delivery.py).

    It writes what ``bulk_create`` writes — each value through the field's
    ``get_db_prep_save``, a missing field takes its default (ids, timestamps) —
    without a model instance per row, and as a plain VALUES list: on PostgreSQL
    ``bulk_create`` sends UNNEST arrays, which psycopg's client-side binding
    (Django's default) quotes element by element in Python."""

    _plans: dict[tuple[str, type], "FixedInsert"] = {}
    # Rows per statement: far below SQLite's 32,766 host parameters.
    CHUNK = 500

    def __init__(self, model):
        self.fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    @classmethod
    def of(cls, model) -> "FixedInsert":
        key = (connection.vendor, model)
        plan = cls._plans.get(key)
        if plan is None:
            plan = cls._plans[key] = cls(model)
        return plan

    def values(self, row) -> list:
        """A row's values in column order, ready to bind: ``row`` is a dict of
        attnames (a missing field takes its default) or an unsaved instance."""
        if not isinstance(row, dict):
            return [f.get_db_prep_save(getattr(row, f.attname), connection) for f in self.fields]
        out = []
        for field in self.fields:
            value = row[field.attname] if field.attname in row else field.get_default()
            out.append(field.get_db_prep_save(value, connection))
        return out

    def insert(self, rows: list) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.CHUNK):
                chunk = rows[start : start + self.CHUNK]
                params = []
                for row in chunk:
                    params += self.values(row)
                cursor.execute(self.head + ", ".join([self.row] * len(chunk)), params)
