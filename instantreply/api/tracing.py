"""Request ids and request/response capture (§7).

Every /v1 and /meta request gets a ``req_`` id (a context variable, so logs and
Celery tasks queued during the request carry it) and, once answered, one
RequestLog row with the redacted request and the response. Downstream calls
(Meta, webhook receivers) are recorded with ``record_downstream_call`` under
the same id, even from a worker later.
"""

import atexit
import json
import logging
import os
import re
import threading
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction

from instantreply.core.ids import new_id
from instantreply.core.models import DownstreamCall, RequestLog
from instantreply.core.timeutil import now

from .fallback import handler500
from .parsers import discard_unread_body
from .renderers import ApiJSONRenderer
from .request_ids import bind_request_id, current_request_id, unbind_request_id

logger = logging.getLogger("instantreply.trace")

TRACED_PREFIXES = ("/v1/", "/meta/")
REDACTED = "[REDACTED]"
# Header names (lower case) whose values never reach storage.
SECRET_HEADERS = {"authorization", "cookie", "x-hub-signature-256", "proxy-authorization"}
# Body/query keys whose values are redacted at any depth of a stored JSON body:
# these names, and any name ending in "secret" or "token" (signing_secret,
# access_token, hub.verify_token…). Not bare "key": the capabilities response
# describes the caller's key under "key" and holds nothing secret.
SECRET_KEYS = {"password", "api_key", "authorization"}
_SECRET_SUFFIXES = ("secret", "token")


_SECRET_MARKERS = tuple(marker.encode() for marker in (*SECRET_KEYS, *_SECRET_SUFFIXES))


def is_secret_name(name) -> bool:
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    return lowered in SECRET_KEYS or lowered.endswith(_SECRET_SUFFIXES)


def redact(value):
    """Redact secret-named keys at any depth (a copy; the original is untouched)."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if is_secret_name(k) and v not in (None, "") else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_url(url: str) -> str:
    """A URL with secret-named query parameters (access_token=…) redacted."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [
        (k, REDACTED if is_secret_name(k) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="[]")))


def redact_query(querydict) -> dict:
    out = {}
    for name, values in querydict.lists():
        values = [REDACTED for _ in values] if is_secret_name(name) else values
        out[name] = values if len(values) > 1 else values[0]
    return out


def redact_headers(headers) -> dict:
    out = {}
    for name, value in headers.items():
        lowered = name.lower()
        out[name] = redact_secret_header(lowered, value) if lowered in SECRET_HEADERS else value
    return out


def redact_secret_header(lowered: str, value: str) -> str:
    """A SECRET_HEADERS value (``lowered``: its name) as stored: the scheme of an
    Authorization header kept (value replaced), anything else replaced."""
    if lowered == "authorization" and " " in value:
        return value.split(" ", 1)[0] + " " + REDACTED
    return REDACTED


def _not_json(name):
    raise ValueError(f"{name} is not JSON")


# Secret-named values in text that is not JSON we can parse (a form body, broken
# JSON, NaN…): a quoted "name": value pair, or name=value as in a query string.
_SECRET_NAME = r"[A-Za-z0-9_.\-]*(?:secret|token)|password|api_key|authorization"
_SECRET_IN_TEXT = re.compile(
    rf'(?P<quoted>"(?:{_SECRET_NAME})"\s*:\s*)(?:"(?:[^"\\]|\\.)*"?|[^\s,}}\]]+)'
    rf"|(?P<pair>(?<![A-Za-z0-9_.\-])(?:{_SECRET_NAME})=)[^&\s]*",
    re.IGNORECASE,
)


def redact_text(text: str) -> str:
    """Secret-named values in free text replaced, for bodies stored as text."""

    def replace(match):
        if match.group("quoted") is not None:
            return f'{match.group("quoted")}"{REDACTED}"'
        return match.group("pair") + REDACTED

    return _SECRET_IN_TEXT.sub(replace, text)


def _truncated(text: str, cap: int) -> str:
    # A lone surrogate (legal in JSON escapes) cannot be encoded: replaced, not raised.
    return text.encode("utf-8", errors="replace")[:cap].decode("utf-8", errors="ignore")


