import datetime as dt

import pytest

from conversations.admin import trace_request_ids_for
from conversations.demo import seed_conversations
from conversations.models import Conversation, Message, Trigger
from conversations.services import channel_connect
from instantreply.core.admin import TRACE_RESOLVERS, trace_request_ids
from instantreply.core.models import DownstreamCall, RequestLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_channels(workspace, channel):
    for platform, external_id in (("instagram", "1784000001"), ("messenger", "1000001")):
        channel_connect(
            workspace=workspace,
            platform=platform,
            name=platform,
            external_id=external_id,
            access_token="t",
        )


def test_seed_conversations_is_idempotent(workspace, demo_channels):
    first = seed_conversations(workspace)
    counts = (Conversation.objects.count(), Message.objects.count(), Trigger.objects.count())
    assert first["conversations"] == 14 and first["messages_created"] == counts[1]
    assert Conversation.objects.filter(livemode=False).count() == 7
    assert set(Message.objects.values_list("direction", flat=True)) == {"inbound", "outbound"}
    assert set(Conversation.objects.values_list("channel__platform", flat=True)) == {
        "whatsapp",
        "instagram",
        "messenger",
    }
    again = seed_conversations(workspace)
    assert again["messages_created"] == 0
    assert (
        Conversation.objects.count(),
        Message.objects.count(),
        Trigger.objects.count(),
    ) == counts
    for conversation in Conversation.objects.all():
        assert conversation.message_count == conversation.messages.count()


def test_trace_resolver_finds_the_requests_that_touched_a_message(api_client, conversation):
    assert trace_request_ids_for in TRACE_RESOLVERS
    response = api_client.post(f"/v1/conversations/{conversation.id}/messages", {"text": "hi"})
    data = response.json()["data"]
    create_request = response["X-Request-Id"]
    read = api_client.get(f"/v1/messages/{data['id']}")
    DownstreamCall.objects.create(
        request_id="req_worker",
        service="meta_graph",
        method="POST",
        url="https://graph/x",
        subject_id=data["id"],
    )
    assert RequestLog.objects.filter(id=create_request).exists()
    ids = trace_request_ids(data["id"])
    assert {create_request, read["X-Request-Id"], "req_worker"} <= set(ids)
    assert create_request in trace_request_ids(data["trigger_id"])
    assert create_request in trace_request_ids(conversation.id)
    assert trace_request_ids_for("msg_" + "0" * 32) is None


def test_admin_search_by_handle_and_meta_id(admin_client, conversation):
    inbound = conversation.messages.get()
    handle = conversation.contact.handles.get().external_id
    page = admin_client.get("/admin/conversations/conversation/", {"q": handle})
    assert page.status_code == 200 and conversation.id in page.content.decode()
    page = admin_client.get("/admin/conversations/message/", {"q": inbound.external_id})
    assert page.status_code == 200 and inbound.id in page.content.decode()
    page = admin_client.get("/admin/core/requestlog/", {"q": inbound.id})
    assert page.status_code == 200


def test_the_trace_page_shows_the_status_webhooks_of_the_message_a_request_sent(
    api_client, admin_client, conversation, django_capture_on_commit_callbacks
):
    from conversations.services import message_status_apply
    from instantreply.core.timeutil import now

    with django_capture_on_commit_callbacks(execute=False):
        response = api_client.post(
            f"/v1/conversations/{conversation.id}/messages", {"text": "Your beans ship today"}
        )
    message = Message.objects.get(pk=response.json()["data"]["id"])
    Message.objects.filter(pk=message.pk).update(status="sent", external_id="wamid.trace1")
    message_status_apply(
        channel=conversation.channel, external_id="wamid.trace1", status="delivered", at=now()
    )

    page = admin_client.get(f"/admin/core/requestlog/{response['X-Request-Id']}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{message.id} queued" in text and f"{message.id} delivered" in text


def test_the_trace_page_is_a_timeline_without_repeated_status_reports(
    api_client, admin_client, conversation, django_capture_on_commit_callbacks
):
    import re

    from conversations.services import (
        message_claim_for_sending,
        message_mark_sent,
        message_status_apply,
    )
    from instantreply.api.tracing import record_downstream_call
    from instantreply.core.timeutil import now

    with django_capture_on_commit_callbacks(execute=False):
        response = api_client.post(
            f"/v1/conversations/{conversation.id}/messages", {"text": "Your beans ship today"}
        )
    request_id = response["X-Request-Id"]
    message = Message.objects.get(pk=response.json()["data"]["id"])
    # What the send task does: claim, call Meta, record its accept.
    message_claim_for_sending(message_id=message.pk)
    record_downstream_call(
        service="meta_graph",
        method="POST",
        url="https://graph.example/v24.0/109000000000777/messages",
        status=200,
        duration_ms=41,
        error=None,
        request_body={"to": "15550001111"},
        response_body={"messages": [{"id": "wamid.timeline1"}]},
        subject_id=message.pk,
    )
    accepted_at = now() + dt.timedelta(milliseconds=5)  # Meta answered after the call began
    message_mark_sent(message=message, external_id="wamid.timeline1", at=accepted_at)
    # Meta's "sent" webhook repeats the accept, stamped in whole seconds (so earlier).
    message_status_apply(
        channel=conversation.channel,
        external_id="wamid.timeline1",
        status="sent",
        at=accepted_at.replace(microsecond=0),
    )
    message_status_apply(
        channel=conversation.channel, external_id="wamid.timeline1", status="delivered", at=now()
    )

    page = admin_client.get(f"/admin/core/requestlog/{request_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(
        r'<li class="trace-row kind-(\w+)".*?<span class="trace-when">([^<]+)</span>.*?'
        r'<span class="trace-text">([^<]+)</span>',
        html,
        re.S,
    )
    assert [(kind, text.split(" — ")[0]) for kind, _, text in rows] == [
        ("request", f"POST /v1/conversations/{conversation.id}/messages"),
        ("response", f"202 in {RequestLog.objects.get(pk=request_id).duration_ms} ms"),
        ("state", f"{message.id} queued"),
        ("state", f"{message.id} sending"),
        ("call", rows[4][2].split(" — ")[0]),
        ("state", f"{message.id} sent"),
        ("state", f"{message.id} delivered"),
    ]
    assert rows[4][2].startswith("worker call dc_") and "→ 200" in rows[4][2]
    assert "ignored" not in html
    assert all(re.fullmatch(r"\+\d+(\.\d)? (ms|s)", when) for _, when, _ in rows), rows
    assert rows[0][1] == "+0 ms"
    # JSON bodies are folded: <details> without "open".
    assert html.count('<details class="trace-body">') == 6
    assert "<details open" not in html
