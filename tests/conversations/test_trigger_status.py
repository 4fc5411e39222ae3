import datetime as dt

import pytest

from conversations.services import (
    message_claim_for_sending,
    message_mark_failed,
    message_mark_sent,
    message_status_apply,
)
from instantreply.core.timeutil import now
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(api_client, conversation):
    response = api_client.post(
        f"/v1/conversations/{conversation.id}/messages", {"text": "On its way"}
    )
    return response.json()["data"]


def _status(client, any_id):
    return client.get(f"/v1/trigger/status/{any_id}")


def test_queued_trigger_object(api_client, queued, conversation, channel):
    data = _status(api_client, queued["trigger_id"]).json()["data"]
    assert data == {
        "id": queued["trigger_id"],
        "message_id": queued["id"],
        "conversation_id": conversation.id,
        "contact_id": conversation.contact_id,
        "channel_id": channel.id,
        "platform": "whatsapp",
        "template_id": None,
        "metadata": {},
        "state": "queued",
        "summary": data["summary"],
        "fault": "none",
        "next_step": None,
        "retryable": False,
        "error": None,
        "timeline": [{"state": "queued", "at": queued["created_at"], "detail": None}],
        "status_url": f"http://testserver/v1/trigger/status/{queued['trigger_id']}",
        "livemode": True,
        "created_at": queued["created_at"],
    }
    assert "Queued" in data["summary"]


def test_outbound_message_id_is_accepted_inbound_is_404(api_client, queued, conversation):
    assert _status(api_client, queued["id"]).json()["data"]["id"] == queued["trigger_id"]
    inbound = conversation.messages.get(direction="inbound")
    assert error_of(_status(api_client, inbound.id))["code"] == "RESOURCE_NOT_FOUND"
    assert _status(api_client, "conv_" + "0" * 32).status_code == 404
    assert _status(api_client, "nonsense").status_code == 404


def test_131047_is_a_business_fault_with_a_next_step(api_client, queued, channel):
    message = message_claim_for_sending(message_id=queued["id"])
    message_mark_sent(message=message, external_id="wamid.X", at=now())
    message_status_apply(
        channel=channel,
        external_id="wamid.X",
        status="failed",
        at=now() + dt.timedelta(seconds=1),
        error={
            "code": "131047",
            "title": "Re-engagement message",
            "message": "Message failed to send because more than 24 hours have passed",
        },
    )
    data = _status(api_client, queued["trigger_id"]).json()["data"]
    assert data["state"] == "failed"
    assert data["fault"] == "business"
    assert data["retryable"] is False
    assert "template" in data["next_step"]
    assert "131047" in data["summary"]
    assert data["error"]["code"] == "131047" and data["error"]["fault"] == "business"
    assert [e["state"] for e in data["timeline"]] == ["queued", "sending", "sent", "failed"]
    assert data["timeline"][-1]["detail"].startswith("131047")


def test_timeout_after_send_is_unknown_fault(api_client, queued):
    message = message_claim_for_sending(message_id=queued["id"])
    message_mark_failed(
        message=message,
        code="UNKNOWN_OUTCOME",
        source="platform",
        detail="Read timed out after 10 s",
    )
    data = _status(api_client, queued["id"]).json()["data"]
    assert data["fault"] == "unknown" and data["retryable"] is False
    assert data["next_step"] and data["error"]["source"] == "platform"


def test_meta_server_error_is_meta_fault(api_client, queued):
    message = message_claim_for_sending(message_id=queued["id"])
    message_mark_failed(message=message, code="META_UNREACHABLE", source="platform")
    assert _status(api_client, queued["id"]).json()["data"]["fault"] == "meta"


def test_delivered_and_read_summaries(api_client, queued, channel):
    message = message_claim_for_sending(message_id=queued["id"])
    message_mark_sent(message=message, external_id="wamid.Y", at=now())
    assert _status(api_client, queued["id"]).json()["data"]["state"] == "sent"
    message_status_apply(channel=channel, external_id="wamid.Y", status="read", at=now())
    data = _status(api_client, queued["id"]).json()["data"]
    assert data["state"] == "read" and data["fault"] == "none" and "Read" in data["summary"]


def test_scope_is_conversations_read_or_messages_write(client_with_scopes, queued):
    path = f"/v1/trigger/status/{queued['trigger_id']}"
    assert client_with_scopes("conversations:read").get(path).status_code == 200
    assert client_with_scopes("messages:write").get(path).status_code == 200
    assert client_with_scopes("contacts:read").get(path).status_code == 403


def test_other_workspace_and_other_mode_get_404(other_client, test_client, queued):
    assert _status(other_client, queued["trigger_id"]).status_code == 404
    assert _status(test_client, queued["trigger_id"]).status_code == 404
