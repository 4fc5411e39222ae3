import datetime as dt

import pytest

from conversations.models import Conversation, Message, Trigger
from conversations.services import channel_set_status
from instantreply.core.services import agent_create
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


def _send(client, conversation, body):
    return client.post(f"/v1/conversations/{conversation.id}/messages", body)


def test_reply_is_queued_with_a_trigger(
    api_client, api_key, conversation, django_capture_on_commit_callbacks
):
    response = _send(api_client, conversation, {"text": "Yes, in stock!"})
    assert response.status_code == 202, response.content
    data = response.json()["data"]
    message = Message.objects.get(pk=data["id"])
    trigger = Trigger.objects.get(message=message)
    assert data["status"] == "queued" and data["direction"] == "outbound"
    assert data["trigger_id"] == trigger.id
    assert data["sender"] == {"type": "api", "id": api_key[0].id}
    assert data["text"] == "Yes, in stock!" and data["template"] is None
    assert data["external_id"] is None and data["error"] is None and data["sent_at"] is None
    assert [e["state"] for e in trigger.timeline] == ["queued"]
    conversation.refresh_from_db()
    assert conversation.message_count == 2
    assert conversation.last_message_preview == "Yes, in stock!"
    assert conversation.status == "active"


def test_agent_id_makes_the_agent_the_sender(api_client, workspace, conversation):
    agent = agent_create(workspace=workspace, email="sam@acme.test", name="Sam")
    data = _send(api_client, conversation, {"text": "Hi, Sam here", "agent_id": agent.id}).json()[
        "data"
    ]
    assert data["sender"] == {"type": "agent", "id": agent.id}


def test_unknown_agent_is_422(api_client, conversation):
    error = error_of(_send(api_client, conversation, {"text": "x", "agent_id": "agt_" + "1" * 32}))
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "agent_id"
    assert not Message.objects.filter(direction="outbound").exists()


@pytest.mark.parametrize(
    "fixture,limit",
    [("channel", 4096), ("messenger_channel", 2000), ("ig_channel", 1000)],
)
def test_text_limits_in_unicode_characters(request, api_client, receive, fixture, limit):
    conversation = receive(request.getfixturevalue(fixture), contact=f"limit-{limit}").conversation
    assert _send(api_client, conversation, {"text": "é" * limit}).status_code == 202
    response = _send(api_client, conversation, {"text": "😀" * (limit + 1)})
    error = error_of(response)
    assert response.status_code == 422 and error["details"][0]["field"] == "text"
    assert str(limit) in error["details"][0]["issue"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "text"),
        ({"text": "a", "template": {"id": "tpl_" + "0" * 32, "variables": []}}, "template"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 5}, "text"),
        ({"text": "hi", "colour": "red"}, "colour"),
        ({"text": "hi", "tag": "HUMAN_AGENT"}, "tag"),
        ({"text": "hi", "tag": "human_agent"}, "tag"),  # WhatsApp has no tags
    ],
)
def test_body_validation(api_client, conversation, body, field):
    response = _send(api_client, conversation, body)
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR", error
    assert field in [d["field"] for d in error["details"]]
    assert not Message.objects.filter(direction="outbound").exists()


def test_unknown_template_is_422_naming_the_template_field(api_client, conversation):
    response = _send(
        api_client, conversation, {"template": {"id": "tpl_" + "0" * 32, "variables": ["Ana"]}}
    )
    error = error_of(response)
    assert response.status_code == 422
    assert error["details"][0]["field"].startswith("template")
    assert not Message.objects.filter(direction="outbound").exists()


def test_template_on_instagram_is_422(api_client, ig_channel, receive):
    conversation = receive(ig_channel).conversation
    error = error_of(_send(api_client, conversation, {"template": {"id": "tpl_" + "0" * 32}}))
    assert error["details"][0]["field"] == "template" and "WhatsApp" in error["message"]


# -- windows ------------------------------------------------------------------------------
def test_whatsapp_outside_24h(api_client, channel, receive):
    conversation = receive(channel, ago=dt.timedelta(hours=24, minutes=1)).conversation
    response = _send(api_client, conversation, {"text": "Still there?"})
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "OUTSIDE_MESSAGING_WINDOW"
    assert "template" in error["message"]
    assert not Message.objects.filter(direction="outbound").exists()


def test_whatsapp_inside_24h(api_client, channel, receive):
    conversation = receive(channel, ago=dt.timedelta(hours=23, minutes=59)).conversation
    assert _send(api_client, conversation, {"text": "Still there?"}).status_code == 202


@pytest.mark.parametrize("fixture", ["ig_channel", "messenger_channel"])
def test_human_agent_extends_instagram_and_messenger_to_7_days(
    request, api_client, receive, fixture
):
    conversation = receive(request.getfixturevalue(fixture), ago=dt.timedelta(days=3)).conversation
    error = error_of(_send(api_client, conversation, {"text": "Following up"}))
    assert error["code"] == "OUTSIDE_MESSAGING_WINDOW"
    assert '"tag": "human_agent"' in error["message"]
    response = _send(api_client, conversation, {"text": "Following up", "tag": "human_agent"})
    assert response.status_code == 202
    assert Message.objects.get(pk=response.json()["data"]["id"]).tag == "human_agent"


