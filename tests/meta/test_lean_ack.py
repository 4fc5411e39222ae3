"""The lean acknowledgement of /meta/webhook (instantreply/meta/ack.py), through the
WSGI application gunicorn serves: what it answers itself, what it hands to the full
Django path, and that both give the same answer."""

import json

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory

from instantreply.core.models import RequestLog
from instantreply.meta import ack
from instantreply.meta.models import InboundEvent
from instantreply.wsgi import application
from tests.helpers import WsgiAnswer, call_wsgi, connections_kept, error_of

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text

pytestmark = pytest.mark.django_db


def wsgi_post(app, body: bytes, headers: dict | None = None, **extra) -> WsgiAnswer:
    environ = (
        RequestFactory()
        .post(
            "/meta/webhook",
            data=body,
            content_type="application/json",
            headers=headers or {},
            **extra,
        )
        .environ
    )
    return call_wsgi(app, environ)[0]


class Served:
    """A LeanAck over a fresh Django handler (both read the settings as they are
    when built, as at a server's start), counting what the full path answered."""

    def __init__(self):
        self.full_path_calls = []
        django_app = WSGIHandler()

        def counting(environ, start_response):
            self.full_path_calls.append(environ["PATH_INFO"])
            return django_app(environ, start_response)

        self.app = ack.LeanAck(counting)


def test_gunicorn_serves_the_lean_path_in_front_of_django():
    assert isinstance(application, ack.LeanAck)
    assert application.enabled


def test_a_signed_post_is_acknowledged_by_the_lean_path_and_stored_once(
    wa_channel, django_capture_on_commit_callbacks
):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEAN1"))
    served = Served()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 200
    assert answer.content == b"EVENT_RECEIVED"
    assert served.full_path_calls == []
    event = InboundEvent.objects.get()
    assert bytes(event.body) == body
    assert event.request_id == answer["X-Request-Id"]
    assert event.headers == {"content-type": "application/json"}
    # Its processing was queued after the commit, and ran (eager in tests).
    # (PostgreSQL: the ack's fixed statement; elsewhere store_event's ORM path.)
    from django.db import connection

    queued_by = "LeanAck._store" if connection.vendor == "postgresql" else "store_event"
    assert callbacks[0].__qualname__ == f"{queued_by}.<locals>.<lambda>"
    event.refresh_from_db()
    assert event.status == "processed"


def test_the_lean_path_writes_the_request_log_with_the_signature_redacted(wa_channel):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEAN2"))
    served = Served()
    answer = wsgi_post(served.app, body, headers)
    log = RequestLog.objects.get(pk=answer["X-Request-Id"])
    assert (log.method, log.path, log.status) == ("POST", "/meta/webhook", 200)
    assert log.response_body == "EVENT_RECEIVED"
    # The body is the stored event's: the row reads it from there, not a copy.
    assert (log.request_body, log.request_body_in_event) == (None, True)
    assert log.request_body_value == json.loads(body)
    stored = {k.lower(): v for k, v in log.request_headers.items()}
    assert stored["x-hub-signature-256"] == "[REDACTED]"
    assert headers["X-Hub-Signature-256"] not in json.dumps(log.request_headers)
    assert log.response_headers["X-Request-Id"] == answer["X-Request-Id"]


def test_the_lean_answer_has_the_full_paths_headers(wa_channel):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEAN3"))
    served = Served()
    lean = wsgi_post(served.app, body, headers)
    body2, headers2 = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEAN4"))
    full = Client().post(
        "/meta/webhook", data=body2, content_type="application/json", headers=headers2
    )
    assert served.full_path_calls == []
    assert (lean.status_code, lean.content) == (full.status_code, full.content)
    assert list(lean.headers) == list(full.headers)
    for name, value in full.items():
        if name != "X-Request-Id":
            assert lean[name] == value, name


def test_the_lean_answer_carries_hsts_over_https(settings, wa_channel):
    settings.SECURE_HSTS_SECONDS = 3600
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANTLS"))
    served = Served()
    answer = wsgi_post(served.app, body, headers, secure=True)
    assert answer.status_code == 200
    assert answer["Strict-Transport-Security"].startswith("max-age=3600")
    assert served.full_path_calls == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "md5=abc"},
    ],
    ids=["missing", "wrong", "wrong-scheme"],
)
def test_a_bad_signature_gets_the_envelope_from_the_full_path_and_stores_nothing(
    headers,
):
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANBAD")).encode()
    served = Served()
    answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "INVALID_SIGNATURE"
    assert served.full_path_calls == ["/meta/webhook"]
    assert InboundEvent.objects.count() == 0


