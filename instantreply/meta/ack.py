"""The lean acknowledgement of Meta's signed event POSTs, in front of Django.

Design note: Meta judges ``/meta/webhook`` by how fast it acknowledges, at the rate
it sends (bench/meta_ingest.py, against a floor that only verifies and inserts).
``LeanAck`` wraps the WSGI application and answers the common case itself — a POST
to exactly /meta/webhook with a Content-Length within the body limit, from an
allowed host, over a scheme that needs no redirect, with a valid signature — doing
only what that answer needs:
  * verify the signature over the raw bytes;
  * ONE prepared statement (``AckStatement``; ``store_event`` off PostgreSQL): the
    raw event's INSERT and its request-log row's INSERT together, so the ack costs
    one round trip and one commit, and the trace is written with the event or not
    at all. The row does not repeat a body the trace keeps as it arrived: the
    trace reads it from the event (``RequestLog.request_body_in_event``);
  * after the commit, hand the event to this process's coalesced drain check
    (``tasks.queue_processing_soon``: one Redis check per interval for all posts);
  * the response headers the middleware would add. Security, Common and
    XFrameOptions are run through their own hooks on the first request of each
    shape (host, port, scheme, the proxy headers trusted, the user agent when some
    are refused: all those hooks read), and their verdict is kept for that shape;
  * Django's end-of-request connection checks, once a second (``finished``).
Everything else — the handshake, a bad or missing signature (rate limited per
address and answered with the envelope), an oversized or chunked body, a host or
scheme the hooks refuse, any error before the event is stored — goes to the full
Django path, with the body handed back to it unread.

It takes this route only while MIDDLEWARE holds nothing but the middleware whose
work on this route it accounts for (``frontdoor.ACCOUNTED_MIDDLEWARE``); a setting that adds
any other turns it off, and every request takes the full path. The log row's
``duration_ms`` covers the work up to that statement (about a millisecond less than
the whole answer).
"""

import io
import json
import logging
import time

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import HttpResponse, QueryDict
from django.http.request import HttpHeaders

from instantreply.api.frontdoor import Body, FrontDoor
from instantreply.api.request_ids import bind_request_id, unbind_request_id
from instantreply.api.tracing import (
    SECRET_HEADERS,
    capture_body,
    capture_json_text,
    json_text,
    json_without_nul,
    log_insert,
    log_values,
    redact_headers,
    redact_secret_header,
    request_body_columns,
    store_log_values,
)
from instantreply.core.ids import new_id
from instantreply.core.models import NOT_FOUND, RequestLog
from instantreply.core.rawsql import LibpqStatement, prepared_write_cursor
from instantreply.core.timeutil import now

from . import signatures
from .models import KEPT_HEADERS, InboundEvent
from .tasks import queue_processing_soon

logger = logging.getLogger("instantreply.meta")

PATH = "/meta/webhook"
ACK = b"EVENT_RECEIVED"


def store_event(body: bytes, headers: dict, request_id: str | None, log: dict | None = None) -> int:
    """Store one raw POST as an InboundEvent, and ``log`` (its RequestLog row, from
    ``log_values``) with it, and queue its processing after commit; returns the
    event's id. On PostgreSQL one fixed, prepared statement: the event's INSERT …
    RETURNING with the body bound as bytes, and the log's INSERT in the same
    statement (one round trip, one commit: no model instance, no query compiled,
    no bytea literal quoted per post); elsewhere through the ORM."""
    if connection.vendor == "postgresql":
        params = [body, json.dumps(headers), request_id, now()]
        if log is None:
            sql = _INSERT
        else:
            log_sql, log_params = log_insert(log)
            sql = _with_log(log_sql)
            params += log_params
        cursor = prepared_write_cursor(connection)
        cursor.execute(sql, params)
        event_id = cursor.fetchone()[0]
    else:
        event_id = InboundEvent.objects.create(body=body, headers=headers, request_id=request_id).id
        if log is not None:
            store_log_values(log)
    transaction.on_commit(lambda: queue_processing_soon(event_id))
    return event_id


def event_body_of_request(request_id: str):
    """The body of the event stored by request ``request_id``, as its request log
    would have held it (``capture_body``), for a log row that left it to the event
    (``RequestLog.request_body_in_event``); NOT_FOUND when no such event is kept."""
    body = (
        InboundEvent.objects.filter(request_id=request_id)
        .order_by("id")
        .values_list("body", flat=True)
        .first()
    )
    if body is None:
        return NOT_FOUND
    return capture_body(bytes(body))[0]