def test_after_7_days_even_human_agent_is_refused(api_client, ig_channel, receive):
    conversation = receive(ig_channel, ago=dt.timedelta(days=7, minutes=1)).conversation
    error = error_of(_send(api_client, conversation, {"text": "Hello?", "tag": "human_agent"}))
    assert error["code"] == "OUTSIDE_MESSAGING_WINDOW"
    assert "writes again" in error["message"]


def test_no_inbound_at_all_is_outside_the_window(api_client, channel, conversation):
    Conversation.objects.filter(pk=conversation.pk).update(last_inbound_at=None)
    assert (
        error_of(_send(api_client, conversation, {"text": "Hi"}))["code"]
        == "OUTSIDE_MESSAGING_WINDOW"
    )


# -- channel state --------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["disconnected", "error"])
def test_unavailable_channel_is_409_and_writes_nothing(api_client, channel, conversation, status):
    channel_set_status(
        channel=channel, status=status, error_code="190" if status == "error" else None
    )
    response = _send(api_client, conversation, {"text": "Hi"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "CHANNEL_UNAVAILABLE"
    assert not Message.objects.filter(direction="outbound").exists()
    assert not Trigger.objects.exists()


def test_validation_takes_precedence_over_channel_state(api_client, channel, conversation):
    channel_set_status(channel=channel, status="disconnected")
    assert _send(api_client, conversation, {"text": ""}).status_code == 422


# -- scopes, tenancy, test mode ---------------------------------------------------------------
def test_send_needs_messages_write(client_with_scopes, conversation):
    assert (
        client_with_scopes("conversations:write")
        .post(f"/v1/conversations/{conversation.id}/messages", {"text": "x"})
        .status_code
        == 403
    )
    assert (
        client_with_scopes("messages:write")
        .post(f"/v1/conversations/{conversation.id}/messages", {"text": "x"})
        .status_code
        == 202
    )


def test_other_workspace_404(other_client, conversation):
    message = conversation.messages.get()
    assert _send(other_client, conversation, {"text": "x"}).status_code == 404
    assert error_of(other_client.get(f"/v1/messages/{message.id}"))["code"] == "RESOURCE_NOT_FOUND"


def test_test_mode_separation(api_client, test_client, channel, receive):
    live = receive(channel, contact="5001")
    test = receive(channel, contact="5001", livemode=False)
    assert api_client.get(f"/v1/messages/{test.id}").status_code == 404
    assert test_client.get(f"/v1/messages/{live.id}").status_code == 404
    assert _send(test_client, live.conversation, {"text": "x"}).status_code == 404
    response = _send(
        test_client, test.conversation, {"text": "x", "simulate": {"error_code": "131047"}}
    )
    assert response.status_code == 202
    message = Message.objects.get(pk=response.json()["data"]["id"])
    assert message.livemode is False and message.simulate_error_code == "131047"


def test_simulate_is_for_test_keys_and_known_codes(api_client, test_client, channel, receive):
    live = receive(channel, contact="6001")
    error = error_of(
        _send(api_client, live.conversation, {"text": "x", "simulate": {"error_code": "131047"}})
    )
    assert error["details"][0]["field"] == "simulate"
    test = receive(channel, contact="6001", livemode=False)
    error = error_of(
        _send(test_client, test.conversation, {"text": "x", "simulate": {"error_code": "999999"}})
    )
    assert error["details"][0]["field"] == "simulate.error_code"


# -- reading messages ------------------------------------------------------------------------
def test_get_message(api_client, conversation):
    inbound = conversation.messages.get()
    data = api_client.get(f"/v1/messages/{inbound.id}").json()["data"]
    assert set(data) == {
        "id",
        "conversation_id",
        "direction",
        "type",
        "text",
        "template",
        "status",
        "sender",
        "trigger_id",
        "external_id",
        "error",
        "sent_at",
        "livemode",
        "created_at",
        "status_updated_at",
    }
    assert data["direction"] == "inbound" and data["status"] == "received"
    assert data["sender"] == {"type": "contact", "id": conversation.contact_id}
    assert data["trigger_id"] is None and data["sent_at"] is not None


def test_list_messages_with_filters(api_client, conversation):
    _send(api_client, conversation, {"text": "one"})
    _send(api_client, conversation, {"text": "two"})
    url = f"/v1/conversations/{conversation.id}/messages"
    rows = api_client.get(url, {"order": "asc"}).json()["data"]
    assert [r["direction"] for r in rows] == ["inbound", "outbound", "outbound"]
    assert [
        r["text"]
        for r in api_client.get(url, {"direction": "outbound", "order": "asc"}).json()["data"]
    ] == ["one", "two"]
    assert len(api_client.get(url, {"status": "received"}).json()["data"]) == 1
    assert len(api_client.get(url, {"status": "QUEUED"}).json()["data"]) == 2
    for params, field in (({"direction": "sideways"}, "direction"), ({"status": "lost"}, "status")):
        error = error_of(api_client.get(url, params))
        assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == field


def test_message_list_query_count(api_client, conversation, django_assert_max_num_queries):
    for i in range(60):
        _send(api_client, conversation, {"text": f"m{i}"})
    with django_assert_max_num_queries(12):
        rows = api_client.get(
            f"/v1/conversations/{conversation.id}/messages", {"limit": 50}
        ).json()["data"]
    assert len(rows) == 50 and all(r["trigger_id"] for r in rows)
