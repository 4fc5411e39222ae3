import datetime as dt

import pytest

from conversations.models import Conversation
from instantreply.core.services import agent_create
from instantreply.core.timeutil import format_ts, now
from tests.helpers import error_of
from webhooks.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(workspace):
    return agent_create(workspace=workspace, email="sam@acme.test", name="Sam")


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


# -- agents ---------------------------------------------------------------------------
def test_agents_list_and_retrieve(api_client, agent, other_workspace):
    agent_create(workspace=other_workspace, email="x@other.test", name="X")
    response = api_client.get("/v1/agents")
    assert response.json() == {
        "data": [
            {
                "id": agent.id,
                "name": "Sam",
                "email": "sam@acme.test",
                "created_at": format_ts(agent.created_at),
            }
        ],
        "pagination": {"has_more": False, "next_cursor": None},
    }
    assert api_client.get(f"/v1/agents/{agent.id}").json()["data"]["id"] == agent.id


def test_agents_are_shared_by_test_keys_and_hidden_from_other_workspaces(
    test_client, other_client, agent
):
    assert test_client.get(f"/v1/agents/{agent.id}").status_code == 200
    assert error_of(other_client.get(f"/v1/agents/{agent.id}"))["code"] == "RESOURCE_NOT_FOUND"


def test_agents_need_conversations_read(client_with_scopes, agent):
    assert client_with_scopes("contacts:read").get("/v1/agents").status_code == 403
    assert client_with_scopes("conversations:write").get("/v1/agents").status_code == 200


def test_agents_list_query_count(api_client, workspace, django_assert_max_num_queries):
    for i in range(60):
        agent_create(workspace=workspace, email=f"a{i}@acme.test", name=f"A{i}")
    with django_assert_max_num_queries(12):
        assert len(_ids(api_client.get("/v1/agents", {"limit": 50}))) == 50


# -- conversation object ---------------------------------------------------------------
def test_conversation_shape(api_client, channel, receive):
    message = receive(channel, contact="14155550123", text="Hi there", ago=dt.timedelta(hours=2))
    conversation = message.conversation
    data = api_client.get(f"/v1/conversations/{conversation.id}").json()["data"]
    last = conversation.last_inbound_at
    assert data == {
        "id": conversation.id,
        "channel_id": channel.id,
        "platform": "whatsapp",
        "contact": {
            "id": conversation.contact_id,
            "name": "Ana",
            "handle": {"platform": "whatsapp", "external_id": "14155550123", "username": None},
        },
        "status": "active",
        "assignee_id": None,
        "tags": [],
        "last_message_preview": "Hi there",
        "last_message_at": format_ts(last),
        "last_inbound_at": format_ts(last),
        "closed_at": None,
        "messaging_window": {
            "open": True,
            "closes_at": format_ts(last + dt.timedelta(hours=24)),
            "human_agent_closes_at": None,
            "requires_template": False,
        },
        "unread_count": 1,
        "message_count": 1,
        "livemode": True,
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }


def test_messaging_window_of_instagram_after_24h(api_client, ig_channel, receive):
    conversation = receive(ig_channel, ago=dt.timedelta(days=2)).conversation
    window = api_client.get(f"/v1/conversations/{conversation.id}").json()["data"][
        "messaging_window"
    ]
    last = conversation.last_inbound_at
    assert window == {
        "open": False,
        "closes_at": format_ts(last + dt.timedelta(hours=24)),
        "human_agent_closes_at": format_ts(last + dt.timedelta(days=7)),
        "requires_template": False,
    }


def test_whatsapp_window_closed_requires_template(api_client, channel, receive):
    conversation = receive(channel, ago=dt.timedelta(hours=25)).conversation
    window = api_client.get(f"/v1/conversations/{conversation.id}").json()["data"][
        "messaging_window"
    ]
    assert window["open"] is False and window["requires_template"] is True


# -- list and filters -------------------------------------------------------------------
@pytest.fixture
def spread(channel, ig_channel, messenger_channel, receive, agent):
    wa = receive(channel, contact="1001").conversation
    ig = receive(ig_channel, contact="ig-2").conversation
    fb = receive(messenger_channel, contact="psid-3").conversation
    Conversation.objects.filter(pk=ig.pk).update(
        status="closed", assignee=agent, tags=["vip", "billing"]
    )
    Conversation.objects.filter(pk=fb.pk).update(tags=["billing"])
    return {"wa": wa, "ig": ig, "fb": fb}


