"""Rows from fixed SQL text, for the hottest reads.

Building and compiling a QuerySet, then a model instance per row, costs more CPU
than PostgreSQL spends running a small indexed SELECT
(bench/platform_throughput.py). ``FixedSelect`` applies each field's database
converters, as the ORM does, to SQL whose text is written once per model, and
returns read-only rows: named tuples with the model's field attributes (``id``,
``workspace_id``, ``created_at``…), enough for the ``*_data(obj)`` output
functions, which only read fields.
"""

import datetime as dt
import hashlib
import json
import re
from collections import namedtuple
from json import loads as _json_loads

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorWrapper
from django.db.models import JSONField
from orjson import JSONDecodeError as _OrjsonError
from orjson import loads as _orjson_loads
from psycopg import RawCursor as _RawCursor
from psycopg import errors as _pg_errors
from psycopg.pq import ExecStatus as _ExecStatus

# orjson reads an integer of more than 64 bits as a float: such texts go to json.
_LONG_NUMBER = re.compile(rb"\d{19}")


def native_cursor(*, loaders: bool = True):
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
    the jsonb text. ``loaders=False``: a statement that reads no such column (an
    INSERT) skips registering them. The psycopg cursor (with its loaders) is kept
    while its connection lives and reused by the next ``native_cursor()`` on that
    connection (Django's connections are per thread, so is the cursor); leaving the
    ``with`` block does not close it. While Django logs queries (DEBUG, or a test's
    CaptureQueriesContext), statements are not prepared and the cursor is not kept:
    psycopg keeps no query text for a prepared execution, and Django's log would
    hold None for them."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        if db.queries_logged:
            raw = _unprepared_cursor_class()(db.connection)
            if loaders:
                _register_loaders(raw)
            return db._prepare_cursor(raw)
        cursor = _kept_cursor(db, loaders)
        db.validate_thread_sharing()
        return _KeptCursorWrapper(cursor, db)


def _kept_cursor(db, loaders: bool):
    """The prepared-statement psycopg cursor (with the loaders, or without) kept on
    ``db``'s current connection, made on first use and after a reconnection."""
    conn = db.connection
    kept = getattr(db, "_native_cursors", None)
    if kept is None or kept[0] is not conn:
        kept = db._native_cursors = (conn, {})
    cursor = kept[1].get(loaders)
    if cursor is None or cursor.closed:
        cursor = kept[1][loaders] = _native_classes()[0](_preparing(conn))
        if loaders:
            _register_loaders(cursor)
    return cursor


def _register_loaders(raw) -> None:
    _, timestamptz_loader, jsonb_loader = _native_classes()
    raw.adapters.register_loader("timestamptz", timestamptz_loader)
    raw.adapters.register_loader("jsonb", jsonb_loader)


class _KeptCursorWrapper(CursorWrapper):
    """Django's CursorWrapper around a kept cursor: closing it (leaving its ``with``
    block) leaves the cursor open for the next statement on the connection."""

    def close(self):
        pass

    def __exit__(self, type, value, traceback):
        pass


def _unprepared_cursor_class():
    # prepare=False, not None: psycopg runs a statement this connection already
    # prepared as prepared unless told not to.
    global _UNPREPARED
    if _UNPREPARED is None:
        import psycopg

        class UnpreparedCursor(psycopg.Cursor):
            def execute(self, query, params=None, *, prepare=False, binary=None):
                return super().execute(query, params, prepare=prepare, binary=binary)

        _UNPREPARED = UnpreparedCursor
    return _UNPREPARED


_UNPREPARED = None


def prepared_write_cursor(db=None):
    """For the single hottest write (the /meta/webhook ack's statement): psycopg's own
    prepared-statement cursor on Django's connection, kept while that connection
    lives, without Django's CursorWrapper. So no DEBUG query log, no execute
    wrappers, and psycopg's exceptions untranslated: the caller catches every
    exception. It runs in whatever transaction Django's connection is in (a test's,
    ATOMIC_REQUESTS), as ``connection.cursor()`` would. PostgreSQL only; ``db``: the
    default connection, when the caller holds it already."""
    if db is None:
        db = connections[DEFAULT_DB_ALIAS]
    db.ensure_connection()
    return _kept_cursor(db, loaders=False)


_NATIVE = None
# Explicitly prepared statements only: psycopg ignores ``prepare=True`` while the
# connection's prepare_threshold is None (Django's default), and never prepares
# the ORM's own statements at a threshold no statement reaches.
_EXPLICIT_ONLY = 2**31 - 1


def _preparing(raw):
    """Django's psycopg connection, set so that this module's cursors' statements
    are prepared (``settings.DATABASE_PREPARED_STATEMENTS``; off behind a pooler
    that cannot keep them, such as PgBouncer before 1.21 in transaction mode)."""
    if raw.prepare_threshold is None and settings.DATABASE_PREPARED_STATEMENTS:
        raw.prepare_threshold = _EXPLICIT_ONLY
    return raw


def _native_classes():
    """(cursor class, timestamptz loader, jsonb loader), built once.

    The cursor prepares its statements on first use: Django turns psycopg's
    automatic preparing off for the connection (``prepare_threshold`` None), and a
    few fixed texts run on every request are exactly what preparing is for. psycopg
    keeps at most ``prepared_max`` (100) per connection and prepares again after a
    reconnection. The jsonb loader reads with ``orjson`` (the same values, several
    times faster than ``json.loads``), and with ``json.loads`` a text holding a run
    of 19 digits or more (orjson reads an integer over 64 bits as a float) or what
    orjson refuses (a number beyond a double)."""
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
                data = bytes(data)
                if _LONG_NUMBER.search(data) is None:
                    try:
                        return _orjson_loads(data)
                    except _OrjsonError:  # 1e400…: as json reads it
                        pass
                return _json_loads(data.decode())

        _NATIVE = (PreparedCursor, TimestamptzLoader, TextJsonbLoader)
    return _NATIVE


# Letters, digits and underscores, but not NULL (an array literal reads it as null).
_PLAIN_ITEM = r"(?!(?i:null)(?:,|\Z))[A-Za-z0-9_]+"
_PLAIN_ITEMS = re.compile(rf"{_PLAIN_ITEM}(?:,{_PLAIN_ITEM})*")


def text_array(values: list[str]):
    """A ``%s::text[]`` parameter holding ``values``: our ids (letters, digits and
    underscores, none spelling NULL) as the array's literal text, which needs no
    quoting, instead of a list that psycopg dumps and quotes element by element in
    Python; anything else as the list."""
    joined = ",".join(values)
    if joined.count(",") != len(values) - 1 or _PLAIN_ITEMS.fullmatch(joined) is None:
        return list(values)
    return "{" + joined + "}"


class _PerModel:
    """``of(model)``: one instance per database vendor and model, built on first use
    (each subclass keeps its own ``_plans``)."""

    _plans: dict

    @classmethod
    def of(cls, model):
        key = (connection.vendor, model)
        plan = cls._plans.get(key)
        if plan is None:
            plan = cls._plans[key] = cls(model)
        return plan


class FixedSelect(_PerModel):
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
        # Every concrete column, in field order: what ``run``'s SQL must return.
        self.columns = ", ".join(quote(f.column) for f in fields)
        self.head = f"SELECT {self.columns} FROM {quote(table)} "
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

    def fetch(self, tail: str, params: list) -> list:
        return self.run(self.head + tail, params)

    def run(self, sql: str, params: list) -> list:
        """Rows of any statement whose result columns are ``columns`` (e.g.
        ``UPDATE … RETURNING``)."""
        with native_cursor() if self.native else connection.cursor() as cursor:
            cursor.execute(sql, params)
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

    def instances(self, rows: list) -> list:
        """Model instances of ``fetch``/``run`` rows (as the ORM loads them), for
        code that needs real instances (relations, saves)."""
        from_db, attnames = self.model.from_db, self.attnames
        return [from_db(DEFAULT_DB_ALIAS, attnames, row) for row in rows]


# Fields whose value is bound as it is (str, int, bool or None): these classes,
# and subclasses that change none of the conversions.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
_PREP_METHODS = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")


def _plain(field) -> bool:
    target = field.target_field if field.is_relation else field
    for base in _PLAIN_FIELDS:
        if isinstance(target, base):
            return all(getattr(type(target), m) is getattr(base, m) for m in _PREP_METHODS)
    return False


class FixedInsert(_PerModel):
    """Rows inserted by fixed SQL text, for the hottest batch writes (webhook
    delivery rows and their downstream calls, bench/webhooks_delivery.py).

    It writes what ``bulk_create`` writes — a missing field takes its default
    (ids, timestamps), other values go through the field's conversion — without a
    model instance per row and in one statement with ONE parameter on PostgreSQL:
    the rows as a JSON array that ``json_populate_recordset`` turns into the
    table's row type. ``bulk_create`` sends UNNEST arrays there, which psycopg's
    client-side binding (Django's default) quotes element by element in Python,
    and a statement with more than 50 parameters is re-parsed by psycopg on every
    call. Elsewhere (SQLite): ``INSERT … VALUES (…), (…)``."""

    _plans: dict[tuple[str, type], "FixedInsert"] = {}
    # Rows per statement: far below SQLite's 32,766 host parameters.
    CHUNK = 500

    def __init__(self, model):
        self.fields = list(model._meta.concrete_fields)
        self.postgres = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        if self.postgres:
            self.sql = (
                f"INSERT INTO {table} ({columns}) SELECT {columns} "
                f"FROM json_populate_recordset(NULL::{table}, %s::json)"
            )
        else:
            self.head = f"INSERT INTO {table} ({columns}) VALUES "
            self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        # Per field: (attname, column, default or None, how its value is bound).
        self.plan = []
        for field in self.fields:
            if _plain(field):
                kind = "plain"
            elif self.postgres and isinstance(field, models.DateTimeField):
                kind = "datetime"
            elif self.postgres and isinstance(field, models.JSONField) and field.encoder is None:
                kind = "json"
            else:
                kind = "prep"
            default = field.get_default if field.has_default() else None
            self.plan.append((field, field.attname, field.column, default, kind))

    def _value(self, row, field, attname, default, kind, db):
        if isinstance(row, dict):
            if attname in row:
                value = row[attname]
            else:
                value = default() if default is not None else field.get_default()
        else:
            value = getattr(row, attname)
        if value is None or kind == "plain" or kind == "json":
            return value
        if kind == "datetime":
            return value.isoformat()
        return field.get_db_prep_save(value, db)

    def insert(self, rows: list) -> None:
        """``rows``: dicts of attnames (a missing field takes its default) or
        unsaved instances."""
        if not rows:
            return
        db = connections[DEFAULT_DB_ALIAS]
        plan = self.plan
        value = self._value
        with db.cursor() as cursor:
            if self.postgres:
                records = [
                    {
                        column: value(row, f, attname, d, kind, db)
                        for f, attname, column, d, kind in plan
                    }
                    for row in rows
                ]
                cursor.execute(self.sql, [json.dumps(records, separators=(",", ":"))])
                return
            for start in range(0, len(rows), self.CHUNK):
                chunk = rows[start : start + self.CHUNK]
                params = [
                    value(row, f, attname, d, kind, db)
                    for row in chunk
                    for f, attname, column, d, kind in plan
                ]
                cursor.execute(self.head + ", ".join([self.row] * len(chunk)), params)


class LibpqStatement:
    """One fixed statement (``$n`` placeholders) for the single hottest write, run by
    libpq itself when it can be: prepared once per connection (``PQprepare``) and
    executed with ``PQexecPrepared``, its parameters turned to bytes here (``bytes``
    sent as they are, in binary format; str, bool, int and aware datetimes as
    text).

    Design note: on the /meta/webhook ack, psycopg's cursor — adapting each
    parameter, its prepared-statement bookkeeping, its Python wait loop around the
    round trip — cost about 20 µs of CPU per post on top of what libpq does
    (in-process, the whole ack: 163 µs against 186, the floor's 104–115). The
    statement runs this way only in autocommit (no atomic block: psycopg begins a
    transaction lazily, on its own cursor's next statement, so a statement sent
    around it would run outside the block) and while Django neither logs queries
    nor has execute wrappers; otherwise, and on SQLite never, through a psycopg
    raw cursor with the same text, as before. ``DATABASE_PREPARED_STATEMENTS``
    off (a pooler that cannot keep them): ``PQexecParams``, nothing prepared.
    Errors are psycopg's, translated by Django's ``wrap_database_errors`` (which
    marks the connection to be checked), as a cursor's are; a connection that lost
    the prepared statement (a pooler's DISCARD ALL) has it prepared again once."""

    def __init__(self, sql: str):
        self.sql = sql
        self._command = sql.encode()
        self._name = f"ir_{hashlib.blake2b(self._command, digest_size=6).hexdigest()}".encode()

    def first_value(self, db, params: list) -> str | None:
        """Run the statement with ``params`` (Python values) on ``db`` (the default
        connection's wrapper) and return the first column of its first row as text
        (None when it returned no row)."""
        db.ensure_connection()
        if db.in_atomic_block or db.queries_logged or db.execute_wrappers:
            return self._through_cursor(db, params)
        try:
            values = [_PARAM_BYTES[type(value)](value) for value in params]
        except KeyError as exc:
            raise TypeError(f"no libpq form for a {exc.args[0].__name__} parameter") from None
        formats = [1 if type(value) is bytes else 0 for value in params]
        with db.wrap_database_errors:
            result = self._execute(db, db.connection.pgconn, values, formats)
        return None if result.ntuples == 0 else result.get_value(0, 0).decode()

    def _execute(self, db, pgconn, values, formats):
        if not settings.DATABASE_PREPARED_STATEMENTS:
            result = pgconn.exec_params(self._command, values, None, formats)
        else:
            prepared = _prepared_names(db)
            retried = False
            while True:
                if self._name not in prepared:
                    done = pgconn.prepare(self._name, self._command)
                    if (
                        done.status != _ExecStatus.COMMAND_OK
                        # Already there (prepared on this session by a process
                        # before ours, behind a pooler): it is the same text.
                        and done.error_field(_SQLSTATE) != b"42P05"
                    ):
                        raise _pg_errors.error_from_result(done, encoding=_encoding(db))
                    prepared.add(self._name)
                result = pgconn.exec_prepared(self._name, values, formats)
                if (
                    result.status == _ExecStatus.FATAL_ERROR
                    and result.error_field(_SQLSTATE) == b"26000"  # no such statement
                    and not retried
                ):
                    prepared.discard(self._name)
                    retried = True
                    continue
                break
        if result.status not in (_ExecStatus.TUPLES_OK, _ExecStatus.COMMAND_OK):
            raise _pg_errors.error_from_result(result, encoding=_encoding(db))
        return result

    def _through_cursor(self, db, params: list) -> str | None:
        with db.wrap_database_errors:
            cursor = _RawCursor(db.connection)
            try:
                cursor.execute(self.sql, params)
                row = cursor.fetchone() if cursor.description else None
            finally:
                cursor.close()
        return None if row is None else str(row[0])


_SQLSTATE = ord("C")  # PG_DIAG_SQLSTATE


def _prepared_names(db) -> set[bytes]:
    """The LibpqStatement names prepared on ``db``'s current connection."""
    conn = db.connection
    kept = getattr(db, "_libpq_prepared", None)
    if kept is None or kept[0] is not conn:
        kept = db._libpq_prepared = (conn, set())
    return kept[1]


def _encoding(db) -> str:
    return db.connection.info.encoding


def _datetime_text(value: dt.datetime) -> bytes:
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no unambiguous timestamptz text")
    return value.isoformat().encode()


# Each parameter type's bytes as libpq takes them: bytes as they are, in binary
# format (bytea); everything else in text format, as PostgreSQL reads a literal
# of the parameter's type.
_PARAM_BYTES = {
    bytes: bytes,
    str: str.encode,
    bool: lambda value: b"t" if value else b"f",
    int: lambda value: str(value).encode(),
    dt.datetime: _datetime_text,
    type(None): lambda value: None,
}
