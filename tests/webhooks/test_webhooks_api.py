import base64

import pytest

from instantreply.core.models import IdempotencyRecord
from tests.helpers import error_of
from webhooks import services
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from webhooks.selectors import LISTED_EVENT_TYPES

URL = "https://hooks.example.com/in"


def _create(client, **body):
    return client.post("/v1/webhooks", {"url": URL, "events": ["*"], **body})


def test_creation_returns_201_with_the_secret_once(api_client):
    response = _create(api_client, events=["contact.created", "message.sent"], description="CRM")
    assert response.status_code == 201
    data = response.json()["data"]
    assert set(data) == {
        "id",
        "url",
        "events",
        "description",
        "status",
        "livemode",
        "created_at",
        "last_success_at",
        "last_failure_at",
        "secret",
    }
    assert data["id"].startswith("wh_") and data["status"] == "enabled"
    assert data["events"] == ["contact.created", "message.sent"] and data["livemode"] is True
    assert data["description"] == "CRM" and data["last_success_at"] is None
    assert data["secret"].startswith("whsec_")
    assert len(base64.b64decode(data["secret"].removeprefix("whsec_"))) >= 24
    stored = WebhookEndpoint.objects.get(pk=data["id"])
    assert stored.secret == data["secret"]


def test_the_secret_is_encrypted_at_rest(api_client):
    from django.db import connection

    secret = _create(api_client).json()["data"]["secret"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_webhookendpoint")
        (raw,) = cursor.fetchone()
    assert secret not in raw and secret.removeprefix("whsec_") not in raw


def test_the_secret_never_appears_in_list_or_get(api_client):
    created = _create(api_client).json()["data"]
    listed = api_client.get("/v1/webhooks")
    fetched = api_client.get(f"/v1/webhooks/{created['id']}")
    for response in (listed, fetched):
        assert response.status_code == 200
        assert created["secret"] not in response.content.decode()
    assert "secret" not in fetched.json()["data"]
    assert "secret" not in listed.json()["data"][0]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": URL, "events": ["contact.deleted"]}, "events"),
        ({"url": URL, "events": []}, "events"),
        ({"url": URL, "events": "contact.created"}, "events"),
        ({"url": URL}, "events"),
        ({"events": ["*"]}, "url"),
        ({"url": URL, "events": ["*"], "secret": "whsec_mine"}, "secret"),
    ],
)
def test_invalid_bodies_get_422_and_create_nothing(api_client, body, field):
    response = api_client.post("/v1/webhooks", body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert field in {d["field"] for d in error["details"]}
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_are_named_in_the_error(api_client):
    error = error_of(api_client.post("/v1/webhooks", {"url": URL, "events": ["contact.deleted"]}))
    assert "contact.deleted" in error["message"]


def test_wildcard_and_duplicates_are_normalised(api_client):
    # A "*" key's "*" shows every type it receives: all of them.
    everything = list(LISTED_EVENT_TYPES)
    assert _create(api_client, events=["*", "contact.created"]).json()["data"]["events"] == (
        everything
    )
    data = _create(api_client, events=["message.sent", "message.sent"]).json()["data"]
    assert data["events"] == ["message.sent"]


@pytest.mark.parametrize(
    "url, issue",
    [
        ("ftp://hooks.example.com/x", "absolute http(s) URL"),
        ("hooks.example.com/x", "absolute http(s) URL"),
        ("https://user:pw@hooks.example.com/x", "credentials"),
        ("https://hooks.example.com/" + "a" * 2100, "2048"),
    ],
)
def test_malformed_urls_get_invalid_webhook_url(api_client, url, issue):
    response = _create(api_client, url=url)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "INVALID_WEBHOOK_URL" and issue in error["message"]


def test_the_tier_limit_counts_live_endpoints_that_are_not_revoked(workspace, api_client):
    workspace.tier = "free"
    workspace.save()
    first = _create(api_client).json()["data"]
    assert _create(api_client).status_code == 201
    response = _create(api_client)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "LIMIT_EXCEEDED" and "2 webhook endpoints" in error["message"]
    assert api_client.delete(f"/v1/webhooks/{first['id']}").status_code == 200
    assert _create(api_client).status_code == 201


def test_idempotent_creation_replays_the_same_secret(api_client):
    headers = {"Idempotency-Key": "create-hook-1"}
    first = api_client.post("/v1/webhooks", {"url": URL, "events": ["*"]}, headers=headers)
    again = api_client.post("/v1/webhooks", {"url": URL, "events": ["*"]}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert WebhookEndpoint.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    secret = first.json()["data"]["secret"]
    assert record.body == "" and secret in record.body_encrypted


def test_retrieve_update_and_revoke(api_client):
    created = _create(api_client).json()["data"]
    path = f"/v1/webhooks/{created['id']}"
    updated = api_client.patch(
        path, {"url": URL + "/v2", "events": ["message.read"], "description": "new"}
    )
    assert updated.status_code == 200
    data = updated.json()["data"]
    assert (data["url"], data["events"], data["description"]) == (
        URL + "/v2",
        ["message.read"],
        "new",
    )
    assert api_client.get(path).json()["data"]["url"] == URL + "/v2"
    revoked = api_client.delete(path)
    assert revoked.status_code == 200 and revoked.json()["data"]["status"] == "revoked"
    assert api_client.get(path).json()["data"]["status"] == "revoked"
    assert api_client.delete(path).status_code == 200
    assert api_client.get("/v1/webhooks").json()["data"] == []
    for response in (
        api_client.patch(path, {"description": "x"}),
        api_client.post(f"{path}/rotate_secret"),
        api_client.post(f"{path}/test"),
    ):
        assert response.status_code == 422
        assert "revoked" in error_of(response)["message"]


def test_patch_rejects_unknown_fields_and_bad_status(api_client):
    path = f"/v1/webhooks/{_create(api_client).json()['data']['id']}"
    for body in ({"secret": "x"}, {"status": "revoked"}, {"livemode": False}, {"events": ["nope"]}):
        response = api_client.patch(path, body)
        assert response.status_code == 422, body
        assert error_of(response)["code"] == "VALIDATION_ERROR"


def test_patch_status_enabled_re_enables_a_disabled_endpoint(api_client):
    created = _create(api_client).json()["data"]
    services.disable_endpoint(endpoint_id=created["id"], reason="receiver answered 410 Gone")
    path = f"/v1/webhooks/{created['id']}"
    assert api_client.get(path).json()["data"]["status"] == "disabled"
    response = api_client.patch(path, {"status": "enabled"})
    assert response.status_code == 200 and response.json()["data"]["status"] == "enabled"
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert endpoint.failing_since is None and endpoint.disabled_reason is None


def test_rotate_secret_returns_a_new_secret_marked_for_encrypted_replay(api_client):
    created = _create(api_client).json()["data"]
    response = api_client.post(
        f"/v1/webhooks/{created['id']}/rotate_secret", headers={"Idempotency-Key": "rot-1"}
    )
    assert response.status_code == 200
    secret = response.json()["data"]["secret"]
    assert secret.startswith("whsec_") and secret != created["secret"]
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert endpoint.secret == secret and endpoint.previous_secret == created["secret"]
    assert IdempotencyRecord.objects.get(key="rot-1").body == ""


def test_scopes(client_with_scopes):
    reader = client_with_scopes("webhooks:read")
    assert reader.get("/v1/webhooks").status_code == 200
    assert error_of(_create(reader))["code"] == "INSUFFICIENT_SCOPE"
    assert client_with_scopes("contacts:read").get("/v1/webhooks").status_code == 403
    writer = client_with_scopes("webhooks:write")
    assert _create(writer).status_code == 201
    assert writer.get("/v1/webhooks").status_code == 200


def test_other_workspace_gets_404_on_every_endpoint_route(api_client, other_client):
    hook = _create(api_client).json()["data"]["id"]
    event = Event.objects.create(
        workspace_id=WebhookEndpoint.objects.get(pk=hook).workspace_id,
        type="contact.created",
        data={},
        object_id="cont_x",
    )
    base = f"/v1/webhooks/{hook}"
    for response in (
        other_client.get(base),
        other_client.patch(base, {"description": "x"}),
        other_client.delete(base),
        other_client.post(f"{base}/rotate_secret"),
        other_client.post(f"{base}/test"),
        other_client.get(f"{base}/deliveries"),
        other_client.post(f"{base}/deliveries", {"event_id": event.id}),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"
    assert other_client.get("/v1/webhooks").json()["data"] == []
    assert WebhookEndpoint.objects.get(pk=hook).status == "enabled"


def test_test_mode_keys_see_only_test_endpoints(api_client, test_client):
    live = _create(api_client).json()["data"]
    test = _create(test_client).json()["data"]
    assert test["livemode"] is False
    assert [e["id"] for e in test_client.get("/v1/webhooks").json()["data"]] == [test["id"]]
    assert test_client.get(f"/v1/webhooks/{live['id']}").status_code == 404
    assert api_client.get(f"/v1/webhooks/{test['id']}").status_code == 404


def test_list_paginates_and_filters_by_status(workspace, api_client, make_endpoint):
    hooks = [make_endpoint() for _ in range(5)]
    services.disable_endpoint(endpoint_id=hooks[0].id, reason="x")
    first = api_client.get("/v1/webhooks", {"limit": 2, "order": "asc"}).json()
    assert [e["id"] for e in first["data"]] == [h.id for h in hooks[:2]]
    assert first["pagination"]["has_more"] is True
    rest = api_client.get(
        "/v1/webhooks", {"limit": 10, "order": "asc", "cursor": first["pagination"]["next_cursor"]}
    ).json()
    assert [e["id"] for e in rest["data"]] == [h.id for h in hooks[2:]]
    disabled = api_client.get("/v1/webhooks", {"status": "DISABLED"}).json()["data"]
    assert [e["id"] for e in disabled] == [hooks[0].id]
    assert api_client.get("/v1/webhooks", {"status": "revoked"}).status_code == 422


def test_list_query_count_is_bounded(
    workspace, api_client, make_endpoint, django_assert_max_num_queries
):
    workspace.tier = "scale"
    workspace.save()
    for _ in range(100):
        make_endpoint()
    with django_assert_max_num_queries(8):
        response = api_client.get("/v1/webhooks", {"limit": 100})
    assert len(response.json()["data"]) == 100


def test_test_event_is_sent_to_this_endpoint_only_even_when_disabled(
    api_client, receiver, make_endpoint, django_capture_on_commit_callbacks
):
    target = make_endpoint(url=receiver.url, events=["message.sent"])
    make_endpoint(url=receiver.url + "/bystander")
    services.webhook_endpoint_update(endpoint=target, changes={"status": "disabled"})
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/v1/webhooks/{target.id}/test")
    assert response.status_code == 202
    data = response.json()["data"]
    assert data["status"] == "pending" and data["event_type"] == "webhook.test"
    (body,) = receiver.bodies()
    assert receiver.requests[0]["path"] == "/hooks"
    assert body["type"] == "webhook.test" and body["data"] == {"endpoint_id": target.id}
    assert WebhookDelivery.objects.get(pk=data["id"]).status == "succeeded"
    assert api_client.get("/v1/events").json()["data"] == []


def test_deliveries_log_and_resend(
    api_client, receiver, make_endpoint, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.respond((500, {}, b"x" * 5000, 0))
    event = fire()
    log = api_client.get(f"/v1/webhooks/{endpoint.id}/deliveries", {"order": "asc"}).json()
    assert [(d["attempt"], d["status"]) for d in log["data"]] == [(1, "failed"), (2, "pending")]
    first = log["data"][0]
    assert set(first) == {
        "id",
        "event_id",
        "event_type",
        "attempt",
        "status",
        "response_status",
        "duration_ms",
        "response_body",
        "error",
        "created_at",
        "next_attempt_at",
    }
    assert first["event_id"] == event.id and first["event_type"] == "contact.created"
    assert first["response_status"] == 500 and len(first["response_body"]) == 4096
    assert first["next_attempt_at"] == log["data"][1]["next_attempt_at"]
    with django_capture_on_commit_callbacks(execute=True):
        resent = api_client.post(f"/v1/webhooks/{endpoint.id}/deliveries", {"event_id": event.id})
    assert resent.status_code == 202
    # The pending retry was moved forward and sent, not doubled.
    assert resent.json()["data"]["id"] == log["data"][1]["id"]
    assert len(receiver.requests) == 2
    statuses = api_client.get(
        f"/v1/webhooks/{endpoint.id}/deliveries", {"status": "succeeded"}
    ).json()["data"]
    assert [d["attempt"] for d in statuses] == [2]
    with django_capture_on_commit_callbacks(execute=True):
        again = api_client.post(f"/v1/webhooks/{endpoint.id}/deliveries", {"event_id": event.id})
    assert again.json()["data"]["attempt"] == 3 and len(receiver.requests) == 3
    by_event = api_client.get(
        f"/v1/webhooks/{endpoint.id}/deliveries", {"event_id": event.id}
    ).json()["data"]
    assert len(by_event) == 3
    assert (
        api_client.get(f"/v1/webhooks/{endpoint.id}/deliveries", {"event_id": "cont_1"}).status_code
        == 422
    )


def test_resend_of_an_unknown_or_foreign_event_is_422(api_client, make_endpoint, other_workspace):
    endpoint = make_endpoint()
    foreign = Event.objects.create(
        workspace=other_workspace, type="contact.created", data={}, object_id="cont_x"
    )
    for event_id in (foreign.id, "evt_00000000000000000000000000000000", "nope"):
        response = api_client.post(f"/v1/webhooks/{endpoint.id}/deliveries", {"event_id": event_id})
        assert response.status_code == 422
        assert error_of(response)["details"][0]["field"] == "event_id"
    assert not WebhookDelivery.objects.exists()


def test_deliveries_list_query_count_is_bounded(
    make_endpoint, workspace, api_client, django_assert_max_num_queries
):
    endpoint = make_endpoint()
    events = Event.objects.bulk_create(
        [
            Event(workspace=workspace, type="message.sent", data={}, object_id=f"msg_{i}")
            for i in range(100)
        ]
    )
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event=e, status="succeeded") for e in events]
    )
    with django_assert_max_num_queries(8):
        response = api_client.get(f"/v1/webhooks/{endpoint.id}/deliveries", {"limit": 100})
    assert len(response.json()["data"]) == 100
    assert {d["event_type"] for d in response.json()["data"]} == {"message.sent"}


def test_any_webhooks_key_may_name_webhook_test_among_its_types(client_with_scopes):
    # webhook.test is a contract event type that carries no customer data.
    writer = client_with_scopes("webhooks:write")
    response = writer.post(
        "/v1/webhooks", {"url": "https://hooks.example.com/in", "events": ["webhook.test"]}
    )
    assert response.status_code == 201
    assert response.json()["data"]["events"] == ["webhook.test"]