def test_filters(api_client, spread, agent, channel):
    wa, ig, fb = spread["wa"], spread["ig"], spread["fb"]
    assert set(_ids(api_client.get("/v1/conversations"))) == {wa.id, ig.id, fb.id}
    assert _ids(api_client.get("/v1/conversations", {"status": "closed"})) == [ig.id]
    assert _ids(api_client.get("/v1/conversations", {"status": "CLOSED"})) == [ig.id]
    assert _ids(api_client.get("/v1/conversations", {"platform": "messenger"})) == [fb.id]
    assert _ids(api_client.get("/v1/conversations", {"channel_id": channel.id})) == [wa.id]
    assert _ids(api_client.get("/v1/conversations", {"assignee_id": agent.id})) == [ig.id]
    assert set(_ids(api_client.get("/v1/conversations", {"assignee_id": "none"}))) == {wa.id, fb.id}
    assert set(_ids(api_client.get("/v1/conversations", {"tag": "billing"}))) == {ig.id, fb.id}
    assert _ids(api_client.get("/v1/conversations", {"tag": "VIP"})) == [ig.id]
    assert _ids(api_client.get("/v1/conversations", {"tag": "vi"})) == []
    assert _ids(api_client.get("/v1/conversations", {"contact_id": wa.contact_id})) == [wa.id]
    assert _ids(
        api_client.get("/v1/conversations", {"tag": "billing", "platform": "instagram"})
    ) == [ig.id]
    future = format_ts(now() + dt.timedelta(minutes=1))
    assert _ids(api_client.get("/v1/conversations", {"updated_since": future})) == []
    wa_updated = format_ts(Conversation.objects.get(pk=wa.pk).updated_at)
    assert wa.id in _ids(api_client.get("/v1/conversations", {"updated_since": wa_updated}))


def test_unknown_ids_in_filters_match_nothing(api_client, spread):
    assert _ids(api_client.get("/v1/conversations", {"channel_id": "chan_" + "0" * 32})) == []
    assert _ids(api_client.get("/v1/conversations", {"assignee_id": "agt_" + "0" * 32})) == []


