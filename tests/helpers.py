"""Test helpers importable from any test module."""

import json
from contextlib import contextmanager

from django.test import Client

from instantreply.api.tracing import record_downstream_call


class ApiClient:
    """django.test.Client speaking JSON with a Bearer key; every call goes through
    the full middleware stack."""

    def __init__(self, key: str | None):
        self.key = key
        self.client = Client()

    def _headers(self, headers):
        out = {}
        if self.key:
            out["Authorization"] = f"Bearer {self.key}"
        out.update(headers or {})
        return out

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def _send(self, method, path, body, headers, content_type):
        data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        return getattr(self.client, method)(
            path,
            data=data if data is not None else "",
            content_type=content_type,
            headers=self._headers(headers),
        )

    def post(self, path, body=None, headers=None, content_type="application/json"):
        return self._send("post", path, body, headers, content_type)

    def patch(self, path, body=None, headers=None, content_type="application/json"):
        return self._send("patch", path, body, headers, content_type)

    def delete(self, path, body=None, headers=None, content_type="application/json"):
        return self._send("delete", path, body, headers, content_type)

    def put(self, path, body=None, headers=None, content_type="application/json"):
        return self._send("put", path, body, headers, content_type)


def error_of(response) -> dict:
    """The §2 envelope of an error response, checked on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "doc_url", "request_id", "details"}, error
    assert error["request_id"] == response["X-Request-Id"]
    assert isinstance(error["details"], list)
    assert error["doc_url"].endswith("/errors#" + error["code"])
    return error


def request_with_downstream_calls(api_client) -> str:
    """A request (GET /v1/contacts) and two downstream calls recorded under it, the
    first to Meta carrying a secret in its body; returns the request id."""
    request_id = api_client.get("/v1/contacts")["X-Request-Id"]
    for n, url in enumerate(("https://graph.example/first", "https://hooks.example/second")):
        record_downstream_call(
            service="meta_graph" if n == 0 else "webhook",
            method="POST",
            url=url,
            status=200 + n,
            duration_ms=3,
            error=None,
            request_body={"n": n, "access_token": "tok-admin"},
            response_body={"ok": True},
            request_id=request_id,
        )
    return request_id


SHIPPED = "Your order {{1}} has shipped and will arrive on {{2}}."


def body_only(text, **extra):
    return [{"type": "body", "text": text, **extra}]


def template_body(channel_id, **overrides):
    """A valid POST /v1/templates body on the channel."""
    body = {
        "channel_id": channel_id,
        "name": "order_shipped",
        "language": "en_US",
        "category": "utility",
        "components": body_only(SHIPPED),
        "examples": ["#1234", "Friday 3 May"],
    }
    body.update(overrides)
    return body


def start_simulator(webhook_url=None):
    """The Graph API simulator over real HTTP on a port the kernel picks (retried when
    a port of a previous run is still held)."""
    from instantreply.meta.simulator import MetaSimulator

    last = None
    for _ in range(20):
        try:
            return MetaSimulator(port=0, webhook_url=webhook_url).start()
        except OSError as exc:
            last = exc
    raise last


class WsgiAnswer:
    """What a WSGI application answered, read like a test client's response."""

    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.content = body

    def __getitem__(self, name):
        return self.headers[name]

    def json(self):
        return json.loads(self.content)


@contextmanager
def connections_kept():
    """As Django's test client does: the test's transaction survives the request's
    start and end signals."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call_wsgi(app, environ) -> tuple[WsgiAnswer, list]:
    """Call a WSGI application as a server would (body joined, then closed): the
    answer, and its headers as the list the application gave."""
    seen = {}

    def start_response(status, response_headers):
        seen["status"], seen["headers"] = status, response_headers

    with connections_kept():
        response = app(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
    return WsgiAnswer(seen["status"], seen["headers"], content), seen["headers"]
