import pytest

from conversations.models import Conversation, Message
from tests.helpers import error_of
from webhooks.models import Event

pytestmark = pytest.mark.django_db

URL = "/v1/developer/simulate/inbound"


def test_live_key_is_refused(api_client, channel):
    response = api_client.post(
        URL, {"channel_id": channel.id, "from": {"external_id": "1"}, "text": "hi"}
    )
    assert response.status_code == 403 and error_of(response)["code"] == "TEST_MODE_ONLY"
    assert not Message.objects.exists()


def test_new_customer_starts_a_test_conversation(test_client, api_client, channel):
    response = test_client.post(
        URL,
        {
            "channel_id": channel.id,
            "from": {"external_id": "14155550999", "name": "Tess"},
            "text": "Hello?",
        },
    )
    assert response.status_code == 202, response.content
    data = response.json()["data"]
    assert (
        data["direction"] == "inbound"
        and data["status"] == "received"
        and data["livemode"] is False
    )
    conversation = Conversation.objects.get(pk=data["conversation_id"])
    assert conversation.livemode is False and conversation.contact.name == "Tess"
    assert {"contact.created", "conversation.created", "message.received"} <= set(
        Event.objects.filter(livemode=False).values_list("type", flat=True)
    )
    assert not Event.objects.filter(livemode=True).exists()
    # It opens the window: the test key can reply at once.
    reply = test_client.post(f"/v1/conversations/{conversation.id}/messages", {"text": "Hi Tess"})
    assert reply.status_code == 202
    assert api_client.get(f"/v1/conversations/{conversation.id}").status_code == 404


def test_message_on_an_existing_test_conversation(test_client, channel):
    first = test_client.post(
        URL, {"channel_id": channel.id, "from": {"external_id": "77"}, "text": "one"}
    ).json()["data"]
    second = test_client.post(URL, {"conversation_id": first["conversation_id"], "text": "two"})
    assert second.status_code == 202
    assert second.json()["data"]["conversation_id"] == first["conversation_id"]
    assert Conversation.objects.get(pk=first["conversation_id"]).message_count == 2


@pytest.mark.parametrize(
    "body,field",
    [
        ({"text": "hi"}, "channel_id"),
        (
            {"channel_id": "chan_" + "0" * 32, "from": {"external_id": "1"}, "text": "hi"},
            "channel_id",
        ),
        ({"channel_id": "CHANNEL", "from": {"external_id": "1"}, "text": "hi"}, "channel_id"),
        ({"channel_id": "{channel}", "text": "hi"}, "from"),
        ({"channel_id": "{channel}", "from": {"external_id": "1"}, "text": ""}, "text"),
        ({"channel_id": "{channel}", "from": {"id": "1"}, "text": "hi"}, "from.id"),
        ({"conversation_id": "conv_" + "0" * 32, "text": "hi"}, "conversation_id"),
    ],
)
def test_validation(test_client, channel, body, field):
    if body.get("channel_id") == "{channel}":
        body = {**body, "channel_id": channel.id}
    response = test_client.post(URL, body)
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]]
    assert not Message.objects.exists()


def test_live_conversation_id_is_unknown_to_a_test_key(test_client, conversation):
    error = error_of(test_client.post(URL, {"conversation_id": conversation.id, "text": "hi"}))
    assert error["details"][0]["field"] == "conversation_id"


def test_other_workspaces_channel_is_unknown(other_workspace, make_key, channel):
    from tests.helpers import ApiClient

    client = ApiClient(make_key(other_workspace, mode="test")[1])
    error = error_of(
        client.post(URL, {"channel_id": channel.id, "from": {"external_id": "1"}, "text": "hi"})
    )
    assert error["code"] == "VALIDATION_ERROR"