def capture_body(raw: bytes | str | None) -> tuple[object, bool]:
    """Stored form of a body: parsed JSON (redacted), else text (redacted), None
    when empty; capped at TRACE_BODY_MAX_BYTES with a truncation flag.

    Redaction comes before the cap (§7): a body over it is parsed and redacted
    whole, then its redacted text is cut, so no secret survives in a truncated
    body either."""
    if raw is None or raw == b"" or raw == "":
        return None, False
    if isinstance(raw, str):
        raw = raw.encode()
    cap = settings.TRACE_BODY_MAX_BYTES
    try:
        # NaN/Infinity are not JSON (jsonb refuses them): such a body is kept as text.
        value = json.loads(raw, parse_constant=_not_json)
        # Walking every key of a big body costs more than scanning its bytes once:
        # a body without any secret-like name needs no redaction (a \u escape may
        # spell one that the scan cannot see).
        lowered = raw.lower()
        if b"\\u" in raw or any(marker in lowered for marker in _SECRET_MARKERS):
            value = redact(value)
        if len(raw) <= cap:
            return value, False
        return _truncated(json.dumps(value, ensure_ascii=False), cap), True
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: nesting deeper than Python's parser or redact() can walk.
        text = raw.decode("utf-8", errors="replace")
        if any(marker in raw.lower() for marker in _SECRET_MARKERS):
            text = redact_text(text)
        if len(raw) <= cap:
            return text, False
        return _truncated(text, cap), True


def record_downstream_call(
    *,
    service: str,
    method: str,
    url: str,
    status: int | None,
    duration_ms: int | None,
    error: str | None,
    request_body,
    response_body,
    workspace_id: str | None = None,
    subject_id: str | None = None,
    request_id: str | None = None,
):
    req_body, _ = capture_body(
        request_body if isinstance(request_body, bytes | str | None) else json.dumps(request_body)
    )
    resp_body, _ = capture_body(
        response_body
        if isinstance(response_body, bytes | str | None)
        else json.dumps(response_body)
    )
    return DownstreamCall.objects.create(
        request_id=request_id or current_request_id(),
        workspace_id=workspace_id,
        service=service,
        method=method,
        url=redact_url(url),
        status=status,
        duration_ms=duration_ms,
        error=error,
        request_body=req_body,
        response_body=resp_body,
        subject_id=subject_id,
    )


class TraceMiddleware:
    """Outermost middleware: assigns the request id and writes the RequestLog."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_id("req")
        request.request_id = request_id
        token = bind_request_id(request_id)
        started = time.perf_counter()
        traced = request.path.startswith(TRACED_PREFIXES)
        raw_body = b""
        oversized = False
        if traced:
            try:
                raw_body = request.body
            except RequestDataTooBig:
                oversized = True
            except Exception:  # a client gone mid-body and friends
                pass
        try:
            response = self.get_response(request)
            if oversized:
                # The view answered (413, 401…) without reading the body; drained
                # now so that answer reaches the client instead of a reset.
                discard_unread_body(request)
            response["X-Request-Id"] = request_id
            # ``untraced``: a failed authentication past the first of its client's
            # minute (ratelimit.hit_failed_authentication).
            if traced and not getattr(request, "untraced", False):
                duration_ms = int((time.perf_counter() - started) * 1000)
                try:
                    self._store(request, response, raw_body, duration_ms)
                except Exception:
                    # Tracing must never turn a served request into a failure.
                    logger.exception("could not store request log %s", request_id)
        finally:
            unbind_request_id(token)
        return response

    def process_exception(self, request, exception):
        """An exception escaping a view under /v1 or /meta still gets the envelope
        (even with DEBUG on, where Django would render its HTML page)."""
        if not request.path.startswith(TRACED_PREFIXES):
            return None
        logger.exception("unhandled exception", exc_info=exception)
        return handler500(request)

    def _store(self, request, response, raw_body: bytes, duration_ms: int):
        store_request_log(request, response, raw_body, duration_ms)


def store_request_log(request, response, raw_body: bytes, duration_ms: int) -> None:
    """Write (or queue, on PostgreSQL) the RequestLog row of an answered request;
    ``request`` is Django's (``request_id`` set), ``raw_body`` what the client sent."""
    store_log_values(_values(request, response, raw_body, duration_ms))


