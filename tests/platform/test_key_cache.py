"""§3 with the key cache of a Redis-backed deployment (instantreply/api/authentication.py,
``resolve_key_and_count``): a known key costs no database lookup, yet any revocation,
deletion or change — from this process or another — refuses or re-reads the key on
the very next request, because every request compares the key generation read in
the rate limiter's own round trip."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instantreply.api import authentication
from instantreply.core import keys
from instantreply.core.models import ApiKey
from instantreply.core.timeutil import now
from tests.helpers import ApiClient

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _empty_cache():
    authentication.forget_key()
    yield
    authentication.forget_key()


def _key_lookups(queries) -> list[str]:
    return [q["sql"] for q in queries if ApiKey._meta.db_table in q["sql"] and "SELECT" in q["sql"]]


def test_a_known_key_is_not_read_from_the_database_again(api_key):
    client = ApiClient(api_key[1])
    assert client.get("/v1/contacts").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/v1/contacts")
    assert response.status_code == 200
    assert _key_lookups(queries.captured_queries) == []
    assert response["X-RateLimit-Remaining"] == str(int(response["X-RateLimit-Limit"]) - 2)


def test_a_revocation_in_another_process_refuses_the_very_next_request(api_key):
    key, raw = api_key
    client = ApiClient(raw)
    assert client.get("/v1/contacts").status_code == 200
    # Another process revokes: its row update and its announcement; nothing of this
    # process's memory is touched.
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=now())
    keys.announce_key_change()
    response = client.get("/v1/contacts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_API_KEY"


def test_a_tier_change_applies_to_the_very_next_request(workspace, api_key):
    client = ApiClient(api_key[1])
    assert client.get("/v1/contacts")["X-RateLimit-Limit"] == "1200"  # growth
    workspace.tier = "free"
    workspace.save()
    assert client.get("/v1/contacts")["X-RateLimit-Limit"] == "60"


def test_a_cached_key_still_has_its_hash_compared(api_key):
    raw = api_key[1]
    assert ApiClient(raw).get("/v1/contacts").status_code == 200
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")  # same prefix
    response = ApiClient(forged).get("/v1/contacts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_API_KEY"


def test_without_the_store_every_request_reads_the_key(settings, api_key):
    key, raw = api_key
    client = ApiClient(raw)
    assert client.get("/v1/contacts").status_code == 200  # cached while Redis answered
    settings.RATE_LIMIT_STORAGE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/v1/contacts").status_code == 200  # served, fail open (§6)
    assert len(_key_lookups(queries.captured_queries)) == 1
    # A revocation nobody could announce still applies at once.
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=now())
    assert client.get("/v1/contacts").status_code == 401