def test_bad_signatures_are_rate_limited_per_address(settings):
    settings.UNAUTHENTICATED_REQUESTS_PER_MINUTE = 2
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.FLOOD")).encode()
    bad = {"X-Hub-Signature-256": "sha256=" + "1" * 64}
    served = Served()
    statuses = [wsgi_post(served.app, body, bad).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    answer = wsgi_post(served.app, body, bad)
    assert error_of(answer)["code"] == "RATE_LIMITED"
    assert int(answer["Retry-After"]) >= 1
    assert InboundEvent.objects.count() == 0
    # Only the first of the address's minute is traced (§6).
    assert RequestLog.objects.filter(path="/meta/webhook").count() == 1


def test_a_body_over_the_limit_goes_to_the_full_path_and_is_413():
    body = b'{"object": "page", "pad": "' + b"x" * 1_048_600 + b'"}'
    served = Served()
    answer = wsgi_post(served.app, body, signed(body)[1])
    assert answer.status_code == 413
    assert error_of(answer)["code"] == "PAYLOAD_TOO_LARGE"
    assert served.full_path_calls == ["/meta/webhook"]
    assert InboundEvent.objects.count() == 0


def test_a_host_not_allowed_is_answered_by_the_full_path(settings, wa_channel):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANHOST"))
    served = Served()
    answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 400
    assert served.full_path_calls == ["/meta/webhook"]
    assert InboundEvent.objects.count() == 0


def test_plain_http_is_redirected_by_the_full_path(settings, wa_channel):
    settings.SECURE_SSL_REDIRECT = True
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANHTTP"))
    served = Served()
    answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 301
    assert answer["Location"].startswith("https://")
    assert served.full_path_calls == ["/meta/webhook"]
    assert InboundEvent.objects.count() == 0


def test_an_event_the_lean_path_cannot_store_is_answered_by_the_full_path(wa_channel, monkeypatch):
    from instantreply.meta import views

    def unreachable(*args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(ack, "store_event", unreachable)
    monkeypatch.setattr(ack.AckStatement, "store", unreachable)
    monkeypatch.setattr(views, "store_event", unreachable)
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANDOWN"))
    served = Served()
    answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 500
    assert error_of(answer)["code"] == "INTERNAL_ERROR"
    assert served.full_path_calls == ["/meta/webhook"]


def test_other_requests_pass_through_untouched(settings):
    response = Client().get("/meta/webhook", {"hub.mode": "subscribe"})
    assert response.status_code == 403
    seen = {}
    environ = (
        RequestFactory()
        .get(
            "/meta/webhook",
            {
                "hub.mode": "subscribe",
                "hub.verify_token": settings.META_VERIFY_TOKEN,
                "hub.challenge": "42",
            },
        )
        .environ
    )
    served = Served()
    with connections_kept():
        response = served.app(environ, lambda status, headers: seen.update(status=status))
        content = b"".join(response)
        response.close()
    assert seen["status"].startswith("200")
    assert content == b"42"
    assert served.full_path_calls == ["/meta/webhook"]


def test_a_middleware_it_does_not_account_for_turns_the_lean_path_off(settings, wa_channel):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]
    calls = []

    def django_app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return application.django_app(environ, start_response)

    lean = ack.LeanAck(django_app)
    assert not lean.enabled
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LEANOFF"))
    with connections_kept():
        response = lean(
            RequestFactory()
            .post("/meta/webhook", data=body, content_type="application/json", headers=headers)
            .environ,
            lambda status, headers: None,
        )
        response.close()
    assert calls == ["/meta/webhook"]


def test_the_verdict_is_kept_per_request_shape_not_shared_across_schemes(settings, wa_channel):
    """The middleware's verdict is kept per host and scheme: the same server answers
    plain http without HSTS and https with it."""
    settings.SECURE_HSTS_SECONDS = 3600
    served = Served()
    plain = [
        wsgi_post(served.app, *signed(whatsapp_text(WA_PHONE_ID, wamid=f"wamid.SHAPE{n}")))
        for n in range(2)
    ]
    tls = wsgi_post(
        served.app, *signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.SHAPETLS")), secure=True
    )
    assert [a.status_code for a in (*plain, tls)] == [200, 200, 200]
    assert [("Strict-Transport-Security" in a.headers) for a in (*plain, tls)] == [
        False,
        False,
        True,
    ]
    assert len(served.app.verdicts) == 2
    assert served.full_path_calls == []


def test_a_refused_host_is_never_kept_as_a_verdict(settings, wa_channel):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    served = Served()
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.HOST1"))
    assert wsgi_post(served.app, body, headers, HTTP_HOST="other.example").status_code == 400
    assert served.app.verdicts == {}
    assert served.full_path_calls == ["/meta/webhook"]
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.HOST2"))
    assert wsgi_post(served.app, body, headers, HTTP_HOST="api.example.com").status_code == 200
    assert len(served.app.verdicts) == 1
    assert served.full_path_calls == ["/meta/webhook"]


def test_the_lean_path_checks_connections_at_most_once_a_second(wa_channel, monkeypatch):
    """Django closes connections past CONN_MAX_AGE (or broken) when a request
    finishes; the lean path sends request_finished once per CHECK_SECONDS."""
    finished = []

    def receiver(**kwargs):
        finished.append(kwargs["sender"])

    signals.request_finished.connect(receiver)
    try:
        served = Served()
        clock = [1000.0]
        monkeypatch.setattr(ack.time, "monotonic", lambda: clock[0])
        for n in range(3):
            assert (
                wsgi_post(
                    served.app, *signed(whatsapp_text(WA_PHONE_ID, wamid=f"wamid.FIN{n}"))
                ).status_code
                == 200
            )
        assert finished == [WSGIHandler]
        clock[0] += ack.LeanAck.CHECK_SECONDS
        wsgi_post(served.app, *signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.FIN3")))
        assert finished == [WSGIHandler, WSGIHandler]
    finally:
        signals.request_finished.disconnect(receiver)


def test_a_non_ascii_query_is_logged_as_django_reads_it(wa_channel):
    served = Served()
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.QUERY"))
    environ_extra = {"QUERY_STRING": "note=%C3%A9t%C3%A9&plain=caf\u00c3\u00a9"}
    answer = wsgi_post(served.app, body, headers, **environ_extra)
    assert answer.status_code == 200
    assert served.full_path_calls == []
    log = RequestLog.objects.get(pk=answer["X-Request-Id"])
    assert log.query == {"note": "\u00e9t\u00e9", "plain": "caf\u00e9"}


def _log_row(request_id: str) -> dict:
    row = RequestLog.objects.filter(pk=request_id).values().get()
    for name in ("id", "created_at", "duration_ms"):
        row.pop(name)
    row["response_headers"].pop("X-Request-Id")
    return row


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "HTTP_AUTHORIZATION": "Bearer sk_live_not_for_the_log",
            "HTTP_COOKIE": "sessionid=abc",
            "HTTP_PROXY_AUTHORIZATION": "secretonly",
            "HTTP_X_FORWARDED_FOR": "203.0.113.9",
            "HTTP_USER_AGENT": "facebookexternalua",
            "HTTP_X_ODD__NAME": "kept \u00e9",
            "HTTP_X_NUL": "a\x00b",
        },
    ],
    ids=["plain", "secrets-and-odd-headers"],
)
def test_the_lean_statement_logs_the_row_the_full_path_logs(wa_channel, extra):
    """The ack's fixed statement (AckStatement) writes the same request-log row and
    event headers as the full path's view and TraceMiddleware, secrets redacted
    (here in a test's transaction: through a psycopg cursor)."""
    _same_row_as_the_full_path(extra)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_through_libpq_the_statement_logs_the_row_the_full_path_logs(wa_channel):
    """The same, in autocommit as gunicorn runs it: the parameters as libpq's bytes."""
    _same_row_as_the_full_path(
        {
            "HTTP_AUTHORIZATION": "Bearer sk_live_not_for_the_log",
            "HTTP_X_ODD__NAME": "kept \u00e9",
            "HTTP_X_NUL": "a\x00b",
        }
    )