def store_log_values(values: dict) -> None:
    """Write (or queue) a RequestLog row built by ``log_values``."""
    values = _without_nul(values)
    if connection.vendor == "postgresql":
        _insert(values)
    else:
        for name in _JSON_COLUMNS:
            if values[name] is not None:
                values[name] = json.loads(values[name])
        log = RequestLog(**values)
        if connection.in_atomic_block:
            # A savepoint of its own, so a failed insert cannot break the
            # surrounding transaction (tests, ATOMIC_REQUESTS).
            with transaction.atomic():
                log.save(force_insert=True)
        else:
            log.save(force_insert=True)


def _values(request, response, raw_body: bytes, duration_ms: int) -> dict:
    """The RequestLog row of a Django request and response."""
    meta = getattr(request, "trace_meta", {})
    api_key = meta.get("api_key")
    if getattr(response, "streaming", False):
        response_body = (None, False)
    else:
        response_body = capture_json_text(response.content, trusted=_rendered_by_us(response))
    return log_values(
        request_id=request.request_id,
        method=request.method,
        path=request.path,
        query=request.GET,
        request_headers=request.headers,
        raw_body=raw_body,
        status=response.status_code,
        response_headers=dict(response.items()),
        response_body=response_body,
        duration_ms=duration_ms,
        workspace_id=api_key.workspace_id if api_key else meta.get("workspace_id"),
        api_key_id=api_key.pk if api_key else None,
        idempotency_key=meta.get("idempotency_key"),
        replayed=bool(meta.get("replayed")),
        error_code=getattr(response, "error_code", None),
        body_in_event=bool(meta.get("body_in_event")),
    )


def log_values(
    *,
    request_id: str,
    method: str,
    path: str,
    query,
    request_headers,
    raw_body: bytes,
    status: int,
    response_headers: dict,
    response_body: tuple[str | None, bool],
    duration_ms: int,
    workspace_id: str | None = None,
    api_key_id: str | None = None,
    idempotency_key: str | None = None,
    replayed: bool = False,
    error_code: str | None = None,
    body_in_event: bool = False,
) -> dict:
    """The RequestLog row by attribute name, its JSON columns as JSON text, every
    secret redacted: ``query`` a QueryDict, ``request_headers`` as Django names them
    (``request.headers``), ``response_body`` what ``capture_json_text`` gave for the
    response's content. ``body_in_event``: the request stored ``raw_body`` in a row
    of its own (a /meta/webhook event), so a body kept as it arrived is left out of
    this one (``RequestLog.request_body_in_event``)."""
    request_body, request_truncated, in_event = request_body_columns(raw_body, body_in_event)
    headers = {k: v for k, v in request_headers.items() if k.lower() != "content-length"}
    return {
        "id": request_id,
        "workspace_id": workspace_id,
        "api_key_id": api_key_id,
        "method": method,
        "path": path,
        "query": json_text(redact_query(query)) if query else "{}",
        "status": status,
        "duration_ms": duration_ms,
        "idempotency_key": idempotency_key,
        "replayed": replayed,
        "request_headers": json_text(redact_headers(headers)),
        "request_body": request_body,
        "request_body_truncated": request_truncated,
        "request_body_in_event": in_event,
        "response_headers": json_text(redact_headers(response_headers)),
        "response_body": response_body[0],
        "response_body_truncated": response_body[1],
        "error_code": error_code,
        "created_at": now(),
    }


def json_text(value) -> str:
    """JSON text of a log column's dict (orjson; the same value as ``json.dumps``
    once stored, without its ASCII escapes); json for what orjson refuses (a lone
    surrogate). The ack's statement writes its header columns with it too."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


_JSON_COLUMNS = ("query", "request_headers", "request_body", "response_headers", "response_body")


def _without_nul(values: dict) -> dict:
    """PostgreSQL stores no NUL character, in text or jsonb; a client may still send
    one (a %00 in a path, "\\u0000" in a body). Such a request is traced with U+FFFD
    in its place rather than not traced at all (§7: every request is stored)."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if name in _JSON_COLUMNS:
            values[name] = json_without_nul(value)
        elif "\x00" in value:
            values[name] = value.replace("\x00", "\ufffd")
    return values


def json_without_nul(text: str) -> str:
    """JSON text with each escaped NUL (which jsonb refuses) as U+FFFD."""
    return text.replace("\\u0000", "\\ufffd") if "\\u0000" in text else text


def _rendered_by_us(response) -> bool:
    # ApiJSONRenderer is strict (no NaN/Infinity) and never escapes a letter, so its
    # output is valid JSON in which every secret-like key is visible to a byte scan.
    return isinstance(getattr(response, "accepted_renderer", None), ApiJSONRenderer)