@pytest.mark.parametrize(
    "params,field",
    [
        ({"status": "open"}, "status"),
        ({"channel_id": "conv_123"}, "channel_id"),
        ({"assignee_id": "sam"}, "assignee_id"),
        ({"contact_id": "123"}, "contact_id"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"tag": "has space"}, "tag"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_invalid_filter_values_are_422(api_client, params, field):
    error = error_of(api_client.get("/v1/conversations", params))
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == [field]


def test_invalid_platform(api_client):
    response = api_client.get("/v1/conversations", {"platform": "tiktok"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "INVALID_PLATFORM"


def test_list_query_count_is_bounded(api_client, channel, receive, django_assert_max_num_queries):
    for i in range(60):
        receive(channel, contact=f"2000{i}")
    with django_assert_max_num_queries(12):
        assert len(_ids(api_client.get("/v1/conversations", {"limit": 50}))) == 50


def test_pagination_walk(api_client, channel, receive):
    created = [receive(channel, contact=f"3000{i}").conversation_id for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "order": "asc", **({"cursor": cursor} if cursor else {})}
        body = api_client.get("/v1/conversations", params).json()
        seen += [row["id"] for row in body["data"]]
        cursor = body["pagination"]["next_cursor"]
        if not body["pagination"]["has_more"]:
            break
    assert seen == created


# -- tenancy and test mode -----------------------------------------------------------------
def test_other_workspace_gets_404(other_client, conversation):
    for path in (
        f"/v1/conversations/{conversation.id}",
        f"/v1/conversations/{conversation.id}/messages",
    ):
        assert error_of(other_client.get(path))["code"] == "RESOURCE_NOT_FOUND"
    assert (
        other_client.patch(f"/v1/conversations/{conversation.id}", {"status": "closed"}).status_code
        == 404
    )
    assert other_client.post(f"/v1/conversations/{conversation.id}/read").status_code == 404
    assert other_client.get("/v1/conversations").json()["data"] == []


def test_live_key_cannot_see_test_conversation(api_client, test_client, channel, receive):
    live = receive(channel, contact="4001").conversation
    test = receive(channel, contact="4001", livemode=False).conversation
    assert _ids(api_client.get("/v1/conversations")) == [live.id]
    assert _ids(test_client.get("/v1/conversations")) == [test.id]
    assert api_client.get(f"/v1/conversations/{test.id}").status_code == 404
    assert test_client.get(f"/v1/conversations/{live.id}").status_code == 404
    assert test_client.get(f"/v1/conversations/{test.id}").json()["data"]["livemode"] is False


# -- PATCH ---------------------------------------------------------------------------------
def test_patch_status_assignee_tags_emits_one_update(api_client, conversation, agent):
    Event.objects.all().delete()
    response = api_client.patch(
        f"/v1/conversations/{conversation.id}",
        {"status": "closed", "assignee_id": agent.id, "tags": ["VIP", "vip", "billing"]},
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["status"] == "closed" and data["closed_at"] is not None
    assert data["assignee_id"] == agent.id
    assert data["tags"] == ["vip", "billing"]
    event = Event.objects.get(type="conversation.updated")
    assert event.previous_attributes == {"status": "active", "assignee_id": None, "tags": []}
    assert event.data == data

    response = api_client.patch(
        f"/v1/conversations/{conversation.id}", {"assignee_id": None, "status": "active"}
    )
    data = response.json()["data"]
    assert data["assignee_id"] is None and data["status"] == "active" and data["closed_at"] is None


def test_patch_that_changes_nothing_emits_nothing(api_client, conversation):
    Event.objects.all().delete()
    before = api_client.get(f"/v1/conversations/{conversation.id}").json()["data"]
    response = api_client.patch(
        f"/v1/conversations/{conversation.id}", {"status": "active", "remove_tags": ["nope"]}
    )
    assert response.status_code == 200
    assert response.json()["data"]["updated_at"] == before["updated_at"]
    assert not Event.objects.exists()


def test_add_and_remove_tags(api_client, conversation):
    url = f"/v1/conversations/{conversation.id}"
    api_client.patch(url, {"tags": ["a", "b"]})
    data = api_client.patch(url, {"add_tags": ["c", "A"], "remove_tags": ["b"]}).json()["data"]
    assert data["tags"] == ["a", "c"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"status": "open"}, "status"),
        ({"status": "Closed"}, "status"),
        ({"assignee_id": "agt_" + "0" * 32}, "assignee_id"),
        ({"tags": ["ok"], "add_tags": ["x"]}, "tags"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"add_tags": ["bad tag"]}, "add_tags[0]"),
        ({"unread_count": 0}, "unread_count"),
    ],
)
def test_patch_validation(api_client, conversation, body, field):
    response = api_client.patch(f"/v1/conversations/{conversation.id}", body)
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]]
    assert Conversation.objects.get(pk=conversation.pk).status == "active"


def test_patch_cannot_assign_another_workspaces_agent(api_client, conversation, other_workspace):
    foreign = agent_create(workspace=other_workspace, email="z@other.test", name="Z")
    error = error_of(
        api_client.patch(f"/v1/conversations/{conversation.id}", {"assignee_id": foreign.id})
    )
    assert error["code"] == "VALIDATION_ERROR"


def test_add_tags_beyond_twenty_is_422_and_writes_nothing(api_client, conversation):
    url = f"/v1/conversations/{conversation.id}"
    api_client.patch(url, {"tags": [f"t{i}" for i in range(20)]})
    response = api_client.patch(url, {"add_tags": ["one-more"]})
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert len(Conversation.objects.get(pk=conversation.pk).tags) == 20


def test_patch_needs_conversations_write(client_with_scopes, conversation):
    client = client_with_scopes("conversations:read")
    assert (
        error_of(client.patch(f"/v1/conversations/{conversation.id}", {"status": "closed"}))["code"]
        == "INSUFFICIENT_SCOPE"
    )


# -- read -----------------------------------------------------------------------------------
def test_mark_read(api_client, conversation):
    response = api_client.post(f"/v1/conversations/{conversation.id}/read")
    assert response.status_code == 200
    assert response.json()["data"]["unread_count"] == 0
    assert Conversation.objects.get(pk=conversation.pk).unread_count == 0