def _same_row_as_the_full_path(extra: dict) -> None:
    served = Served()
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.ROW1"))
    lean = wsgi_post(served.app, body, headers, **extra)
    assert served.full_path_calls == []
    full = wsgi_post(WSGIHandler(), body, headers, **extra)
    assert (lean.status_code, full.status_code) == (200, 200)
    lean_row, full_row = _log_row(lean["X-Request-Id"]), _log_row(full["X-Request-Id"])
    assert lean_row == full_row
    stored = json.dumps(lean_row)
    assert "sk_live_not_for_the_log" not in stored and "sessionid=abc" not in stored
    assert "secretonly" not in stored
    lean_event, full_event = InboundEvent.objects.order_by("id")
    assert lean_event.headers == full_event.headers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_ack_statement_runs_through_libpq_prepared_once(wa_channel):
    """As gunicorn runs it (autocommit, no atomic block): libpq executes the
    statement, prepared once per connection, and the rows are the full path's."""
    from django.db import connection

    served = Served()
    answers, posts = [], []
    for n in range(3):
        posts.append(signed(whatsapp_text(WA_PHONE_ID, wamid=f"wamid.PREP{n}")))
        answers.append(wsgi_post(served.app, *posts[-1]))
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert served.full_path_calls == []
    assert connection._libpq_prepared[1] == {served.app.statement.statement._name}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH event AS%%'"
        )
        assert cursor.fetchone()[0] == 1
    assert InboundEvent.objects.count() == 3
    full = wsgi_post(WSGIHandler(), *posts[0])
    lean_row, full_row = _log_row(answers[0]["X-Request-Id"]), _log_row(full["X-Request-Id"])
    assert lean_row == full_row


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_a_pooler_discarded_is_prepared_again(wa_channel):
    from django.db import connection

    served = Served()
    _acked_by_the_lean_path(served, "wamid.DISC1")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what PgBouncer's DISCARD ALL does to it
    _acked_by_the_lean_path(served, "wamid.DISC2")
    assert InboundEvent.objects.count() == 2