def capture_json_text(raw: bytes | str | None, *, trusted: bool = False) -> tuple[str | None, bool]:
    """``capture_body`` as JSON text for a jsonb column, with a truncation flag.

    Design note: most bodies are JSON without any secret-like key. Their text is
    stored as it arrived (PostgreSQL parses it into jsonb once) rather than parsed
    here and serialised again; ``trusted`` (our own renderer's output) skips even
    the validating parse. Anything else — too big, not JSON, an escape that could
    hide a key name, a secret-like name — takes capture_body's path."""
    if raw is None or raw == b"" or raw == "":
        return None, False
    if isinstance(raw, str):
        raw = raw.encode()
    text = kept_as_is(raw, trusted=trusted)
    if text is not None:
        return text, False
    value, truncated = capture_body(raw)
    return (None if value is None else json.dumps(value)), truncated


def request_body_columns(raw: bytes, body_in_event: bool) -> tuple[str | None, bool, bool]:
    """A request log's (request_body JSON text, request_body_truncated,
    request_body_in_event) for the body ``raw``. ``body_in_event``: the request
    stored ``raw`` in a row of its own (a /meta/webhook event), so a body the trace
    keeps as it arrived is left to that row rather than repeated."""
    if body_in_event and raw and kept_as_is(raw) is not None:
        return None, False, True
    return (*capture_json_text(raw), False)


def kept_as_is(raw: bytes, *, trusted: bool = False) -> str | None:
    """The text of a body the trace keeps as it arrived — JSON within the cap, with
    no secret-like name and no escape that could hide one — else None (the body is
    captured by ``capture_body``: redacted, truncated or as a string)."""
    if len(raw) <= settings.TRACE_BODY_MAX_BYTES and raw[:1] in (b"{", b"["):
        lowered = raw.lower()
        if not any(marker in lowered for marker in _SECRET_MARKERS) and (
            trusted or b"\\u" not in raw
        ):
            try:
                if not trusted and not _valid_json(raw):
                    raise ValueError("not JSON")
                return raw.decode("utf-8")
            except (ValueError, UnicodeDecodeError, RecursionError):
                pass
    return None


def _valid_json(raw: bytes) -> bool:
    """Whether ``raw`` is JSON that ``json.loads`` reads (NaN and Infinity refused):
    orjson's strict parser decides first, several times faster; what it refuses
    (1e400, nesting deeper than 1024…) is decided by json as before."""
    try:
        orjson.loads(raw)
        return True
    except orjson.JSONDecodeError:
        json.loads(raw.decode("utf-8"), parse_constant=_not_json)  # ValueError if not
        return True


def log_insert(values: dict) -> tuple[str, list]:
    """A RequestLog row built by ``log_values`` as an INSERT's fixed text and its
    parameters (PostgreSQL), for a caller that writes it in a statement of its own
    making: the /meta/webhook ack stores its event and this row in one statement."""
    sql, names = _insert_plan()
    values = _without_nul(values)
    return sql, [values[name] for name in names]


def _insert(values: dict) -> None:
    """Store one request log on PostgreSQL: inside a transaction (tests,
    ATOMIC_REQUESTS) at once, in a savepoint of its own with the default durability,
    so a failed insert cannot break the transaction; otherwise handed to this
    process's batch writer (``_LogWriter``), or written by this request when
    REQUEST_LOG_FLUSH_MS is 0."""
    params = [values[name] for name in _insert_plan()[1]]
    if connection.in_atomic_block:
        sql, _ = _insert_plan()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    elif settings.REQUEST_LOG_FLUSH_MS <= 0:
        _LogWriter.write([params])
    else:
        _writer.add(params)


def _insert_plan() -> tuple[str, list[str]]:
    """The INSERT's fixed text (one row; compiled once) and its parameters' names,
    the JSON columns sent as the text built above."""
    global _INSERT
    if _INSERT is None:
        fields = RequestLog._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        row = "(" + ", ".join("%s::jsonb" if f.attname in _JSON_COLUMNS else "%s" for f in fields)
        _INSERT = (
            f"INSERT INTO {connection.ops.quote_name(RequestLog._meta.db_table)} "
            f"({columns}) VALUES {row})",
            [f.attname for f in fields],
        )
    return _INSERT


