"""The Python SDK (sdks/python) against a live server, through a proxy that can lose
responses: the seed's sample, a reply retried without a second send, retries that
honour Retry-After, a paginated walk, typed errors and a verified webhook."""

import asyncio
import time

import pytest
from instantreply_sdk import (
    InstantReply,
    InstantReplyError,
    WebhookVerificationError,
    verify_webhook,
)
from instantreply_sdk.generated.api.contacts import contacts_list
from instantreply_sdk.generated.api.conversations import (
    conversation_messages_create,
    conversations_list,
    conversations_update,
)
from instantreply_sdk.generated.api.developer import simulate_inbound_create
from instantreply_sdk.generated.api.messages import messages_retrieve
from instantreply_sdk.generated.api.webhooks import webhooks_create, webhooks_test
from instantreply_sdk.generated.models import (
    ConversationsListStatus,
    ConversationStatusEnum,
    MessageCreateRequest,
    PatchedConversationUpdateRequest,
    SimulatedSenderRequest,
    SimulateInboundRequest,
    WebhookCreateRequest,
)

from contacts.models import Contact
from conversations.models import Conversation, Message
from instantreply.core.models import RequestLog
from tests.sdks.proxy import KEY_IN_USE, RATE_LIMITED, SERVICE_UNAVAILABLE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def ir(sdk_sandbox):
    with InstantReply(sdk_sandbox.key, base_url=sdk_sandbox.url, timeout=10) as client:
        yield client


def inbound(ir, sandbox, phone: str, text: str) -> str:
    """A customer writes (test mode); the new conversation's id."""
    body = SimulateInboundRequest(
        channel_id=sandbox.channel.id,
        from_=SimulatedSenderRequest(external_id=phone, name="Ana"),
        text=text,
    )
    return ir.call(simulate_inbound_create, body=body).data.conversation_id


def test_seed_sample_tags_active_conversations_that_mention_a_refund(ir, sdk_sandbox):
    refund = inbound(ir, sdk_sandbox, "15550000001", "Hi, I want a REFUND for order #12")
    other = inbound(ir, sdk_sandbox, "15550000002", "Where is my order?")
    second_refund = inbound(ir, sdk_sandbox, "15550000003", "Refund please, it arrived broken")
    closed = inbound(ir, sdk_sandbox, "15550000004", "refund?")
    ir.call(
        conversations_update,
        closed,
        body=PatchedConversationUpdateRequest(status=ConversationStatusEnum.CLOSED),
    )

    # The seed's sample, as an integrator writes it with the SDK (pages of 2: three pages).
    for conversation in ir.paginate(
        conversations_list, status=ConversationsListStatus.ACTIVE, limit=2
    ):
        if "refund" in (conversation.last_message_preview or "").lower():
            ir.call(
                conversations_update,
                conversation.id,
                body=PatchedConversationUpdateRequest(add_tags=["refund"]),
            )

    tags = dict(Conversation.objects.values_list("id", "tags"))
    assert tags == {refund: ["refund"], other: [], second_refund: ["refund"], closed: []}


def test_reply_whose_response_is_lost_is_retried_and_sent_once(ir, sdk_sandbox):
    conversation_id = inbound(ir, sdk_sandbox, "15550000011", "Where is my order?")
    sdk_sandbox.proxy.lose_response("POST", f"/v1/conversations/{conversation_id}/messages")

    reply = ir.call(
        conversation_messages_create,
        conversation_id,
        body=MessageCreateRequest(text="Thanks, Ana! Your order ships today."),
    ).data

    sent = Message.objects.filter(conversation_id=conversation_id, direction="outbound")
    assert [(m.id, m.text) for m in sent] == [(reply.id, "Thanks, Ana! Your order ships today.")]
    logs = RequestLog.objects.filter(
        method="POST", path=f"/v1/conversations/{conversation_id}/messages"
    ).order_by("created_at")
    # The lost attempt ran; the retry, with the same generated key, was a replay.
    assert [log.replayed for log in logs] == [False, True]
    assert logs[0].idempotency_key == logs[1].idempotency_key
    assert len(logs[0].idempotency_key) == 36