def _acked_by_the_lean_path(served: Served, wamid: str) -> WsgiAnswer:
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid=wamid))
    answer = wsgi_post(served.app, body, headers)
    assert (answer.status_code, served.full_path_calls) == (200, [])
    return answer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_already_prepared_on_the_session_is_used(wa_channel):
    """Behind a session pooler a server session may hold the statement already (a
    client before ours prepared it): the same name means the same text."""
    from django.db import connection

    served = Served()
    statement = served.app.statement.statement
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection._libpq_prepared = None
    connection.connection.pgconn.prepare(statement._name, statement._command)
    _acked_by_the_lean_path(served, "wamid.SESS1")
    assert InboundEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_between_posts_is_replaced_and_the_post_stored(wa_channel):
    """The server ended the connection (a restart, a failover): the libpq statement
    fails, Django's error handling marks the connection, the full path closes it,
    reconnects, and stores the post: 200, nothing lost."""
    import psycopg
    from django.db import connection

    served = Served()
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LOST1"))
    assert wsgi_post(served.app, body, headers).status_code == 200
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LOST2"))
    answer = wsgi_post(served.app, body, headers)
    assert answer.status_code == 200
    assert served.full_path_calls == ["/meta/webhook"]
    assert connection.connection.info.backend_pid != pid
    assert InboundEvent.objects.count() == 2
    assert RequestLog.objects.filter(pk=answer["X-Request-Id"]).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_prepared_statements_can_be_turned_off_for_a_pooler(settings, wa_channel):
    from django.db import connection

    settings.DATABASE_PREPARED_STATEMENTS = False
    count = "SELECT count(*) FROM pg_prepared_statements"
    with connection.cursor() as cursor:
        cursor.execute(count)
        before = cursor.fetchone()[0]
    served = Served()
    for n in range(3):
        body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid=f"wamid.NOPREP{n}"))
        assert wsgi_post(served.app, body, headers).status_code == 200
    assert served.full_path_calls == []
    with connection.cursor() as cursor:
        cursor.execute(count)
        assert cursor.fetchone()[0] == before
    assert InboundEvent.objects.count() == 3


@pytest.mark.parametrize(
    "body",
    [
        "{not json \u00e9".encode(),
        b'{"object": "page", "note": "a\\u0000b", "access_token": "EAAG-not-for-the-log"}',
        b"\xff\xfe not utf-8",
    ],
    ids=["not-json", "nul-escape-and-secret-key", "not-utf8"],
)
def test_a_signed_body_of_any_shape_is_stored_and_logged_as_the_full_path_does(wa_channel, body):
    served = Served()
    body_, headers = signed(body)
    lean = wsgi_post(served.app, body_, headers)
    assert (lean.status_code, served.full_path_calls) == (200, [])
    full = wsgi_post(WSGIHandler(), body_, headers)
    assert full.status_code == 200
    assert _log_row(lean["X-Request-Id"]) == _log_row(full["X-Request-Id"])
    assert "EAAG-not-for-the-log" not in json.dumps(_log_row(lean["X-Request-Id"]))
    assert [bytes(e.body) for e in InboundEvent.objects.order_by("id")] == [body_, body_]