def _copy_sql() -> str:
    """COPY of the columns of ``_insert_plan``, in its parameters' order."""
    global _COPY
    if _COPY is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in RequestLog._meta.concrete_fields)
        _COPY = f"COPY {quote(RequestLog._meta.db_table)} ({columns}) FROM STDIN"
    return _COPY


_COPY: str | None = None
_NO_FLUSH_WAIT = "SELECT set_config('synchronous_commit', 'off', true)"
_INSERT: tuple[str, list[str]] | None = None
# A batch is written once this many rows wait, or REQUEST_LOG_FLUSH_MS after its first.
BATCH_MAX_ROWS = 100


class _LogWriter:
    """Request logs leave the request's path: each process queues its rows and one
    thread writes them as one multi-row INSERT per batch.

    Design note: the INSERT was the largest cost of a GET after the queries it
    serves (bench/platform_throughput.py): a round trip, a statement and a commit
    per request. Batched, the round trip and the commit are shared by up to
    BATCH_MAX_ROWS requests. The durability promise is the one the single INSERT
    had: the batch commits with synchronous_commit off (set transaction-locally in
    the same round trip, so it never touches business writes), and a crash — of the
    database, or now of this process — may lose the last fraction of a second of
    logs (here at most REQUEST_LOG_FLUSH_MS plus one write). What changes is visibility:
    a row appears within REQUEST_LOG_FLUSH_MS instead of at once, so every reader of traces
    in this process (``flush_request_logs``: the trace and usage endpoints, the
    admin, ``manage.py trace``) writes what is queued first. A batch the database
    refuses (a value a constraint rejects fails the whole batch) is
    written again row by row, so one bad row costs only itself."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._rows: list[list] = []
        self._pid: int | None = None
        self._stopped = False

    def add(self, params: list) -> None:
        with self._lock:
            if self._pid != os.getpid():
                # First row in this process (or a fork's child): start its writer.
                self._pid = os.getpid()
                self._rows = []
                threading.Thread(target=self._run, name="request-log-writer", daemon=True).start()
            self._rows.append(params)
            if len(self._rows) >= BATCH_MAX_ROWS:
                self._wake.set()

    def _run(self) -> None:
        from django.db import close_old_connections

        while not self._stopped:
            interval = settings.REQUEST_LOG_FLUSH_MS
            # (0 means "write in the request": nothing more will be queued here.)
            self._wake.wait(interval / 1000 if interval > 0 else 1.0)
            self._wake.clear()
            try:
                self.flush()
                # This thread's connection obeys CONN_MAX_AGE and health checks
                # like a request's.
                close_old_connections()
            except Exception:
                logger.exception("request log writer")

    def stop(self) -> None:
        """Write what is queued and end the thread (tests)."""
        self._stopped = True
        self._wake.set()
        self.flush()

    def flush(self) -> None:
        with self._flushing:
            with self._lock:
                rows, self._rows = self._rows, []
            if not rows:
                return
            try:
                self.write(rows)
            except Exception:
                for row in rows:
                    try:
                        self.write([row])
                    except Exception:
                        logger.exception("could not store request log %s", row[0])

    @staticmethod
    def write(rows: list[list]) -> None:
        """One COPY of the rows (PostgreSQL). Design note: a multi-row INSERT had
        its ~18 parameters per row quoted in Python by Django's client-side cursor
        and the whole text parsed by the server; COPY sends the values as they are,
        formatted by psycopg's C code (bench/platform_throughput.py)."""
        with connection.cursor() as cursor:
            # A reader's flush inside a transaction (tests) gets a savepoint of its own
            # and the default durability; otherwise the batch is one transaction that
            # commits with synchronous_commit off.
            durable = connection.in_atomic_block
            with transaction.atomic():
                if not durable:
                    cursor.execute(_NO_FLUSH_WAIT)
                with cursor.cursor.copy(_copy_sql()) as copy:
                    for params in rows:
                        copy.write_row(params)


_writer = _LogWriter()


def flush_request_logs() -> None:
    """Write this process's queued request logs now (before reading traces)."""
    _writer.flush()


atexit.register(flush_request_logs)


def set_trace_meta(request, **values) -> None:
    django_request = getattr(request, "_request", request)
    meta = getattr(django_request, "trace_meta", None)
    if meta is None:
        meta = {}
        django_request.trace_meta = meta
    meta.update(values)