def _event_insert(body: str, headers: str, request_id: str, at: str) -> str:
    """The raw event's INSERT … RETURNING id, with the given placeholders."""
    return (
        f"INSERT INTO {InboundEvent._meta.db_table} "
        "(body, headers, status, attempts, request_id, created_at) "
        f"VALUES ({body}, {headers}::jsonb, 'received', 0, {request_id}, {at}) RETURNING id"
    )


_INSERT = _event_insert("%s", "%s", "%s", "%s")
_WITH_LOG: dict[str, str] = {}


def _with_log(log_sql: str) -> str:
    sql = _WITH_LOG.get(log_sql)
    if sql is None:
        sql = _WITH_LOG[log_sql] = (
            f"WITH event AS ({_INSERT}), log AS ({log_sql}) SELECT id FROM event"
        )
    return sql


def kept_headers(headers) -> dict:
    """The request headers stored with an event (never the signature)."""
    return {k.lower(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS}


class AckStatement:
    """The ack's event and request-log row as ONE fixed statement with only what
    varies per post as parameters (PostgreSQL; a post without a query string).

    Design note: the row is the one ``log_values`` builds for this answer (the
    method, path, empty query, status, response body and nulls written into the
    text once; tests/meta/test_lean_ack.py compares both). The request headers are
    read from the environ in one pass that also picks the event's kept headers, each
    environ name's header name, redaction and keep decision cached (as
    ``HttpHeaders`` and ``redact_headers`` would decide them); the response headers'
    JSON is the kept verdict's, built once, with the request id appended."""

    NAMES_MAX = 512

    def __init__(self, logged_body: tuple[str | None, bool]):
        columns = [
            "id", "workspace_id", "api_key_id", "method", "path", "query", "status",
            "duration_ms", "idempotency_key", "replayed", "request_headers",
            "request_body", "request_body_truncated", "request_body_in_event",
            "response_headers", "response_body", "response_body_truncated", "error_code",
            "created_at",
        ]  # fmt: skip
        body_text, body_truncated = logged_body
        # $1 body, $2 the event's kept headers, $3 request id (the event's and the
        # log row's), $4 the time (both rows'), $5 duration, $6 request headers,
        # $7 request body, $8 its truncation flag, $9 response headers, $10 whether
        # the body is left to the event (request_body_in_event).
        values = (
            "$3::varchar, NULL, NULL, 'POST', '/meta/webhook', '{}'::jsonb, 200, $5::integer, "
            "NULL, false, $6::jsonb, $7::jsonb, $8::boolean, $10::boolean, $9::jsonb, "
            f"{_literal(body_text)}::jsonb, {'true' if body_truncated else 'false'}, NULL, "
            "$4::timestamptz"
        )
        self.statement = LibpqStatement(
            f"WITH event AS ({_event_insert('$1::bytea', '$2', '$3::varchar', '$4::timestamptz')}"
            f"), log AS (INSERT INTO {RequestLog._meta.db_table} "
            f"({', '.join(columns)}) VALUES ({values})) SELECT id FROM event"
        )
        self.names: dict[str, tuple[str, str, bool] | None] = {}
        self.verdict_texts: dict[tuple, str] = {}

    def store(self, db, environ, body, request_id, response_headers, started) -> int:
        logged, kept = self.request_headers(environ)
        request_body, request_truncated, in_event = request_body_columns(body, True)
        params = [
            body,
            json_text(kept),
            request_id,
            now(),
            int((time.perf_counter() - started) * 1000),
            json_without_nul(json_text(logged)),
            None if request_body is None else json_without_nul(request_body),
            request_truncated,
            self.response_headers_text(response_headers),
            in_event,
        ]
        return int(self.statement.first_value(db, params))

    def request_headers(self, environ) -> tuple[dict, dict]:
        """(the request headers as logged, redacted and without Content-Length; the
        event's kept headers), as ``HttpHeaders(environ)`` names them."""
        logged, kept = {}, {}
        names = self.names
        for key, value in environ.items():
            try:
                plan = names[key]
            except KeyError:
                plan = _header_plan(key)
                if len(names) < self.NAMES_MAX:
                    names[key] = plan
            if plan is None:
                continue
            name, lowered, secret = plan
            if lowered in KEPT_HEADERS:
                kept[lowered] = value
            if lowered == "content-length":
                continue
            if secret:
                value = redact_secret_header(lowered, value)
            logged[name] = value
        return logged, kept

    def response_headers_text(self, response_headers: list[tuple[str, str]]) -> str:
        """``json.dumps(redact_headers(dict(response_headers)))``, the verdict's part
        built once: only the last header, X-Request-Id, varies."""
        verdict, (last_name, request_id) = tuple(response_headers[:-1]), response_headers[-1]
        text = self.verdict_texts.get(verdict)
        if text is None:
            if len(self.verdict_texts) >= FrontDoor.VERDICTS_MAX:
                self.verdict_texts.clear()
            text = self.verdict_texts[verdict] = json.dumps(redact_headers(dict(verdict)))
        if last_name != "X-Request-Id" or any(name == last_name for name, _ in verdict):
            return json.dumps(redact_headers(dict(response_headers)))
        # A new_id: letters, digits and an underscore, nothing to escape.
        tail = f'"X-Request-Id": "{request_id}"}}'
        return "{" + tail if text == "{}" else f"{text[:-1]}, {tail}"


def _header_plan(key: str) -> tuple[str, str, bool] | None:
    name = HttpHeaders.parse_header_name(key)
    if name is None:
        return None
    lowered = name.lower()
    return name, lowered, lowered in SECRET_HEADERS


def _literal(text: str | None) -> str:
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


class LeanAck(FrontDoor):
    """WSGI application: signed POSTs to /meta/webhook answered here, every other
    request passed to ``django_app`` unchanged (instantreply/api/frontdoor.py)."""

    def __init__(self, django_app):
        super().__init__(django_app)
        self.logged_body = capture_json_text(ACK)
        self.statement = AckStatement(self.logged_body)

    def __call__(self, environ, start_response):
        if (
            not self.enabled
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("PATH_INFO") != PATH
            or environ.get("SCRIPT_NAME")
        ):
            return self.django_app(environ, start_response)
        length = environ.get("CONTENT_LENGTH") or ""
        if not length.isdigit() or int(length) > settings.MAX_BODY_BYTES:
            return self.django_app(environ, start_response)  # chunked, or 413 to answer
        started = time.perf_counter()
        body = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(body)  # the full path reads it again
        if len(body) != int(length) or not signatures.is_valid(
            body, environ.get("HTTP_X_HUB_SIGNATURE_256")
        ):
            # A short body or a bad signature: the view answers it (401 envelope,
            # rate limited per address, traced once a minute).
            return self.django_app(environ, start_response)
        response_headers = self.kept_verdict(environ, self._verdict)
        if response_headers is None:
            # A redirect to https, a disallowed host, a refused user agent…: the
            # full path answers.
            return self.django_app(environ, start_response)
        answer = Body(self, ACK)
        request_id = new_id("req")
        token = bind_request_id(request_id)
        try:
            response_headers = [*response_headers, ("X-Request-Id", request_id)]
            try:
                self._store(environ, body, request_id, response_headers, started)
            except Exception:
                # Not stored (the database is unreachable…): the full path answers,
                # with the envelope, and stores it if it can.
                logger.exception("lean ack could not store the event; full path answers")
                # The full path starts with Django's own connection checks; a
                # connection this statement broke is closed before it.
                connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
                environ["wsgi.input"].seek(0)
                return self.django_app(environ, start_response)
        finally:
            unbind_request_id(token)
        start_response("200 OK", response_headers)
        return answer

    def _store(self, environ, body, request_id, response_headers, started) -> None:
        """The event and its request log, stored; on PostgreSQL with no query string
        (every post Meta sends) by ``AckStatement``, else through ``log_values``."""
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor == "postgresql" and not environ.get("QUERY_STRING"):
            event_id = self.statement.store(
                db, environ, body, request_id, response_headers, started
            )
            if db.in_atomic_block:
                transaction.on_commit(lambda: queue_processing_soon(event_id))
            else:
                queue_processing_soon(event_id)
            return
        request_headers = HttpHeaders(environ)
        query = get_bytes_from_wsgi(environ, "QUERY_STRING", "")
        log = log_values(
            request_id=request_id,
            method="POST",
            path=PATH,
            query=QueryDict(query) if query else None,
            request_headers=request_headers,
            raw_body=body,
            status=200,
            response_headers=dict(response_headers),
            response_body=self.logged_body,
            duration_ms=int((time.perf_counter() - started) * 1000),
            body_in_event=True,
        )
        store_event(body, kept_headers(request_headers), request_id, log)

    def _verdict(self, environ) -> list[tuple[str, str]] | None:
        """The response headers the middleware gives the ack (without X-Request-Id),
        or None when a hook answers or refuses the request."""
        response = self.hooked(environ, HttpResponse(ACK, content_type="text/plain"))
        environ["wsgi.input"].seek(0)  # the body, for the full path if it answers
        return None if response is None else list(response.items())