def test_retries_wait_for_retry_after_on_503_and_key_in_use(ir, sdk_sandbox):
    conversation_id = inbound(ir, sdk_sandbox, "15550000021", "Hello")
    proxy = sdk_sandbox.proxy
    proxy.answer(
        "GET", "/v1/conversations", "503 Service Unavailable",
        {"Retry-After": "1", "Content-Type": "application/json"}, SERVICE_UNAVAILABLE,
    )  # fmt: skip
    proxy.answer(
        "POST", f"/v1/conversations/{conversation_id}/messages", "409 Conflict",
        {"Retry-After": "1", "Content-Type": "application/json"}, KEY_IN_USE,
    )  # fmt: skip

    started = time.monotonic()
    listed = [c.id for c in ir.paginate(conversations_list)]
    reply = ir.call(
        conversation_messages_create, conversation_id, body=MessageCreateRequest(text="Hi!")
    ).data
    elapsed = time.monotonic() - started

    assert listed == [conversation_id]
    assert reply.text == "Hi!"
    assert elapsed >= 2.0
    assert proxy.seen[-4:] == [
        "GET /v1/conversations",
        "GET /v1/conversations",
        f"POST /v1/conversations/{conversation_id}/messages",
        f"POST /v1/conversations/{conversation_id}/messages",
    ]
    assert (
        Message.objects.filter(conversation_id=conversation_id, direction="outbound").count() == 1
    )


def test_a_retry_after_beyond_the_allowed_wait_raises_at_once(sdk_sandbox):
    sdk_sandbox.proxy.answer(
        "GET", "/v1/contacts", "429 Too Many Requests",
        {"Retry-After": "120", "Content-Type": "application/json"}, RATE_LIMITED,
    )  # fmt: skip
    client = InstantReply(sdk_sandbox.key, base_url=sdk_sandbox.url, max_retry_wait=30)

    started = time.monotonic()
    with pytest.raises(InstantReplyError) as raised:
        list(client.paginate(contacts_list))

    assert time.monotonic() - started < 1.0
    assert (raised.value.status, raised.value.code) == (429, "RATE_LIMITED")
    assert sdk_sandbox.proxy.seen == ["GET /v1/contacts"]


def test_paginated_walk_yields_every_contact_once(ir, sdk_sandbox):
    sdk_sandbox.add_contacts(130)

    walked = [contact.id for contact in ir.paginate(contacts_list, limit=50)]

    assert len(walked) == 130
    assert set(walked) == set(Contact.objects.values_list("id", flat=True))
    assert RequestLog.objects.filter(path="/v1/contacts").count() == 3


def test_errors_are_typed_with_the_envelope(ir):
    with pytest.raises(InstantReplyError) as raised:
        ir.call(messages_retrieve, "msg_01a20dbdcf337e61ad83103382121acd")

    error = raised.value
    log = RequestLog.objects.get(path="/v1/messages/msg_01a20dbdcf337e61ad83103382121acd")
    assert (error.status, error.code, error.request_id) == (404, "RESOURCE_NOT_FOUND", log.id)
    assert error.doc_url.endswith("/errors#RESOURCE_NOT_FOUND")
    assert error.details == []
    assert "msg_01a20dbdcf337e61ad83103382121acd" in error.message


def test_validation_error_carries_its_details(ir, sdk_sandbox):
    conversation_id = inbound(ir, sdk_sandbox, "15550000031", "Hello")

    with pytest.raises(InstantReplyError) as raised:
        ir.call(
            conversations_update,
            conversation_id,
            body=PatchedConversationUpdateRequest(add_tags=["not a tag!"]),
        )

    assert (raised.value.status, raised.value.code) == (422, "VALIDATION_ERROR")
    assert [d.field for d in raised.value.details] == ["add_tags[0]"]


def test_webhook_delivery_verifies_with_the_endpoint_secret(ir, webhook_receiver):
    endpoint = ir.call(
        webhooks_create,
        body=WebhookCreateRequest(url=webhook_receiver.url, events=["*"]),
    ).data

    ir.call(webhooks_test, endpoint.id)

    [(body, headers)] = webhook_receiver.deliveries
    event = verify_webhook(body, headers, endpoint.secret)
    assert (event["type"], event["data"]["endpoint_id"]) == ("webhook.test", endpoint.id)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body + b" ", headers, endpoint.secret)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body, headers, "whsec_" + "A" * 32)


def test_asyncio_calls_get_the_same_keys_retries_and_errors(ir, sdk_sandbox):
    first = inbound(ir, sdk_sandbox, "15550000041", "Where is my order?")
    second = inbound(ir, sdk_sandbox, "15550000042", "Hello")
    sdk_sandbox.proxy.lose_response("POST", f"/v1/conversations/{first}/messages")

    async def integration():
        reply = await ir.acall(
            conversation_messages_create, first, body=MessageCreateRequest(text="On its way!")
        )
        listed = [c.id async for c in ir.apaginate(conversations_list, limit=1)]
        try:
            await ir.acall(messages_retrieve, "msg_01a20dbdcf337e61ad83103382121acd")
        except InstantReplyError as error:
            return reply.data, listed, error.code
        finally:
            await ir.aclose()

    reply, listed, code = asyncio.run(integration())

    sent = Message.objects.filter(conversation_id=first, direction="outbound")
    assert [(m.id, m.text) for m in sent] == [(reply.id, "On its way!")]
    assert listed == [second, first]
    assert code == "RESOURCE_NOT_FOUND"
