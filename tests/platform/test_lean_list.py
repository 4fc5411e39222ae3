"""The lean answer of unfiltered list reads (instantreply/api/lean.py), through the
WSGI application gunicorn serves: every request gets the answer the full Django
path gives — status, headers in order, body, request log — whichever path answers
it, and a request is counted against its rate limit once."""

import json

import pytest
from django.core import signing
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from contacts.models import Contact
from instantreply.api import lean, ratelimit
from instantreply.core import services
from instantreply.core.models import RequestLog
from instantreply.wsgi import application
from tests.helpers import WsgiAnswer, call_wsgi, connections_kept

pytestmark = pytest.mark.django_db

# What differs between any two requests: their id, and the rate-limit window's count.
_PER_REQUEST_HEADERS = {"X-Request-Id", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit"}


class Served:
    """A LeanList over a fresh Django handler, counting what the full path answered."""

    def __init__(self):
        self.full_path_calls = 0
        self.django_app = WSGIHandler()

        def counting(environ, start_response):
            self.full_path_calls += 1
            return self.django_app(environ, start_response)

        self.app = lean.LeanList(counting)


def wsgi_get(app, query: str = "", headers: dict | None = None, **extra) -> tuple:
    environ = RequestFactory().get(f"/v1/contacts{query}", headers=headers or {}, **extra).environ
    return call_wsgi(app, environ)


def _comparable_body(answer) -> object:
    if not answer.headers.get("Content-Type", "").startswith("application/json"):
        return answer.content  # Django's own answers (a redirect, a refused host)
    body = answer.json()
    if "error" in body:
        assert body["error"]["request_id"] == answer["X-Request-Id"]
        body["error"]["request_id"] = "req_"
    cursor = body.get("pagination", {}).get("next_cursor")
    if cursor:
        # Signed with the second it was made in; what it holds must be the same.
        body["pagination"]["next_cursor"] = signing.loads(cursor, salt=_SALT)
    return body


_SALT = "instantreply.pagination.cursor"


def _comparable_headers(header_list) -> list:
    return [(n, "*" if n in _PER_REQUEST_HEADERS else v) for n, v in header_list]


def _comparable_log(request_id: str) -> dict:
    log = RequestLog.objects.get(pk=request_id)
    values = {
        f.attname: getattr(log, f.attname)
        for f in RequestLog._meta.concrete_fields
        if f.attname not in ("id", "duration_ms", "created_at")
    }
    values["response_headers"] = {
        n: "*" if n in _PER_REQUEST_HEADERS else v for n, v in values["response_headers"].items()
    }
    body = values["response_body"]
    if isinstance(body, dict) and "error" in body:
        body["error"]["request_id"] = "req_"
    if isinstance(body, dict) and body.get("pagination", {}).get("next_cursor"):
        body["pagination"]["next_cursor"] = signing.loads(
            body["pagination"]["next_cursor"], salt=_SALT
        )
    return values


def assert_same_answer(query: str, headers: dict, fresh_window=False, **extra) -> WsgiAnswer:
    """The same request through the lean-fronted application and through Django alone
    (``fresh_window``: each as the first of its rate-limit window)."""
    served = Served()
    lean_answer, lean_headers = wsgi_get(served.app, query, headers, **extra)
    if fresh_window:
        ratelimit.reset_all()
    full_answer, full_headers = wsgi_get(served.django_app, query, headers, **extra)
    assert lean_answer.status_code == full_answer.status_code
    assert _comparable_headers(lean_headers) == _comparable_headers(full_headers)
    assert _comparable_body(lean_answer) == _comparable_body(full_answer)
    if lean_answer.status_code == 200:
        # The two answers differ in their counters only, by the one request between.
        assert int(lean_answer["X-RateLimit-Remaining"]) == (
            int(full_answer["X-RateLimit-Remaining"]) + 1
        )
    lean_log = RequestLog.objects.filter(pk=lean_answer["X-Request-Id"]).exists()
    full_log = RequestLog.objects.filter(pk=full_answer["X-Request-Id"]).exists()
    assert lean_log == full_log
    if lean_log:
        assert _comparable_log(lean_answer["X-Request-Id"]) == _comparable_log(
            full_answer["X-Request-Id"]
        )
    lean_answer.full_path_calls = served.full_path_calls
    return lean_answer


@pytest.fixture
def contacts(make_contact, workspace):
    made = [make_contact(name=f"Ana {i}", username=f"ana{i}") for i in range(3)]
    Contact.objects.filter(pk=made[0].pk).update(tags=["vip", "ünïcode"], email="ana@example.com")
    made.append(make_contact(name="Test Tom", livemode=False))
    return made


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_gunicorn_serves_the_lean_list_path_behind_the_lean_ack():
    assert isinstance(application.django_app, lean.LeanList)
    assert application.django_app.enabled


@pytest.mark.parametrize(
    "query", ["", "?limit=20", "?limit=2", "?limit=2&order=ASC", "?order=", "?limit=1&limit=3"]
)
def test_an_unfiltered_page_is_answered_by_the_lean_path_as_the_full_path_answers_it(
    contacts, api_key, query
):
    answer = assert_same_answer(query, _bearer(api_key[1]))
    assert answer.status_code == 200
    assert answer.full_path_calls == 0


def test_a_test_key_pages_test_objects_on_the_lean_path(contacts, workspace, make_key):
    _, raw = make_key(workspace, mode="test")
    answer = assert_same_answer("", _bearer(raw))
    assert [c["name"] for c in answer.json()["data"]] == ["Test Tom"]
    assert answer.full_path_calls == 0


def test_the_next_page_by_cursor_is_answered_by_the_lean_path(contacts, api_key):
    first, _ = wsgi_get(application, "?limit=2", _bearer(api_key[1]))
    cursor = first.json()["pagination"]["next_cursor"]
    answer = assert_same_answer(f"?limit=2&cursor={cursor}", _bearer(api_key[1]))
    assert [c["name"] for c in answer.json()["data"]] == ["Ana 0"]
    assert answer.full_path_calls == 0


@pytest.mark.parametrize(
    "query, status",
    [
        ("?limit=0", 422),
        ("?limit=abc", 422),
        ("?order=sideways", 422),
        ("?cursor=garbage", 400),
        ("?lead_stage=new", 200),
        ("?lead_stage=nonsense", 422),
        ("?q=Ana&limit=1", 200),
    ],
)
def test_what_the_lean_path_does_not_answer_gets_the_full_paths_answer(
    contacts, api_key, query, status
):
    answer = assert_same_answer(query, _bearer(api_key[1]))
    assert answer.status_code == status
    assert answer.full_path_calls == 1


def test_a_cursor_of_the_other_mode_gets_invalid_cursor_from_the_full_path(
    contacts, workspace, api_key, make_key
):
    _, test_raw = make_key(workspace, mode="test")
    make_key_contacts = wsgi_get(application, "?limit=1", _bearer(api_key[1]))[0]
    cursor = make_key_contacts.json()["pagination"]["next_cursor"]
    answer = assert_same_answer(f"?cursor={cursor}", _bearer(test_raw))
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize(
    "headers, code",
    [
        ({}, "AUTHENTICATION_REQUIRED"),
        ({"Authorization": "Basic abc"}, "INVALID_API_KEY"),
        ({"Authorization": "Bearer ir_live_" + "x" * 40}, "INVALID_API_KEY"),
        ({"Authorization": "Bearer nonsense"}, "INVALID_API_KEY"),
    ],
)
def test_requests_without_a_valid_key_get_the_full_paths_401(contacts, headers, code):
    # Each the first of its address's minute, so each is traced (§6).
    answer = assert_same_answer("", headers, fresh_window=True)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == code


def test_a_key_without_the_scope_gets_the_full_paths_403(contacts, workspace, make_key):
    _, raw = make_key(workspace, scopes=["templates:read"])
    answer = assert_same_answer("", _bearer(raw))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    assert answer.full_path_calls == 1


def test_a_request_handed_to_the_full_path_is_counted_once(contacts, api_key):
    served = Served()
    remaining = []
    for query in ("?limit=1", "?limit=0", "?cursor=garbage", "?limit=1"):
        answer, _ = wsgi_get(served.app, query, _bearer(api_key[1]))
        remaining.append(int(answer["X-RateLimit-Remaining"]))
    assert served.full_path_calls == 2
    assert remaining == list(range(remaining[0], remaining[0] - 4, -1))


def test_over_the_limit_the_full_path_answers_429_counted_once(
    contacts, api_key, workspace, settings
):
    settings.TIERS = {**settings.TIERS, "growth": {**settings.TIERS["growth"]}}
    settings.TIERS["growth"]["requests_per_minute"] = 2
    served = Served()
    statuses = [wsgi_get(served.app, "", _bearer(api_key[1]))[0] for _ in range(3)]
    assert [a.status_code for a in statuses] == [200, 200, 429]
    assert statuses[2].json()["error"]["code"] == "RATE_LIMITED"
    assert statuses[2]["X-RateLimit-Remaining"] == "0"


def test_a_revoked_key_is_refused_on_its_next_request(contacts, api_key):
    key, raw = api_key
    served = Served()
    assert wsgi_get(served.app, "", _bearer(raw))[0].status_code == 200
    services.api_key_revoke(key=key)
    answer, _ = wsgi_get(served.app, "", _bearer(raw))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "INVALID_API_KEY"


def test_a_get_with_a_body_or_another_method_takes_the_full_path(contacts, api_key):
    served = Served()
    environ = RequestFactory().head("/v1/contacts", headers=_bearer(api_key[1])).environ
    with connections_kept():
        response = served.app(environ, lambda status, headers: None)
        response.close()
    assert served.full_path_calls == 1


def test_the_lean_path_keeps_the_request_log_of_what_it_answered(contacts, api_key):
    answer, _ = wsgi_get(application, "?limit=2", _bearer(api_key[1]))
    log = RequestLog.objects.get(pk=answer["X-Request-Id"])
    assert (log.method, log.path, log.status, log.query) == (
        "GET",
        "/v1/contacts",
        200,
        {"limit": "2"},
    )
    assert log.api_key_id == api_key[0].pk
    assert log.request_headers["Authorization"] == "Bearer [REDACTED]"
    assert api_key[1] not in json.dumps(log.request_headers)
    assert log.response_body == answer.json()


def test_the_middlewares_headers_follow_each_requests_scheme(contacts, api_key, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    served = Served()
    secure, _ = wsgi_get(served.app, "", _bearer(api_key[1]), secure=True)
    plain, _ = wsgi_get(served.app, "", _bearer(api_key[1]))
    again, _ = wsgi_get(served.app, "", _bearer(api_key[1]), secure=True)
    assert served.full_path_calls == 0
    assert secure["Strict-Transport-Security"] == "max-age=3600"
    assert again["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in plain.headers
    assert_same_answer("", _bearer(api_key[1]), secure=True)


def test_a_disallowed_host_gets_the_full_paths_answer(contacts, api_key, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    answer = assert_same_answer("", _bearer(api_key[1]), HTTP_HOST="evil.example")
    assert answer.status_code == 400
    assert answer.full_path_calls == 1


def test_an_https_redirect_is_the_full_paths(contacts, api_key, settings):
    settings.SECURE_SSL_REDIRECT = True
    answer = assert_same_answer("?limit=2", _bearer(api_key[1]))
    assert answer.status_code == 301
    assert answer.full_path_calls == 1
