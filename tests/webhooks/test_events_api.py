import datetime as dt

from instantreply.core.timeutil import format_ts, now
from tests.helpers import error_of
from webhooks.events import emit
from webhooks.models import Event


def _event(workspace, type="contact.created", livemode=True, created_at=None, **kwargs):
    event = emit(
        workspace_id=workspace.id,
        livemode=livemode,
        type=type,
        data={"id": "obj_1"},
        object_id="obj_1",
        **kwargs,
    )
    if created_at is not None:
        Event.objects.filter(pk=event.pk).update(created_at=created_at)
        event.created_at = created_at
    return event


def test_events_list_shows_the_payloads_newest_first(workspace, api_client):
    first = _event(workspace, "contact.created")
    second = _event(workspace, "contact.updated", previous_attributes={"name": "Ana"})
    response = api_client.get("/v1/events")
    assert response.status_code == 200
    data = response.json()["data"]
    assert [e["id"] for e in data] == [second.id, first.id]
    assert data[1] == {
        "id": first.id,
        "type": "contact.created",
        "created_at": format_ts(first.created_at),
        "workspace_id": workspace.id,
        "livemode": True,
        "data": {"id": "obj_1"},
    }
    assert data[0]["previous_attributes"] == {"name": "Ana"}


def test_events_are_filtered_by_what_the_key_may_read(workspace, client_with_scopes):
    for type in (
        "contact.created",
        "message.sent",
        "conversation.created",
        "template.status_updated",
        "channel.status_updated",
    ):
        _event(workspace, type)

    def types(*scopes):
        response = client_with_scopes(*scopes).get("/v1/events")
        assert response.status_code == 200
        return sorted(e["type"] for e in response.json()["data"])

    assert types("webhooks:read") == []
    assert types("webhooks:read", "contacts:read") == ["contact.created"]
    assert types("webhooks:read", "conversations:write") == ["conversation.created", "message.sent"]
    assert types("webhooks:read", "templates:read", "channels:read") == [
        "channel.status_updated",
        "template.status_updated",
    ]
    assert (
        error_of(client_with_scopes("contacts:read").get("/v1/events"))["code"]
        == "INSUFFICIENT_SCOPE"
    )


def test_events_filters_type_and_created_after(workspace, api_client):
    old = _event(workspace, "contact.created", created_at=now() - dt.timedelta(hours=2))
    recent = _event(workspace, "contact.created")
    _event(workspace, "message.sent")
    by_type = api_client.get("/v1/events", {"type": "CONTACT.CREATED"}).json()["data"]
    assert {e["id"] for e in by_type} == {old.id, recent.id}
    after = api_client.get(
        "/v1/events", {"created_after": format_ts(recent.created_at), "type": "contact.created"}
    ).json()["data"]
    assert [e["id"] for e in after] == [recent.id]
    assert api_client.get("/v1/events", {"type": "contact.deleted"}).status_code == 422
    assert api_client.get("/v1/events", {"type": "webhook.test"}).status_code == 422
    assert api_client.get("/v1/events", {"created_after": "yesterday"}).status_code == 422


def test_events_older_than_30_days_and_test_events_are_not_listed(workspace, api_client):
    expired = _event(workspace, created_at=now() - dt.timedelta(days=31))
    Event.objects.create(
        workspace=workspace, type="webhook.test", data={"endpoint_id": "wh_x"}, object_id="wh_x"
    )
    assert api_client.get("/v1/events").json()["data"] == []
    assert api_client.get(f"/v1/events/{expired.id}").status_code == 404


def test_event_retrieve_and_404s(
    workspace, other_workspace, api_client, other_client, test_client, client_with_scopes
):
    event = _event(workspace, "message.sent")
    response = api_client.get(f"/v1/events/{event.id}")
    assert response.status_code == 200 and response.json()["data"]["id"] == event.id
    for client in (other_client, test_client, client_with_scopes("webhooks:read", "contacts:read")):
        missing = client.get(f"/v1/events/{event.id}")
        assert missing.status_code == 404
        assert error_of(missing)["code"] == "RESOURCE_NOT_FOUND"


def test_test_mode_events_are_separate(workspace, api_client, test_client):
    live = _event(workspace, livemode=True)
    test = _event(workspace, livemode=False)
    assert [e["id"] for e in api_client.get("/v1/events").json()["data"]] == [live.id]
    assert [e["id"] for e in test_client.get("/v1/events").json()["data"]] == [test.id]


def test_events_paginate_with_a_bounded_query_count(
    workspace, api_client, django_assert_max_num_queries
):
    Event.objects.bulk_create(
        [
            Event(workspace=workspace, type="contact.created", data={"n": i}, object_id=f"c{i}")
            for i in range(150)
        ]
    )
    with django_assert_max_num_queries(8):
        page = api_client.get("/v1/events", {"limit": 100}).json()
    assert len(page["data"]) == 100 and page["pagination"]["has_more"] is True
    rest = api_client.get(
        "/v1/events", {"limit": 100, "cursor": page["pagination"]["next_cursor"]}
    ).json()
    assert len(rest["data"]) == 50 and rest["pagination"]["next_cursor"] is None
    assert not {e["id"] for e in page["data"]} & {e["id"] for e in rest["data"]}
