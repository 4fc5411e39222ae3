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
