"""§5 Idempotency-Key: replay, reuse, concurrency, 5xx release, stored and
not-stored answers, retention."""

import datetime as dt
import threading

import pytest
from django.db import connection

from contacts.models import Contact
from instantreply.api import ratelimit
from instantreply.core import services
from instantreply.core.models import IdempotencyRecord, RequestLog
from tests.helpers import ApiClient, error_of
from tests.platform import boom_urls
from webhooks.models import Event

CREATE = "/v1/test-only/contacts"


def updated_events(contact):
    return Event.objects.filter(object_id=contact.id, type="contact.updated").count()


def test_a_replay_is_byte_identical_with_a_new_request_id(api_client, make_contact):
    contact = make_contact()
    path = f"/v1/contacts/{contact.id}"
    headers = {"Idempotency-Key": "4f9c2a0e-replay"}
    first = api_client.patch(path, {"name": "Bea", "add_tags": ["vip"]}, headers=headers)
    second = api_client.patch(path, {"name": "Bea", "add_tags": ["vip"]}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert second["X-Request-Id"] != first["X-Request-Id"]
    assert second["X-Request-Id"].startswith("req_")
    assert second["X-RateLimit-Remaining"] < first["X-RateLimit-Remaining"]
    assert updated_events(contact) == 1
    assert RequestLog.objects.get(pk=second["X-Request-Id"]).replayed is True
    assert RequestLog.objects.get(pk=first["X-Request-Id"]).replayed is False


def test_a_quoted_key_is_the_same_key_as_a_bare_one(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    first = api_client.patch(path, {"name": "Q"}, headers={"Idempotency-Key": '"same-key-1"'})
    second = api_client.patch(path, {"name": "Q"}, headers={"Idempotency-Key": "same-key-1"})
    assert second["Idempotent-Replayed"] == "true" and second.content == first.content


def test_the_fingerprint_ignores_json_key_order_and_whitespace(api_client, make_contact):
    path = f"/v1/contacts/{make_contact().id}"
    headers = {"Idempotency-Key": "order-key"}
    first = api_client.patch(path, '{"name":"A","lead_stage":"engaged"}', headers=headers)
    second = api_client.patch(
        path, '{\n  "lead_stage" : "engaged",  "name": "A"\n}', headers=headers
    )
    assert first.status_code == 200
    assert second["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    "change",
    [
        {"body": {"name": "Other"}},
        {"path_suffix": "?x=1"},
        {"method": "delete"},
    ],
)
def test_a_different_request_with_the_same_key_is_422(api_client, make_contact, change):
    contact = make_contact()
    path = f"/v1/contacts/{contact.id}"
    headers = {"Idempotency-Key": "reused"}
    assert api_client.patch(path, {"name": "A"}, headers=headers).status_code == 200
    method = change.get("method", "patch")
    body = change.get("body", {"name": "A"})
    response = getattr(api_client, method)(
        path + change.get("path_suffix", ""), body, headers=headers
    )
    if method == "delete":
        # DELETE on a path without it is 405 before idempotency (§2 precedence).
        assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
        return
    assert response.status_code == 422
    assert error_of(response)["code"] == "IDEMPOTENCY_KEY_REUSED"
    contact.refresh_from_db()
    assert contact.name == "A" and updated_events(contact) == 1


def test_keys_are_scoped_to_workspace_and_mode(
    api_client, other_client, test_client, make_contact, other_workspace
):
    headers = {"Idempotency-Key": "shared-key"}
    live = make_contact()
    test_contact = make_contact(livemode=False)
    foreign = make_contact(ws=other_workspace)
    assert (
        api_client.patch(f"/v1/contacts/{live.id}", {"name": "L"}, headers=headers).status_code
        == 200
    )
    as_test = test_client.patch(f"/v1/contacts/{test_contact.id}", {"name": "T"}, headers=headers)
    assert as_test.status_code == 200 and "Idempotent-Replayed" not in as_test
    as_other = other_client.patch(f"/v1/contacts/{foreign.id}", {"name": "O"}, headers=headers)
    assert as_other.status_code == 200 and "Idempotent-Replayed" not in as_other


def test_get_ignores_the_header(api_client):
    assert api_client.get("/v1/contacts", headers={"Idempotency-Key": ""}).status_code == 200


def test_authentication_and_scope_are_checked_before_a_replay(workspace, make_key, make_contact):
    key, raw = make_key(workspace)
    path = f"/v1/contacts/{make_contact().id}"
    headers = {"Idempotency-Key": "checked-first"}
    assert ApiClient(raw).patch(path, {"name": "A"}, headers=headers).status_code == 200
    _, read_only = make_key(workspace, scopes=["contacts:read"])
    forbidden = ApiClient(read_only).patch(path, {"name": "A"}, headers=headers)
    assert error_of(forbidden)["code"] == "INSUFFICIENT_SCOPE"
    services.api_key_revoke(key=key)
    assert error_of(ApiClient(raw).patch(path, {"name": "A"}, headers=headers))["code"] == (
        "INVALID_API_KEY"
    )


# -- what is stored ------------------------------------------------------------


def test_not_found_and_validation_errors_are_stored_and_replayed(api_client, make_contact):
    missing = "/v1/contacts/cont_00000000000000000000000000000000"
    first = api_client.patch(missing, {"name": "A"}, headers={"Idempotency-Key": "k404"})
    again = api_client.patch(missing, {"name": "A"}, headers={"Idempotency-Key": "k404"})
    assert first.status_code == again.status_code == 404
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    # The replay names the original request (§2 exception), byte for byte.
    assert error_of.__name__ and again.json()["error"]["request_id"] == first["X-Request-Id"]

    path = f"/v1/contacts/{make_contact().id}"
    bad = api_client.patch(path, {"lead_stage": "won"}, headers={"Idempotency-Key": "k422"})
    bad_again = api_client.patch(path, {"lead_stage": "won"}, headers={"Idempotency-Key": "k422"})
    assert bad.status_code == bad_again.status_code == 422
    assert bad_again["Idempotent-Replayed"] == "true" and bad_again.content == bad.content


def _executes(response):
    assert response.status_code == 200, response.content
    assert "Idempotent-Replayed" not in response


def test_answers_that_are_never_stored_let_the_key_execute_later(
    workspace, make_key, api_client, anonymous_client, make_contact, client_with_scopes
):
    contact = make_contact()
    path = f"/v1/contacts/{contact.id}"
    cases = [
        ("bad-json", lambda h: api_client.patch(path, "{bad", headers=h), "INVALID_JSON"),
        (
            "media",
            lambda h: api_client.patch(path, "x", headers=h, content_type="text/plain"),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "too-big",
            lambda h: api_client.patch(path, {"name": "x" * 1_100_000}, headers=h),
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "anon",
            lambda h: anonymous_client.patch(path, {"name": "N"}, headers=h),
            "AUTHENTICATION_REQUIRED",
        ),
        (
            "scope",
            lambda h: client_with_scopes("contacts:read").patch(path, {"name": "N"}, headers=h),
            "INSUFFICIENT_SCOPE",
        ),
        ("method", lambda h: api_client.put(path, {"name": "N"}, headers=h), "METHOD_NOT_ALLOWED"),
        (
            "route",
            lambda h: api_client.patch(path + "/x", {"name": "N"}, headers=h),
            "ROUTE_NOT_FOUND",
        ),
    ]
    for name, call, code in cases:
        headers = {"Idempotency-Key": f"never-{name}"}
        assert error_of(call(headers))["code"] == code
        _executes(api_client.patch(path, {"name": f"N-{name}"}, headers=headers))
    assert not IdempotencyRecord.objects.filter(status_code__gte=400).exists()


def test_a_429_is_not_stored(db, make_key, make_contact):
    free = services.workspace_create(name="Free", tier="free")
    _, raw = make_key(free)
    client = ApiClient(raw)
    contact = make_contact(ws=free)
    for _ in range(60):
        client.get("/v1/contacts")
    headers = {"Idempotency-Key": "after-429"}
    limited = client.patch(f"/v1/contacts/{contact.id}", {"name": "R"}, headers=headers)
    assert error_of(limited)["code"] == "RATE_LIMITED"
    ratelimit.reset_all()
    _executes(client.patch(f"/v1/contacts/{contact.id}", {"name": "R"}, headers=headers))


def test_a_key_expires_after_24_hours(api_client, make_contact):
    contact = make_contact()
    path = f"/v1/contacts/{contact.id}"
    headers = {"Idempotency-Key": "old-key"}
    _executes(api_client.patch(path, {"add_tags": ["a"]}, headers=headers))
    record = IdempotencyRecord.objects.get(key="old-key")
    assert record.expires_at - record.created_at == dt.timedelta(hours=24)
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        created_at=record.created_at - dt.timedelta(hours=24, seconds=1),
        expires_at=record.expires_at - dt.timedelta(hours=24, seconds=1),
    )
    Contact.objects.filter(pk=contact.pk).update(tags=[])
    again = api_client.patch(path, {"add_tags": ["a"]}, headers=headers)
    _executes(again)
    assert updated_events(contact) == 2


def test_purge_expired_removes_old_records(api_client, make_contact):
    from instantreply.core.maintenance import idempotency_records_purge as purge_expired

    path = f"/v1/contacts/{make_contact().id}"
    api_client.patch(path, {"name": "A"}, headers={"Idempotency-Key": "purge-me"})
    api_client.patch(path, {"name": "B"}, headers={"Idempotency-Key": "keep-me"})
    IdempotencyRecord.objects.filter(key="purge-me").update(
        expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    assert purge_expired() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["keep-me"]


# -- 5xx and concurrency ---------------------------------------------------------


@pytest.mark.urls("tests.platform.boom_urls")
def test_a_5xx_rolls_back_and_releases_the_key(api_client, workspace):
    headers = {"Idempotency-Key": "boom-key"}
    boom_urls.FAIL_NEXT["value"] = True
    failed = api_client.post(CREATE, {"name": "Once"}, headers=headers)
    assert failed.status_code == 500 and error_of(failed)["code"] == "INTERNAL_ERROR"
    assert not Contact.objects.filter(name="Once").exists()  # the handler's row rolled back
    assert not Event.objects.filter(type="contact.created", workspace=workspace).exists()
    assert not IdempotencyRecord.objects.filter(key="boom-key").exists()

    retried = api_client.post(CREATE, {"name": "Once"}, headers=headers)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    replay = api_client.post(CREATE, {"name": "Once"}, headers=headers)
    assert replay["Idempotent-Replayed"] == "true" and replay.content == retried.content
    assert Contact.objects.filter(name="Once").count() == 1
    assert Event.objects.filter(type="contact.created", workspace=workspace).count() == 1


def _hammer(raw_key: str, n: int, body: dict, key: str) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(index):
        try:
            client = ApiClient(raw_key)  # own django.test.Client, own DB connection
            barrier.wait(timeout=30)
            response = client.post(CREATE, body, headers={"Idempotency-Key": key})
            results[index] = (
                response.status_code,
                response.get("Idempotent-Replayed"),
                response.content,
                response.json(),
            )
        except Exception as exc:  # surfaced by the assertions below
            results[index] = ("exception", repr(exc), b"", {})
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres
@pytest.mark.urls("tests.platform.boom_urls")
def test_twenty_concurrent_requests_with_one_key_execute_once(transactional_db):
    workspace = services.workspace_create(name="Race", tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"])
    results = _hammer(raw, 20, {"name": "Racer", "sleep": 0.3}, "race-key")
    statuses = [r[0] for r in results]
    assert all(isinstance(s, int) and s < 500 for s in statuses), results
    executed = [r for r in results if r[0] == 201 and r[1] is None]
    replayed = [r for r in results if r[0] == 201 and r[1] == "true"]
    in_use = [r for r in results if r[0] == 409]
    assert len(executed) == 1, statuses
    assert len(executed) + len(replayed) + len(in_use) == 20, statuses
    for r in in_use:
        assert r[3]["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    for r in replayed:
        assert r[2] == executed[0][2]
    assert Contact.objects.filter(workspace=workspace, name="Racer").count() == 1
    assert Event.objects.filter(workspace=workspace, type="contact.created").count() == 1

    # Afterwards every retry is a byte-identical replay.
    again = ApiClient(raw).post(
        CREATE, {"name": "Racer", "sleep": 0.3}, headers={"Idempotency-Key": "race-key"}
    )
    assert again["Idempotent-Replayed"] == "true" and again.content == executed[0][2]


@pytest.mark.postgres
@pytest.mark.urls("tests.platform.boom_urls")
def test_a_different_body_while_the_first_runs_is_422_and_never_executes(transactional_db):
    workspace = services.workspace_create(name="Race2", tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"])
    outcome = {}

    def slow():
        outcome["first"] = ApiClient(raw).post(
            CREATE, {"name": "Slow", "sleep": 1.0}, headers={"Idempotency-Key": "k2"}
        )
        connection.close()

    thread = threading.Thread(target=slow)
    thread.start()
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait until the first request holds the key
        with connection.cursor() as cursor:
            # This database only: other test runs share the server.
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            if cursor.fetchone()[0] >= 2:
                break
        time.sleep(0.02)
    other = ApiClient(raw).post(CREATE, {"name": "Other"}, headers={"Idempotency-Key": "k2"})
    same = ApiClient(raw).post(
        CREATE, {"name": "Slow", "sleep": 1.0}, headers={"Idempotency-Key": "k2"}
    )
    thread.join(timeout=30)
    assert error_of(other)["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert error_of(same)["code"] == "IDEMPOTENCY_KEY_IN_USE" and same["Retry-After"] == "1"
    assert outcome["first"].status_code == 201
    assert not Contact.objects.filter(name="Other").exists()
    assert Contact.objects.filter(name="Slow").count() == 1


@pytest.mark.urls("tests.platform.boom_urls")
def test_a_stored_result_holding_a_secret_is_encrypted_at_rest(api_client):
    headers = {"Idempotency-Key": "secret-key"}
    first = api_client.post("/v1/test-only/secrets", {}, headers=headers)
    secret = first.json()["data"]["secret"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body, body_encrypted FROM core_idempotencyrecord WHERE key = %s", ["secret-key"]
        )
        body, body_encrypted = cursor.fetchone()
    assert secret not in body and secret not in body_encrypted and body_encrypted
    replay = api_client.post("/v1/test-only/secrets", {}, headers=headers)
    assert replay["Idempotent-Replayed"] == "true" and replay.content == first.content
    log = RequestLog.objects.get(pk=first["X-Request-Id"])
    assert log.response_body["data"]["secret"] == "[REDACTED]"
