"""The fast paths of a plain GET (bench/platform_throughput.py) keep every promise
of the slow ones: the unfiltered list's fixed SQL pages exactly like the ORM
paginator, the trace stores the exact redacted exchange even when it skips
re-parsing, the API skips the site's session/CSRF middleware while /admin keeps
it, the key lookup reads every field right and its time-based cache (no shared
store) never outlives a revocation by more than API_KEY_CACHE_SECONDS, and the one-round-trip Redis
counter keeps limits' window."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from rest_framework.request import Request

from contacts.models import Contact
from instantreply.api import authentication, ratelimit
from instantreply.api.pagination import paginate, paginate_unfiltered
from instantreply.api.tracing import REDACTED
from instantreply.core.models import RequestLog
from tests.helpers import ApiClient


def _request(path: str, api_key) -> Request:
    request = Request(RequestFactory().get(path))
    request.auth = api_key  # as authentication leaves it (cursors are bound to it)
    return request


@pytest.fixture
def people(workspace, other_workspace, make_contact):
    # Pairs share a created_at, so the id tie-break is exercised too.
    made = []
    for n in range(7):
        contact = make_contact(name=f"P{n}")
        made.append(contact)
    stamp = made[2].created_at
    Contact.objects.filter(pk__in=[made[3].pk, made[4].pk]).update(created_at=stamp)
    make_contact(ws=other_workspace, name="foreign")
    make_contact(livemode=False, name="test mode")
    return made


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_the_unfiltered_fast_path_pages_exactly_like_the_orm(people, api_key, order, limit):
    key = api_key[0]
    cursor = None
    walked = []
    while True:
        path = f"/v1/contacts?limit={limit}&order={order}" + (f"&cursor={cursor}" if cursor else "")
        fast_rows, fast_page = paginate_unfiltered(_request(path, key), Contact, key)
        orm_rows, orm_page = paginate(_request(path, key), Contact.objects.for_key(key), filters={})
        assert [r.id for r in fast_rows] == [r.id for r in orm_rows]
        for fast, orm in zip(fast_rows, orm_rows, strict=True):
            for name in ("name", "tags", "livemode", "created_at", "updated_at", "last_seen_at"):
                assert getattr(fast, name) == getattr(orm, name), name
        assert fast_page["has_more"] == orm_page["has_more"]
        assert (fast_page["next_cursor"] is None) == (orm_page["next_cursor"] is None)
        walked += [r.id for r in fast_rows]
        cursor = fast_page["next_cursor"]
        if cursor is None:
            break
    expected = [c.id for c in sorted(people, key=lambda c: (c.created_at, c.id))]
    assert walked == (expected if order == "asc" else expected[::-1])


def test_the_fast_paths_cursor_is_bound_to_no_filters(people, api_client):
    cursor = api_client.get("/v1/contacts", {"limit": 2}).json()["pagination"]["next_cursor"]
    filtered = api_client.get("/v1/contacts", {"limit": 2, "cursor": cursor, "lead_stage": "new"})
    assert filtered.status_code == 400
    assert filtered.json()["error"]["code"] == "INVALID_CURSOR"
    assert api_client.get("/v1/contacts", {"cursor": cursor, "order": "asc"}).status_code == 400
    assert api_client.get("/v1/contacts", {"cursor": cursor}).status_code == 200


def test_the_fast_path_keeps_tenancy_and_mode_apart(people, api_client, test_client):
    live = {c["name"] for c in api_client.get("/v1/contacts", {"limit": 100}).json()["data"]}
    assert live == {f"P{n}" for n in range(7)}
    test = [c["name"] for c in test_client.get("/v1/contacts").json()["data"]]
    assert test == ["test mode"]


@pytest.mark.django_db(transaction=True)
def test_the_trace_outside_a_transaction_stores_the_exact_exchange(make_key):
    # transaction=True: no surrounding atomic block, so on PostgreSQL this is the
    # production insert (synchronous_commit off, JSON sent as text).
    from instantreply.core import services

    workspace = services.workspace_create(name="Trace", tier="growth")
    key, raw = make_key(workspace)
    client = ApiClient(raw)
    listed = client.get("/v1/contacts", {"limit": 5, "access_token": "q-1"})
    log = RequestLog.objects.get(pk=listed["X-Request-Id"])
    assert log.response_body == listed.json() and log.status == 200
    assert log.query == {"limit": "5", "access_token": REDACTED}
    assert log.api_key_id == key.id and log.workspace_id == workspace.id
    assert log.request_headers["Authorization"] == f"Bearer {REDACTED}"
    assert log.response_headers["X-Request-Id"] == log.id

    body = '{"name": "x",  "nested": {"ok": [1, 2.50, "é"]}, "n": 12345678901234567890}'
    patched = client.patch("/v1/contacts/cont_00000000000000000000000000000000", body)
    log = RequestLog.objects.get(pk=patched["X-Request-Id"])
    assert log.request_body == json.loads(body) and log.status == 404
    assert log.response_body == patched.json()


def test_a_secret_key_spelled_with_escapes_is_still_redacted(api_client, make_contact):
    contact = make_contact()
    body = '{"name": "x", "\\u0073ecret": "whsec-escaped", "n": {"api\\u005fkey": "k-1"}}'
    response = api_client.patch(f"/v1/contacts/{contact.id}", body)
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body == {"name": "x", "secret": REDACTED, "n": {"api_key": REDACTED}}
    assert "whsec-escaped" not in json.dumps(log.request_body)


def test_a_response_holding_secret_like_names_is_redacted_in_the_trace(api_client, make_contact):
    make_contact(name="token")  # a value, not a key: kept
    response = api_client.get("/v1/contacts")
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.response_body == response.json()
    assert log.response_body["data"][0]["name"] == "token"


def test_api_answers_carry_no_session_or_csrf_machinery(api_client):
    response = api_client.get("/v1/contacts")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert name in response  # the security headers stay on every answer


def test_the_admin_still_has_sessions_and_csrf(db):
    User.objects.create_user("ops", "o@example.com", "pw-ops-1", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    assert page.status_code == 200 and "csrftoken" in page.cookies
    refused = client.post("/admin/login/", {"username": "ops", "password": "pw-ops-1"})
    assert refused.status_code == 403  # no CSRF token: Django's CSRF check ran
    token = page.cookies["csrftoken"].value
    logged_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "ops", "password": "pw-ops-1", "csrfmiddlewaretoken": token},
    )
    assert logged_in.status_code == 302 and "sessionid" in logged_in.cookies
    assert client.get("/admin/").status_code == 200


def test_the_key_lookup_reads_every_field_with_its_type(workspace, make_key):
    key, raw = make_key(workspace, scopes=("contacts:read", "channels:read"), mode="test")
    found = authentication.resolve_key(raw)
    assert found.pk == key.pk and found.mode == "test" and found.livemode is False
    assert found.scopes == ["contacts:read", "channels:read"]
    assert found.created_at == key.created_at and found.revoked_at is None
    assert found.workspace.id == workspace.id and found.workspace.tier == workspace.tier
    assert authentication.resolve_key(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


@pytest.mark.redis
def test_the_redis_counter_keeps_limits_window(settings, workspace):
    first = ratelimit.hit(workspace)
    second = ratelimit.hit(workspace)
    assert second.remaining == first.remaining - 1 == ratelimit.limit_for(workspace) - 2
    limiter = ratelimit._get()
    assert limiter.redis is not None
    item_key = ratelimit.RateLimitItemPerMinute(first.limit).key_for("ws", workspace.id)
    name = limiter.storage.prefixed_key(item_key)
    ttl = limiter.redis.ttl(name)
    assert 0 < ttl <= settings.RATE_LIMIT_WINDOW_SECONDS  # the window expires
    assert ratelimit.peek(workspace).remaining == second.remaining


def test_a_cached_key_still_has_its_hash_compared_on_every_request(settings, workspace, make_key):
    settings.RATE_LIMIT_STORAGE_URL = "memory://"  # the time-based cache (no shared store)
    settings.API_KEY_CACHE_SECONDS = 2
    key, raw = make_key(workspace)
    assert ApiClient(raw).get("/v1/contacts").status_code == 200  # now cached
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")  # same prefix
    response = ApiClient(forged).get("/v1/contacts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_API_KEY"


# Either cache: the time-based one (no shared store) and the generation-checked one
# of a Redis deployment (tests/platform/test_key_cache.py).
@pytest.mark.parametrize("store", ["memory://", pytest.param("redis", marks=pytest.mark.redis)])
def test_revoking_or_deleting_here_refuses_the_key_at_once(settings, workspace, make_key, store):
    from instantreply.core import services

    if store != "redis":
        settings.RATE_LIMIT_STORAGE_URL = store
    settings.API_KEY_CACHE_SECONDS = 2
    key, raw = make_key(workspace)
    assert ApiClient(raw).get("/v1/contacts").status_code == 200
    services.api_key_revoke(key=key)
    assert ApiClient(raw).get("/v1/contacts").status_code == 401
    other, other_raw = make_key(workspace)
    assert ApiClient(other_raw).get("/v1/contacts").status_code == 200
    other.delete()
    assert ApiClient(other_raw).get("/v1/contacts").status_code == 401


def test_a_revocation_by_another_process_takes_effect_within_the_cache_time(
    settings, workspace, make_key, monkeypatch
):
    from instantreply.core.models import ApiKey
    from instantreply.core.timeutil import now

    settings.RATE_LIMIT_STORAGE_URL = "memory://"  # the time-based cache (no shared store)
    settings.API_KEY_CACHE_SECONDS = 2
    key, raw = make_key(workspace)
    clock = [1000.0]
    monkeypatch.setattr(authentication.time, "monotonic", lambda: clock[0])
    assert ApiClient(raw).get("/v1/contacts").status_code == 200
    # Another process revokes: a plain UPDATE, this process's cache is not told.
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=now())
    clock[0] += 1.5
    assert ApiClient(raw).get("/v1/contacts").status_code == 200
    clock[0] += 0.6  # past API_KEY_CACHE_SECONDS since the lookup
    assert ApiClient(raw).get("/v1/contacts").status_code == 401


def test_the_key_cache_can_be_turned_off(settings, workspace, make_key):
    from instantreply.core.models import ApiKey
    from instantreply.core.timeutil import now

    settings.RATE_LIMIT_STORAGE_URL = "memory://"  # the time-based cache (no shared store)
    settings.API_KEY_CACHE_SECONDS = 0
    key, raw = make_key(workspace)
    assert ApiClient(raw).get("/v1/contacts").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=now())
    assert ApiClient(raw).get("/v1/contacts").status_code == 401
