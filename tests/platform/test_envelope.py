"""§1–2: every failure under /v1 and /meta is the one envelope, its request_id is
the X-Request-Id header, and the checks run in the contract's order."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from instantreply.core import services
from tests.helpers import ApiClient, error_of

ROOT = Path(__file__).resolve().parents[2]
MISSING_ID = "cont_00000000000000000000000000000000"


def assert_no_detail_key(value):
    if isinstance(value, dict):
        assert "detail" not in value, value
        for item in value.values():
            assert_no_detail_key(item)
    elif isinstance(value, list):
        for item in value:
            assert_no_detail_key(item)


def assert_envelope(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert_no_detail_key(json.loads(response.content))
    error = error_of(response)
    assert error["code"] == code, error
    return error


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "code"),
    [
        ("get", "/v1/nothing-here", None, "application/json", 404, "ROUTE_NOT_FOUND"),
        ("get", "/v1/contacts/", None, "application/json", 404, "ROUTE_NOT_FOUND"),
        ("post", "/v1", None, "application/json", 404, "ROUTE_NOT_FOUND"),
        ("get", "/meta/nothing-here", None, "application/json", 404, "ROUTE_NOT_FOUND"),
        ("put", "/v1/contacts", {}, "application/json", 405, "METHOD_NOT_ALLOWED"),
        ("post", "/v1/contacts", {}, "application/json", 405, "METHOD_NOT_ALLOWED"),
        (
            "delete",
            f"/v1/contacts/{MISSING_ID}",
            None,
            "application/json",
            405,
            "METHOD_NOT_ALLOWED",
        ),
        ("get", f"/v1/contacts/{MISSING_ID}", None, "application/json", 404, "RESOURCE_NOT_FOUND"),
        ("get", "/v1/contacts?limit=500", None, "application/json", 422, "VALIDATION_ERROR"),
        ("get", "/v1/contacts?platform=tiktok", None, "application/json", 422, "INVALID_PLATFORM"),
        ("get", "/v1/contacts?cursor=nope", None, "application/json", 400, "INVALID_CURSOR"),
        ("get", "/v1/usage?days=0", None, "application/json", 422, "VALIDATION_ERROR"),
        (
            "get",
            "/v1/developer/requests/req_nope",
            None,
            "application/json",
            404,
            "RESOURCE_NOT_FOUND",
        ),
    ],
)
def test_failures_are_envelopes(api_client, method, path, body, content_type, status, code):
    response = (
        getattr(api_client, method)(path, body)
        if body is not None
        else getattr(api_client, method)(path)
    )
    error = assert_envelope(response, status, code)
    assert error["message"]
    if status == 405:
        assert "GET" in response["Allow"]


def test_body_errors_are_envelopes(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    assert_envelope(api_client.patch(path, "{not json"), 400, "INVALID_JSON")
    assert_envelope(api_client.patch(path, "[1, 2]"), 400, "INVALID_JSON")
    assert_envelope(api_client.patch(path, '{"name": NaN}'), 400, "INVALID_JSON")
    assert_envelope(api_client.patch(path, b"\xff\xfe{}"), 400, "INVALID_JSON")
    assert_envelope(
        api_client.patch(path, "name=x", content_type="text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"
    )
    assert_envelope(
        api_client.patch(path, "name=x", content_type="application/x-www-form-urlencoded"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    assert_envelope(
        api_client.patch(path, '{"name": "x"}', content_type=""), 415, "UNSUPPORTED_MEDIA_TYPE"
    )
    big = json.dumps({"name": "x" * (settings.MAX_BODY_BYTES + 1)})
    assert_envelope(api_client.patch(path, big), 413, "PAYLOAD_TOO_LARGE")
    # Unknown fields and a wrong type of value are 422, never 500.
    assert_envelope(api_client.patch(path, {"nope": 1}), 422, "VALIDATION_ERROR")
    assert_envelope(api_client.patch(path, {"tags": "vip"}), 422, "VALIDATION_ERROR")


def test_a_json_body_with_a_charset_and_a_bodyless_patch_are_accepted(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    ok = api_client.patch(path, '{"name": "Bea"}', content_type="application/json; charset=utf-8")
    assert ok.status_code == 200 and ok.json()["data"]["name"] == "Bea"
    empty = api_client.client.patch(path, headers={"Authorization": f"Bearer {api_client.key}"})
    assert empty.status_code == 200


def test_a_body_of_exactly_one_mebibyte_is_not_too_large(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    padding = settings.MAX_BODY_BYTES - len(json.dumps({"name": "Bea", "pad": ""}))
    body = json.dumps({"name": "Bea", "pad": " " * padding})
    assert len(body.encode()) == settings.MAX_BODY_BYTES
    assert_envelope(api_client.patch(path, body), 422, "VALIDATION_ERROR")  # pad is not writable


def test_401_carries_www_authenticate_bearer(anonymous_client):
    missing = anonymous_client.get("/v1/contacts")
    assert_envelope(missing, 401, "AUTHENTICATION_REQUIRED")
    assert missing["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer ir_live_short", "Basic abc", "Bearer", "ir_live_" + "a" * 40):
        response = Client().get("/v1/contacts", headers={"Authorization": header})
        assert_envelope(response, 401, "INVALID_API_KEY")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_is_refused(workspace, make_key):
    key, raw = make_key(workspace)
    services.api_key_revoke(key=key)
    assert_envelope(ApiClient(raw).get("/v1/contacts"), 401, "INVALID_API_KEY")


def test_head_answers_like_get_without_a_body(api_client, anonymous_client):
    ok = api_client.client.head(
        "/v1/contacts", headers={"Authorization": f"Bearer {api_client.key}"}
    )
    assert ok.status_code == 200 and ok.content == b""
    assert ok["X-Request-Id"].startswith("req_") and ok["X-RateLimit-Limit"]
    refused = anonymous_client.client.head("/v1/contacts")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert refused["X-Request-Id"].startswith("req_")
    assert refused["Content-Type"] == "application/json"
    unknown = anonymous_client.client.head("/v1/nothing")
    assert unknown.status_code == 404 and unknown["X-Request-Id"].startswith("req_")


def test_options_is_a_405_envelope(api_client):
    response = api_client.client.options(
        "/v1/contacts", headers={"Authorization": f"Bearer {api_client.key}"}
    )
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")


@pytest.mark.urls("tests.platform.boom_urls")
@pytest.mark.parametrize("path", ["/v1/test-only/boom", "/meta/test-only/boom"])
def test_an_unexpected_exception_in_a_plain_view_is_a_500_envelope(path):
    response = Client(raise_request_exception=False).get(path)
    assert_envelope(response, 500, "INTERNAL_ERROR")


@pytest.mark.urls("tests.platform.boom_urls")
def test_an_unexpected_exception_in_an_api_view_is_a_500_envelope(api_client):
    from tests.platform import boom_urls

    boom_urls.FAIL_NEXT["value"] = True
    response = api_client.post("/v1/test-only/contacts", {"name": "x"})
    assert_envelope(response, 500, "INTERNAL_ERROR")


def test_django_handlers_answer_api_paths_with_envelopes(rf):
    from instantreply.api import fallback

    request = rf.get("/v1/whatever")
    request.request_id = "req_0123"
    not_found = fallback.handler404(request, Exception("x"))
    assert json.loads(not_found.content)["error"]["code"] == "ROUTE_NOT_FOUND"
    server_error = fallback.handler500(request)
    body = json.loads(server_error.content)
    assert server_error.status_code == 500 and body["error"]["code"] == "INTERNAL_ERROR"
    assert body["error"]["request_id"] == "req_0123"
    # Pages for people stay HTML.
    assert fallback.handler404(rf.get("/elsewhere"), Exception("x"))["Content-Type"].startswith(
        "text/html"
    )


# -- precedence (§2) -----------------------------------------------------------


def test_route_and_method_errors_come_before_authentication(anonymous_client):
    assert_envelope(anonymous_client.get("/v1/nothing"), 404, "ROUTE_NOT_FOUND")
    assert_envelope(anonymous_client.put("/v1/contacts", "{bad"), 405, "METHOD_NOT_ALLOWED")


def test_authentication_comes_before_everything_about_the_body(anonymous_client):
    response = anonymous_client.patch(
        f"/v1/contacts/{MISSING_ID}", "{bad", headers={"Idempotency-Key": ""}
    )
    assert_envelope(response, 401, "AUTHENTICATION_REQUIRED")


def test_rate_limit_comes_before_scope(db, make_key):
    free = services.workspace_create(name="Free", tier="free")
    _, raw = make_key(free, scopes=["channels:read"])
    client = ApiClient(raw)
    for _ in range(60):
        client.get("/v1/channels")
    assert_envelope(client.get("/v1/contacts"), 429, "RATE_LIMITED")


def test_scope_comes_before_idempotency_key_and_body(client_with_scopes):
    client = client_with_scopes("contacts:read")
    response = client.patch(f"/v1/contacts/{MISSING_ID}", "{bad", headers={"Idempotency-Key": ""})
    error = assert_envelope(response, 403, "INSUFFICIENT_SCOPE")
    assert "contacts:write" in error["message"]


def test_idempotency_key_format_comes_before_the_body(api_client):
    response = api_client.patch(
        f"/v1/contacts/{MISSING_ID}", "{bad", headers={"Idempotency-Key": "x" * 256}
    )
    assert_envelope(response, 400, "INVALID_IDEMPOTENCY_KEY")


@pytest.mark.parametrize("key", ["", '""', "caf\u00e9", "tab\there"])
def test_invalid_idempotency_keys_are_400(api_client, key):
    response = api_client.patch(f"/v1/contacts/{MISSING_ID}", {}, headers={"Idempotency-Key": key})
    assert_envelope(response, 400, "INVALID_IDEMPOTENCY_KEY")


def test_body_errors_come_before_idempotency(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    headers = {"Idempotency-Key": "k-body-first"}
    assert api_client.patch(path, {"name": "A"}, headers=headers).status_code == 200
    # Same key, a broken body: INVALID_JSON / 415 win over IDEMPOTENCY_KEY_REUSED.
    assert_envelope(api_client.patch(path, "{bad", headers=headers), 400, "INVALID_JSON")
    assert_envelope(
        api_client.patch(path, "x", headers=headers, content_type="text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )


def test_idempotency_comes_before_not_found_and_not_found_before_validation(api_client):
    path = f"/v1/contacts/{MISSING_ID}"
    headers = {"Idempotency-Key": "k-order"}
    first = api_client.patch(path, {"lead_stage": "bogus"}, headers=headers)
    assert_envelope(first, 404, "RESOURCE_NOT_FOUND")  # 404 before 422
    reused = api_client.patch(path, {"lead_stage": "new"}, headers=headers)
    assert_envelope(reused, 422, "IDEMPOTENCY_KEY_REUSED")  # idempotency before 404


# -- health, docs, settings ---------------------------------------------------


def test_readyz_reports_dependencies(db, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_is_a_503_envelope_when_the_database_is_unreachable(client, monkeypatch):
    from instantreply import health

    class DeadConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DeadConnection())
    response = client.get("/readyz")
    error = assert_envelope(response, 503, "SERVICE_UNAVAILABLE")
    assert {"field": "database", "issue": "unavailable"} in error["details"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_docs_and_their_assets_are_served_by_the_app_with_debug_off(client, settings):
    import re

    settings.DEBUG = False
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body
    schema = client.get("/v1/openapi.json")
    assert schema.status_code == 200


def _run_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "META_APP_SECRET",
            "META_VERIFY_TOKEN",
            "INSTANTREPLY_ALLOW_DEV_SECRETS",
            "DEBUG",
        }
    }
    # Production has no development .env (scripts/setup.sh writes one in a clone).
    env.update(
        {
            "INSTANTREPLY_TESTING": "false",
            "DEBUG": "false",
            "INSTANTREPLY_ENV_FILE": os.devnull,
            **extra_env,
        }
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'instantreply.settings'); django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_app_refuses_to_start_with_debug_off_and_development_secrets():
    refused = _run_check({})
    assert refused.returncode != 0
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "META_APP_SECRET", "META_VERIFY_TOKEN"):
        assert name in refused.stderr
    partly = _run_check({"SECRET_KEY": "s" * 50, "META_APP_SECRET": "x", "META_VERIFY_TOKEN": "y"})
    assert partly.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in partly.stderr
    from cryptography.fernet import Fernet

    started = _run_check(
        {
            "SECRET_KEY": "s" * 50,
            "META_APP_SECRET": "x",
            "META_VERIFY_TOKEN": "y",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        }
    )
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/v1/nothing", 404, "ROUTE_NOT_FOUND"),
        ("/meta/nothing", 404, "ROUTE_NOT_FOUND"),
        ("/v1/contacts", 405, "METHOD_NOT_ALLOWED"),
        ("/v1/contacts/cont_00000000000000000000000000000000", 405, "METHOD_NOT_ALLOWED"),
    ],
)
def test_csrf_never_answers_for_the_api(db, path, status, code):
    # Real clients send no CSRF token; the test client skips the check unless told.
    response = Client(enforce_csrf_checks=True).post(path, "{}", content_type="application/json")
    assert_envelope(response, status, code)
