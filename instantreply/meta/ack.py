"""The lean acknowledgement of Meta's signed event POSTs, in front of Django.

Design note: Meta judges ``/meta/webhook`` by how fast it acknowledges, at the rate
it sends (bench/meta_ingest.py). The full Django path spent most of an ack on
machinery this route does not use: ten middleware, URL resolution and an ORM
insert. ``LeanAck`` wraps the WSGI application and answers the common case itself —
a POST to exactly /meta/webhook with a Content-Length within the body limit, from
an allowed host, over a scheme that needs no redirect, with a valid signature —
doing only what that answer needs: verify the signature over the raw bytes, one
INSERT of the raw event (``store_event``, which the Django view shares), the queue
check of ``queue_processing`` (no Celery publish per post), the request-log row via
the batched writer, and the headers the middleware would have added (run through
the same middleware instances' hooks, so they cannot drift). Everything else —
the handshake, a bad or missing signature (rate limited per address and answered
with the envelope), an oversized or chunked body, any error before the event is
stored — goes to the full Django path, with the body handed back to it unread.

It takes this route only while MIDDLEWARE holds nothing but the middleware whose
work on this route it accounts for (``ACCOUNTED_MIDDLEWARE``); a setting that adds
any other turns it off, and every request takes the full path.
"""

import io
import json
import logging
import time

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware

from instantreply.api.request_ids import bind_request_id, unbind_request_id
from instantreply.api.tracing import store_request_log
from instantreply.core.ids import new_id
from instantreply.core.rawsql import native_cursor
from instantreply.core.timeutil import now

from . import signatures
from .models import KEPT_HEADERS, InboundEvent
from .tasks import queue_processing

logger = logging.getLogger("instantreply.meta")

PATH = "/meta/webhook"
ACK = b"EVENT_RECEIVED"

# What each middleware of settings.MIDDLEWARE does on a signed POST to /meta/webhook:
# the Site* ones and axes step aside (API path, no lockout); TraceMiddleware's work
# is done here; Security, Common and XFrameOptions are run through their own hooks.
ACCOUNTED_MIDDLEWARE = {
    "instantreply.api.tracing.TraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "instantreply.api.middleware.SiteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "instantreply.api.middleware.SiteCsrfViewMiddleware",
    "instantreply.api.middleware.SiteAuthenticationMiddleware",
    "instantreply.api.middleware.SiteMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
}
_HOOKED = {
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
}


def store_event(body: bytes, headers: dict, request_id: str | None) -> int:
    """Store one raw POST as an InboundEvent and queue its processing after commit;
    returns its id. On PostgreSQL one fixed, prepared INSERT … RETURNING with the
    body bound as bytes (no model instance, no query compiled, no bytea literal
    quoted per post); elsewhere through the ORM."""
    if connection.vendor == "postgresql":
        with native_cursor() as cursor:
            cursor.execute(_INSERT, [body, json.dumps(headers), request_id, now()])
            event_id = cursor.fetchone()[0]
    else:
        event_id = InboundEvent.objects.create(body=body, headers=headers, request_id=request_id).id
    transaction.on_commit(lambda: queue_processing(event_id))
    return event_id


_INSERT = (
    f"INSERT INTO {InboundEvent._meta.db_table} "
    "(body, headers, status, attempts, request_id, created_at) "
    "VALUES (%s, %s::jsonb, 'received', 0, %s, %s) RETURNING id"
)


def kept_headers(headers) -> dict:
    """The request headers stored with an event (never the signature)."""
    return {k.lower(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS}


class LeanAck:
    """WSGI application: signed POSTs to /meta/webhook answered here, every other
    request passed to ``django_app`` unchanged."""

    def __init__(self, django_app):
        self.django_app = django_app
        self.enabled = set(settings.MIDDLEWARE) <= ACCOUNTED_MIDDLEWARE
        if not self.enabled:
            return
        present = [path for path in settings.MIDDLEWARE if path in _HOOKED]
        classes = {
            "django.middleware.security.SecurityMiddleware": SecurityMiddleware,
            "django.middleware.common.CommonMiddleware": CommonMiddleware,
            "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
        }
        # The same instances' hooks, in the order Django runs them: requests
        # outermost first, responses innermost first.
        instances = [classes[path](_never_called) for path in present]
        self.request_hooks = [m.process_request for m in instances if hasattr(m, "process_request")]
        self.response_hooks = [
            m.process_response for m in reversed(instances) if hasattr(m, "process_response")
        ]

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
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        request = WSGIRequest(environ)
        try:
            for hook in self.request_hooks:
                if hook(request) is not None:
                    # A redirect to https, or the like: the full path answers.
                    return self._full_path(environ, start_response, request)
        except Exception:
            # A disallowed host, a refused user agent…: the full path answers.
            return self._full_path(environ, start_response, request)
        request_id = new_id("req")
        request.request_id = request_id
        token = bind_request_id(request_id)
        try:
            try:
                store_event(body, kept_headers(request.headers), request_id)
            except Exception:
                # Not stored (the database is unreachable…): the full path answers,
                # with the envelope, and stores it if it can.
                logger.exception("lean ack could not store the event; full path answers")
                return self._full_path(environ, start_response, request)
            response = HttpResponse(ACK, content_type="text/plain")
            for hook in self.response_hooks:
                response = hook(request, response)
            response["X-Request-Id"] = request_id
            try:
                store_request_log(
                    request, response, body, int((time.perf_counter() - started) * 1000)
                )
            except Exception:
                logger.exception("could not store request log %s", request_id)
        finally:
            unbind_request_id(token)
        response._handler_class = WSGIHandler
        response._resource_closers.append(request.close)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    def _full_path(self, environ, start_response, request):
        # request_started was sent for this request; Django's handler sends it again,
        # which only closes stale connections once more.
        request.close()
        environ["wsgi.input"].seek(0)
        return self.django_app(environ, start_response)


def _never_called(request):
    raise AssertionError("LeanAck runs middleware hooks, never a view")
