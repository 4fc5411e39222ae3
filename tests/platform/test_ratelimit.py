"""§6 rate limits: both header forms on every authenticated response, 429 with
Retry-After, per-workspace windows, fail-open when the store is down."""

import re
import time

import pytest

from instantreply.api import ratelimit
from instantreply.core import services
from tests.helpers import ApiClient, error_of

# A port in this test run's own range with nothing listening on it.
CLOSED_PORT_URL = "redis://127.0.0.1:18199/0"


@pytest.fixture
def free_client(db, make_key):
    workspace = services.workspace_create(name="Free", tier="free")
    return ApiClient(make_key(workspace)[1])


def limit_headers(response) -> dict:
    policy = re.fullmatch(r'"requests";q=(\d+);w=(\d+)', response["RateLimit-Policy"])
    state = re.fullmatch(r'"requests";r=(\d+);t=(\d+)', response["RateLimit"])
    assert policy and state, (response["RateLimit-Policy"], response["RateLimit"])
    return {
        "limit": int(response["X-RateLimit-Limit"]),
        "remaining": int(response["X-RateLimit-Remaining"]),
        "reset": int(response["X-RateLimit-Reset"]),
        "q": int(policy.group(1)),
        "w": int(policy.group(2)),
        "r": int(state.group(1)),
        "t": int(state.group(2)),
    }


def test_headers_are_present_and_decreasing(api_client):
    seen = [limit_headers(api_client.get("/v1/contacts")) for _ in range(3)]
    for h in seen:
        assert h["limit"] == h["q"] == 1200 and h["w"] == 60
        assert h["remaining"] == h["r"]
        assert 0 <= h["t"] <= 60
        assert abs(h["reset"] - (int(time.time()) + h["t"])) <= 2
    assert seen[0]["remaining"] > seen[1]["remaining"] > seen[2]["remaining"]
    assert seen[0]["remaining"] - seen[2]["remaining"] == 2


def test_a_fresh_window_never_reports_more_seconds_than_the_window(api_client):
    # Issue 10 item 9: the store's expiry rounded up made the first response of a
    # window say t=61 on a 60-second window. Every response of a fresh window,
    # and its X-RateLimit-Reset, stay within the window.
    for _ in range(5):
        ratelimit.reset_all()
        before = int(time.time())
        h = limit_headers(api_client.get("/v1/contacts"))
        assert h["w"] == 60
        assert 59 <= h["t"] <= 60
        assert h["reset"] <= before + 1 + 60


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/v1/contacts/cont_00000000000000000000000000000000", 404),
        ("get", "/v1/contacts?limit=0", 422),
        ("get", "/v1/contacts?cursor=x", 400),
        ("patch", "/v1/contacts/cont_00000000000000000000000000000000", 404),
        ("get", "/v1/usage", 200),
        ("get", "/v1/developer/capabilities", 200),
    ],
)
def test_every_authenticated_answer_carries_the_headers(api_client, method, path, status):
    response = getattr(api_client, method)(path)
    assert response.status_code == status
    limit_headers(response)


def test_errors_after_authentication_carry_the_headers_too(client_with_scopes):
    response = client_with_scopes("channels:read").get("/v1/contacts")
    assert error_of(response)["code"] == "INSUFFICIENT_SCOPE"
    limit_headers(response)


def test_unauthenticated_answers_carry_none(anonymous_client):
    response = anonymous_client.get("/v1/contacts")
    assert "X-RateLimit-Limit" not in response and "RateLimit" not in response


def test_over_the_limit_is_429_with_retry_after(free_client):
    for i in range(60):
        response = free_client.get("/v1/contacts")
        assert response.status_code == 200, i
    assert limit_headers(response)["remaining"] == 0
    limited = free_client.get("/v1/contacts")
    assert limited.status_code == 429
    error = error_of(limited)
    assert error["code"] == "RATE_LIMITED" and "60 requests per minute" in error["message"]
    assert 1 <= int(limited["Retry-After"]) <= 61
    headers = limit_headers(limited)
    assert headers["limit"] == 60 and headers["remaining"] == 0


def test_limits_are_per_workspace(free_client, api_client):
    for _ in range(61):
        free_client.get("/v1/contacts")
    assert free_client.get("/v1/contacts").status_code == 429
    assert api_client.get("/v1/contacts").status_code == 200


def test_tiers_come_from_the_settings_table(settings, db, make_key):
    for tier, plan in settings.TIERS.items():
        workspace = services.workspace_create(name=tier, tier=tier)
        response = ApiClient(make_key(workspace)[1]).get("/v1/contacts")
        assert limit_headers(response)["limit"] == plan["requests_per_minute"]


def test_limiter_store_down_still_serves(settings, api_client, caplog):
    settings.RATE_LIMIT_STORAGE_URL = CLOSED_PORT_URL
    try:
        with caplog.at_level("WARNING", logger="instantreply.ratelimit"):
            response = api_client.get("/v1/contacts")
        assert response.status_code == 200
        assert "unreachable" in caplog.text
        limit_headers(response)  # still both forms, with the full allowance
        usage = api_client.get("/v1/usage")
        assert usage.status_code == 200
        assert usage.json()["data"]["rate_limit"]["store_available"] is False
        for _ in range(5):
            assert api_client.get("/v1/contacts").status_code == 200
    finally:
        ratelimit._get().down_until = 0.0


def test_usage_says_the_store_is_available_when_it_is(api_client):
    rate = api_client.get("/v1/usage").json()["data"]["rate_limit"]
    assert rate["store_available"] is True
    assert rate["limit"] == 1200 and rate["window_seconds"] == 60
    assert rate["remaining"] == 1199


@pytest.mark.redis
def test_the_window_is_shared_through_redis_by_every_process(settings, workspace):
    assert settings.RATE_LIMIT_STORAGE_URL.startswith("redis://")
    # Two limiters stand for two web processes talking to the same Redis.
    first = ratelimit._Limiter(settings.RATE_LIMIT_STORAGE_URL)
    second = ratelimit._Limiter(settings.RATE_LIMIT_STORAGE_URL)
    ratelimit._limiter = first
    a = ratelimit.hit(workspace)
    ratelimit._limiter = second
    b = ratelimit.hit(workspace)
    assert a.store_available and b.store_available
    assert b.remaining == a.remaining - 1
