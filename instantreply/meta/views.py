"""``/meta/webhook``: Meta's subscription handshake and signed event POSTs (§10).

The POST path does as little as possible — verify the signature over the raw
bytes, store the body, queue its processing after commit, answer 200 — because
Meta judges an endpoint by its acknowledgement latency and retries (for days)
whatever it did not see acknowledged. Parsing happens in the worker. Under the WSGI
application (gunicorn, runserver) a validly signed POST is answered before Django's
request handling by ``ack.LeanAck``; this view answers the rest (the handshake, bad
signatures, oversized bodies) and every request made through Django's test client.
"""

import hmac

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from instantreply.api import ratelimit
from instantreply.api.errors import json_error
from instantreply.api.tracing import set_trace_meta

from . import signatures
from .ack import ACK, kept_headers, store_event


@csrf_exempt
def webhook(request):
    if request.method == "GET":
        return _handshake(request)
    if request.method == "POST":
        return _receive(request)
    return json_error(
        request,
        "METHOD_NOT_ALLOWED",
        f"/meta/webhook accepts GET (subscription handshake) and POST (events), not {request.method}.",
        headers={"Allow": "GET, POST"},
    )


def _handshake(request):
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    if mode == "subscribe" and hmac.compare_digest(
        token.encode(), settings.META_VERIFY_TOKEN.encode()
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return json_error(
        request,
        "INVALID_VERIFY_TOKEN",
        "The webhook handshake needs hub.mode=subscribe and hub.verify_token equal to "
        "META_VERIFY_TOKEN; "
        + ("the token did not match." if mode == "subscribe" else f"hub.mode was '{mode}'."),
    )


def _receive(request):
    try:
        body = request.body
    except RequestDataTooBig:
        return json_error(
            request,
            "PAYLOAD_TOO_LARGE",
            f"Webhook bodies are limited to {settings.MAX_BODY_BYTES} bytes.",
        )
    if not signatures.is_valid(body, request.headers.get(signatures.HEADER)):
        # Failed authentication like a bad API key: limited per client address and
        # traced once a minute per address (§6), so a flood cannot fill the log.
        state = ratelimit.hit_failed_authentication(request)
        if not state.allowed:
            wait = max(1, state.seconds_to_reset)
            return json_error(
                request,
                "RATE_LIMITED",
                f"Too many POST /meta/webhook requests without a valid signature from this "
                f"address (the limit is {state.limit} per minute); retry in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
        return json_error(
            request,
            "INVALID_SIGNATURE",
            "POST /meta/webhook needs X-Hub-Signature-256 = sha256=<hex HMAC-SHA256 of the raw "
            "body with the app secret>; "
            + (
                "the header was missing."
                if not request.headers.get(signatures.HEADER)
                else "the signature did not match the body."
            ),
        )
    store_event(body, kept_headers(request.headers), getattr(request, "request_id", None))
    # The event holds the body: its request log need not repeat it (§7 trace reads
    # it from there, RequestLog.request_body_value).
    set_trace_meta(request, body_in_event=True)
    return HttpResponse(ACK, content_type="text/plain")
