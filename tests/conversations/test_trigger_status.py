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


@pytest.fixture
def meta_reports(django_capture_on_commit_callbacks, channel):
    """Status webhooks POSTed to /meta/webhook, signed as Meta signs them."""
    from django.test import Client

    from tests.meta.payloads import signed, whatsapp_status

    def report(wamid, status, at: dt.datetime):
        body, headers = signed(
            whatsapp_status(channel.external_id, wamid, status, int(at.timestamp()))
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/meta/webhook", data=body, content_type="application/json", headers=headers
            )
        assert response.status_code == 200

    return report


def test_the_timeline_follows_the_state_machine_and_never_goes_back_in_time(
    api_client, queued, meta_reports
):
    # Issue 10 item 11: queued at …:25.697, Meta's whole-second clock says sent at
    # …:25 and (a skewed clock) delivered at …:24; a repeated sent comes last.
    from conversations.models import Trigger
    from instantreply.core.timeutil import format_ts

    second = now().replace(microsecond=0)
    queued_at = second + dt.timedelta(milliseconds=697)
    sending_at = second + dt.timedelta(milliseconds=820)
    trigger = Trigger.objects.get(pk=queued["trigger_id"])
    trigger.timeline = [{"state": "queued", "at": format_ts(queued_at), "detail": None}]
    trigger.save()
    message = message_claim_for_sending(message_id=queued["id"])
    trigger.refresh_from_db()
    trigger.timeline = [
        {"state": "queued", "at": format_ts(queued_at), "detail": None},
        {"state": "sending", "at": format_ts(sending_at), "detail": None},
    ]
    trigger.save()
    message_mark_sent(message=message, external_id="wamid.T11", at=sending_at)
    meta_reports("wamid.T11", "read", second + dt.timedelta(seconds=1))
    meta_reports("wamid.T11", "delivered", second - dt.timedelta(seconds=1))
    meta_reports("wamid.T11", "sent", second)

    timeline = _status(api_client, queued["trigger_id"]).json()["data"]["timeline"]
    stamp = format_ts
    assert timeline == [
        {"state": "queued", "at": stamp(queued_at), "detail": None},
        {"state": "sending", "at": stamp(sending_at), "detail": None},
        {"state": "sent", "at": stamp(sending_at), "detail": None},
        {
            "state": "sent",
            "at": stamp(sending_at),
            "detail": f"reported after read; ignored; Meta's timestamp: {stamp(second)}",
        },
        {
            "state": "delivered",
            "at": stamp(sending_at),
            "detail": "reported after read; ignored; Meta's timestamp: "
            + stamp(second - dt.timedelta(seconds=1)),
        },
        {"state": "read", "at": stamp(second + dt.timedelta(seconds=1)), "detail": None},
    ]
    times = [e["at"] for e in timeline]
    assert times == sorted(times)
