"""§3/§9, issue 10 item 2: a webhook endpoint records the read scopes of the key
that registered it and receives only the events those scopes may read. "*" means
every such type; naming another is 422; GET shows the effective types."""

import pytest

from tests.helpers import error_of
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.selectors import LISTED_EVENT_TYPES

pytestmark = pytest.mark.django_db

CONTACT_TYPES = ["contact.created", "contact.updated"]


def register(client, url, events):
    return client.post("/v1/webhooks", {"url": url, "events": events})


def test_a_webhooks_only_key_subscribing_to_everything_receives_no_domain_event(
    client_with_scopes, receiver
):
    response = register(client_with_scopes("webhooks:write"), receiver.url + "/a", ["*"])
    assert response.status_code == 201
    assert response.json()["data"]["events"] == []


def test_star_means_every_type_the_registering_key_may_read(client_with_scopes, receiver):
    client = client_with_scopes("webhooks:write", "contacts:read")
    created = register(client, receiver.url + "/a", ["*"]).json()["data"]
    assert created["events"] == CONTACT_TYPES
    assert client.get(f"/v1/webhooks/{created['id']}").json()["data"]["events"] == CONTACT_TYPES


def test_naming_a_type_the_key_may_not_read_is_422_on_events(client_with_scopes, receiver):
    client = client_with_scopes("webhooks:write")
    response = register(client, receiver.url + "/a", ["message.received", "contact.created"])
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [
        {"field": "events", "issue": "'message.received' needs the scope 'conversations:read'"},
        {"field": "events", "issue": "'contact.created' needs the scope 'contacts:read'"},
    ]
    assert not WebhookEndpoint.objects.exists()


def test_a_write_scope_includes_the_read_of_its_resource(client_with_scopes, receiver):
    client = client_with_scopes("webhooks:write", "conversations:write")
    response = register(client, receiver.url + "/a", ["message.received"])
    assert response.status_code == 201
    assert response.json()["data"]["events"] == ["message.received"]


def test_fan_out_never_delivers_what_the_endpoint_may_not_read(
    client_with_scopes, test_client, channel, receiver, django_capture_on_commit_callbacks
):
    narrow = register(
        client_with_scopes("webhooks:write", "contacts:read", mode="test"),
        receiver.url + "/narrow",
        ["*"],
    ).json()["data"]
    full = register(test_client, receiver.url + "/full", ["*"]).json()["data"]
    with django_capture_on_commit_callbacks(execute=True):
        response = test_client.post(
            "/v1/developer/simulate/inbound",
            {"channel_id": channel.id, "from": {"external_id": "15550009999"}, "text": "Hi"},
        )
    assert response.status_code == 202

    def received(endpoint_id):
        return sorted(
            WebhookDelivery.objects.filter(endpoint_id=endpoint_id).values_list(
                "event__type", flat=True
            )
        )

    assert received(narrow["id"]) == ["contact.created"]
    assert received(full["id"]) == ["contact.created", "conversation.created", "message.received"]
    paths = sorted(r["path"] for r in receiver.requests)
    assert paths.count("/hooks/narrow") == 1 and paths.count("/hooks/full") == 3


def test_changing_url_or_events_records_the_changing_keys_scopes(
    api_client, client_with_scopes, receiver
):
    # Otherwise a narrow key could point a broad endpoint at its own server.
    endpoint = register(api_client, receiver.url + "/a", ["*"]).json()["data"]
    assert endpoint["events"] == list(LISTED_EVENT_TYPES)
    narrow = client_with_scopes("webhooks:write", "contacts:read")
    described = narrow.patch(f"/v1/webhooks/{endpoint['id']}", {"description": "CRM"})
    assert described.json()["data"]["events"] == list(LISTED_EVENT_TYPES)
    moved = narrow.patch(f"/v1/webhooks/{endpoint['id']}", {"url": receiver.url + "/mine"})
    assert moved.status_code == 200
    assert moved.json()["data"]["events"] == CONTACT_TYPES
    refused = narrow.patch(f"/v1/webhooks/{endpoint['id']}", {"events": ["message.sent"]})
    assert refused.status_code == 422
    assert error_of(refused)["details"] == [
        {"field": "events", "issue": "'message.sent' needs the scope 'conversations:read'"}
    ]


def test_a_resend_of_an_event_the_endpoint_may_not_read_is_422(
    api_client, client_with_scopes, receiver, fire
):
    endpoint = register(
        client_with_scopes("webhooks:write", "contacts:read"), receiver.url + "/a", ["*"]
    ).json()["data"]
    event = fire(type="message.received", data={"id": "msg_x", "text": "secret plans"})
    response = api_client.post(f"/v1/webhooks/{endpoint['id']}/deliveries", {"event_id": event.id})
    assert response.status_code == 422
    assert error_of(response)["details"] == [
        {"field": "event_id", "issue": "message.received needs the scope 'conversations:read'"}
    ]
    assert not WebhookDelivery.objects.filter(endpoint_id=endpoint["id"]).exists()
