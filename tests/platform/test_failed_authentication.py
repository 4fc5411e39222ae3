"""§6, issue 10 item 4: requests that fail authentication are limited per client
address (REMOTE_ADDR; X-Forwarded-For only behind TRUSTED_PROXY_COUNT proxies),
answer 429 over the limit, and are traced once per client per minute, not each."""

import pytest
from django.test import Client

from instantreply.core.models import RequestLog
from tests.helpers import error_of

BAD_KEY = "Bearer ir_live_" + "x" * 40


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.UNAUTHENTICATED_REQUESTS_PER_MINUTE = 5


def bad_key_get(address="203.0.113.7", path="/v1/contacts", **headers):
    return Client().get(path, headers={"Authorization": BAD_KEY, **headers}, REMOTE_ADDR=address)


def test_bad_keys_get_401_up_to_the_limit_then_429_with_the_envelope(db):
    for _ in range(5):
        response = bad_key_get()
        assert response.status_code == 401
        assert error_of(response)["code"] == "INVALID_API_KEY"
    response = bad_key_get()
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "RATE_LIMITED"
    assert "without a valid API key" in error["message"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "X-RateLimit-Limit" not in response


def test_a_missing_key_counts_as_a_failed_authentication(db):
    for _ in range(5):
        response = Client().get("/v1/contacts", REMOTE_ADDR="203.0.113.7")
        assert error_of(response)["code"] == "AUTHENTICATION_REQUIRED"
    assert bad_key_get().status_code == 429


def test_only_the_first_failure_of_a_client_per_minute_is_traced(db):
    answers = [bad_key_get().status_code for _ in range(12)]
    assert answers == [401] * 5 + [429] * 7
    assert RequestLog.objects.count() == 1
    assert RequestLog.objects.get().status == 401


def test_a_valid_key_from_a_limited_address_is_served(db, api_key):
    for _ in range(6):
        bad_key_get()
    response = Client().get(
        "/v1/contacts", headers={"Authorization": f"Bearer {api_key[1]}"}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 200
    assert RequestLog.objects.filter(pk=response["X-Request-Id"]).exists()


def test_each_client_address_has_its_own_limit(db):
    for _ in range(6):
        bad_key_get("203.0.113.7")
    assert bad_key_get("203.0.113.8").status_code == 401
    assert RequestLog.objects.count() == 2


def test_x_forwarded_for_is_ignored_without_trusted_proxies(db):
    # A client cannot escape its limit by inventing forwarding headers.
    for n in range(5):
        assert bad_key_get(**{"X-Forwarded-For": f"198.51.100.{n}"}).status_code == 401
    assert bad_key_get(**{"X-Forwarded-For": "198.51.100.99"}).status_code == 429


def test_behind_trusted_proxies_the_client_address_comes_from_x_forwarded_for(db, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    proxy = "10.0.0.2"  # every request arrives from the same load balancer
    for _ in range(5):
        # The client may prepend anything; the entry 2 hops from the right is the
        # address the first trusted proxy saw.
        response = bad_key_get(proxy, **{"X-Forwarded-For": "1.1.1.1, 198.51.100.1, 10.0.0.1"})
        assert response.status_code == 401
    limited = bad_key_get(proxy, **{"X-Forwarded-For": "9.9.9.9, 198.51.100.1, 10.0.0.1"})
    assert limited.status_code == 429
    other = bad_key_get(proxy, **{"X-Forwarded-For": "198.51.100.2, 10.0.0.1"})
    assert other.status_code == 401


def test_meta_webhook_posts_with_bad_signatures_are_limited_too(db):
    client = Client()
    answers = [
        client.post(
            "/meta/webhook",
            data=b'{"object": "page"}',
            content_type="application/json",
            headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
            REMOTE_ADDR="203.0.113.9",
        )
        for _ in range(7)
    ]
    assert [r.status_code for r in answers] == [401] * 5 + [429] * 2
    assert error_of(answers[-1])["code"] == "RATE_LIMITED"
    assert RequestLog.objects.count() == 1


def test_a_forwarded_address_that_is_no_address_falls_back_to_remote_addr(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        assert bad_key_get("10.0.0.2", **{"X-Forwarded-For": "not-an-ip"}).status_code == 401
    assert bad_key_get("10.0.0.2").status_code == 429
