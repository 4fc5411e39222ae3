"""Webhook payloads → contacts, conversations, messages and statuses (§10)."""

import json
import time

import pytest
from django.test import Client

from contacts.models import Contact, ContactHandle
from conversations.models import Conversation, Message
from instantreply.meta import routing
from instantreply.meta.models import InboundEvent

from .conftest import IG_ACCOUNT_ID, PAGE_ID, WA_PHONE_ID, replace_receive
from .payloads import (
    messaging,
    messaging_text,
    signed,
    whatsapp_messages,
    whatsapp_status,
    whatsapp_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """POST a payload like Meta does and run the processing queued after commit."""

    def send(payload) -> InboundEvent:
        body, headers = signed(payload)
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/meta/webhook", data=body, content_type="application/json", headers=headers
            )
        assert response.status_code == 200
        return InboundEvent.objects.order_by("-id").first()

    return send


def counts():
    return (Contact.objects.count(), Conversation.objects.count(), Message.objects.count())


def test_a_whatsapp_message_creates_contact_conversation_and_message(wa_channel, deliver):
    at = int(time.time()) - 30
    event = deliver(
        whatsapp_text(
            WA_PHONE_ID, wamid="wamid.WA1", wa_id="14155550123", username="ana.l", timestamp=at
        )
    )
    assert event.status == "processed"
    message = Message.objects.get()
    assert (message.direction, message.type, message.status) == ("inbound", "text", "received")
    assert message.text == "Hi, where is my order?"
    assert message.external_id == "wamid.WA1"
    assert message.livemode is True
    assert int(message.sent_at.timestamp()) == at
    contact = message.conversation.contact
    assert contact.name == "Ana Lima"
    assert contact.phone == "+14155550123"
    handle = ContactHandle.objects.get(contact=contact)
    assert (handle.platform, handle.external_id, handle.username) == (
        "whatsapp",
        "14155550123",
        "ana.l",
    )
    assert message.conversation.channel_id == wa_channel.id
    assert message.conversation.last_inbound_at == message.sent_at


def test_a_whatsapp_user_without_a_phone_number_is_keyed_on_the_business_scoped_id(
    wa_channel, deliver
):
    deliver(
        whatsapp_text(
            WA_PHONE_ID, wamid="wamid.BSUID1", wa_id=None, user_id="US.13491208655302741918"
        )
    )
    contact = Message.objects.get().conversation.contact
    assert contact.phone is None
    assert ContactHandle.objects.get(contact=contact).external_id == "US.13491208655302741918"


def test_an_instagram_message_creates_contact_conversation_and_message(ig_channel, deliver):
    event = deliver(
        messaging_text("instagram", IG_ACCOUNT_ID, mid="aWdfZAG1faWQ1", sender="5511223344")
    )
    assert event.status == "processed"
    message = Message.objects.get()
    assert (message.direction, message.text, message.external_id) == (
        "inbound",
        "Do you ship to Lisbon?",
        "aWdfZAG1faWQ1",
    )
    assert message.conversation.channel_id == ig_channel.id
    handle = ContactHandle.objects.get(contact=message.conversation.contact)
    assert (handle.platform, handle.external_id) == ("instagram", "5511223344")


def test_a_messenger_message_creates_contact_conversation_and_message(fb_channel, deliver):
    event = deliver(messaging_text("page", PAGE_ID, mid="m_AbCdEf1", sender="24011223344"))
    assert event.status == "processed"
    message = Message.objects.get()
    assert message.conversation.channel_id == fb_channel.id
    handle = ContactHandle.objects.get(contact=message.conversation.contact)
    assert (handle.platform, handle.external_id) == ("messenger", "24011223344")


def test_a_redelivered_payload_creates_nothing_new(wa_channel, ig_channel, deliver):
    wa = whatsapp_text(WA_PHONE_ID, wamid="wamid.AGAIN")
    ig = messaging_text("instagram", IG_ACCOUNT_ID, mid="ig-again", sender="771")
    deliver(wa)
    deliver(ig)
    before = counts()
    conversation = Message.objects.get(external_id="wamid.AGAIN").conversation
    second = deliver(wa)
    deliver(ig)
    assert second.status == "processed"
    assert counts() == before
    conversation.refresh_from_db()
    assert conversation.unread_count == 1
    assert conversation.message_count == 1


def test_every_message_of_a_batched_payload_is_processed(wa_channel, deliver):
    payload = whatsapp_messages(
        WA_PHONE_ID,
        [
            {
                "from": "14155550001",
                "id": f"wamid.B{i}",
                "timestamp": "1763900000",
                "type": "text",
                "text": {"body": f"message {i}"},
            }
            for i in range(3)
        ],
        [{"wa_id": "14155550001", "profile": {"name": "Bo"}}],
    )
    second = whatsapp_messages(
        WA_PHONE_ID,
        [
            {
                "from": "14155550002",
                "id": "wamid.C1",
                "timestamp": "1763900001",
                "type": "image",
                "image": {"caption": "the receipt", "id": "media1"},
            }
        ],
        [{"wa_id": "14155550002", "profile": {"name": "Cy"}}],
    )
    payload["entry"] += second["entry"]
    payload["entry"][0]["changes"].append(
        {"field": "messages", "value": second["entry"][0]["changes"][0]["value"]}
    )
    event = deliver(payload)
    assert event.status == "processed"
    assert Message.objects.count() == 4
    assert Conversation.objects.count() == 2
    image = Message.objects.get(external_id="wamid.C1")
    assert (image.type, image.text) == ("image", "the receipt")


def test_an_event_for_an_unknown_channel_is_stored_and_ignored(deliver, workspace):
    event = deliver(whatsapp_text("999000111", wamid="wamid.NOCHAN"))
    assert event.status == "ignored"
    assert "999000111" in event.reason
    assert Message.objects.count() == 0


def test_an_event_for_a_disconnected_channel_is_ignored(wa_channel, deliver):
    from conversations.services import channel_set_status

    channel_set_status(channel=wa_channel, status="disconnected")
    event = deliver(whatsapp_text(WA_PHONE_ID, wamid="wamid.DISC"))
    assert event.status == "ignored"
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    "payload, status, reason",
    [
        (b'{"object": "whatsapp_business_account", "entry": [', "failed", "not valid JSON"),
        (b"[1, 2, 3]", "ignored", "not a JSON object"),
        (b'{"object": "tiktok", "entry": []}', "ignored", "unknown object type"),
        (b'{"object": "page", "entry": "nope"}', "ignored", "no entry list"),
        (
            b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}',
            "ignored",
            "no value",
        ),
    ],
)
def test_malformed_or_unknown_payloads_are_stored_and_marked(deliver, db, payload, status, reason):
    event = deliver(payload)
    assert bytes(event.body) == payload
    assert event.status == status
    assert reason in event.reason
    assert event.processed_at is not None


def test_one_rejected_item_does_not_stop_the_rest_of_the_batch(wa_channel, deliver, monkeypatch):
    real = routing.handler("message_received")

    def flaky(**kwargs):
        if kwargs["external_id"] == "wamid.POISON":
            raise ValueError("cannot store this one")
        return real(**kwargs)

    replace_receive(monkeypatch, flaky)
    payload = whatsapp_messages(
        WA_PHONE_ID,
        [
            {
                "from": "14155550009",
                "id": wamid,
                "timestamp": "1763900000",
                "type": "text",
                "text": {"body": "x"},
            }
            for wamid in ("wamid.OK1", "wamid.POISON", "wamid.OK2")
        ],
        [{"wa_id": "14155550009", "profile": {"name": "Di"}}],
    )
    event = deliver(payload)
    assert event.status == "failed"
    assert "wamid.POISON" in event.reason and "cannot store this one" in event.reason
    assert set(Message.objects.values_list("external_id", flat=True)) == {"wamid.OK1", "wamid.OK2"}


def _outbound(channel, make_contact, external_id, status="sent", platform="whatsapp"):
    """An outbound message already handed to Meta, as the send worker leaves it."""
    from conversations.services._common import conversation_get_or_create

    contact = make_contact(platform=platform)
    conversation, _ = conversation_get_or_create(channel=channel, contact=contact, livemode=True)
    return Message.objects.create(
        workspace_id=channel.workspace_id,
        livemode=True,
        conversation=conversation,
        channel=channel,
        direction="outbound",
        type="text",
        text="Your order ships today",
        status=status,
        sender_type="api",
        external_id=external_id,
    )


def test_statuses_move_forward_and_a_late_delivered_after_read_is_ignored(
    wa_channel, make_contact, deliver
):
    message = _outbound(wa_channel, make_contact, "wamid.OUT1")
    t0 = int(time.time())
    deliver(whatsapp_status(WA_PHONE_ID, "wamid.OUT1", "delivered", t0 + 1))
    message.refresh_from_db()
    assert message.status == "delivered"
    deliver(whatsapp_status(WA_PHONE_ID, "wamid.OUT1", "read", t0 + 3))
    deliver(whatsapp_status(WA_PHONE_ID, "wamid.OUT1", "delivered", t0 + 2))
    message.refresh_from_db()
    assert message.status == "read"


def test_a_failed_status_carries_metas_error(wa_channel, make_contact, deliver):
    message = _outbound(wa_channel, make_contact, "wamid.OUT2")
    errors = [
        {
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {
                "details": "Message failed to send because more than 24 hours have passed"
            },
        }
    ]
    event = deliver(whatsapp_status(WA_PHONE_ID, "wamid.OUT2", "failed", int(time.time()), errors))
    assert event.status == "processed"
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.error["source"] == "meta"
    assert message.error["code"] == "131047"


def test_a_status_for_a_message_we_never_sent_is_noted(wa_channel, deliver):
    event = deliver(whatsapp_status(WA_PHONE_ID, "wamid.STRANGER", "delivered", int(time.time())))
    assert event.status == "processed"
    assert "unknown message wamid.STRANGER" in event.reason


def test_an_echo_of_our_own_send_is_ignored(ig_channel, make_contact, deliver):
    _outbound(ig_channel, make_contact, "ig-mid-ours", platform="instagram")
    before = counts()
    event = deliver(
        messaging_text("instagram", IG_ACCOUNT_ID, mid="ig-mid-ours", sender="5511", echo=True)
    )
    assert counts() == before
    assert "echo of our own send" in event.reason


def test_an_echo_typed_in_metas_app_becomes_an_outbound_message_by_an_agent(fb_channel, deliver):
    deliver(
        messaging_text(
            "page",
            PAGE_ID,
            mid="m_typed_in_inbox",
            sender="2401",
            echo=True,
            text="Typed in Business Suite",
        )
    )
    message = Message.objects.get()
    assert (message.direction, message.sender_type, message.sender_id) == (
        "outbound",
        "agent",
        None,
    )
    assert message.text == "Typed in Business Suite"


def test_instagram_delivery_and_read_events_update_our_message(ig_channel, make_contact, deliver):
    message = _outbound(ig_channel, make_contact, "ig-mid-2", platform="instagram")
    now_ms = int(time.time() * 1000)
    deliver(
        messaging(
            "instagram",
            IG_ACCOUNT_ID,
            [
                {
                    "sender": {"id": "5511"},
                    "recipient": {"id": IG_ACCOUNT_ID},
                    "timestamp": now_ms,
                    "delivery": {"mids": ["ig-mid-2"], "watermark": now_ms},
                }
            ],
        )
    )
    message.refresh_from_db()
    assert message.status == "delivered"
    deliver(
        messaging(
            "instagram",
            IG_ACCOUNT_ID,
            [
                {
                    "sender": {"id": "5511"},
                    "recipient": {"id": IG_ACCOUNT_ID},
                    "timestamp": now_ms + 5,
                    "read": {"mid": "ig-mid-2"},
                }
            ],
        )
    )
    message.refresh_from_db()
    assert message.status == "read"


def test_processing_an_event_twice_changes_nothing(wa_channel, deliver):
    from instantreply.meta.tasks import process_inbound_event

    event = deliver(whatsapp_text(WA_PHONE_ID, wamid="wamid.TWICE"))
    before = counts()
    assert process_inbound_event(event.id) == "processed"
    assert counts() == before


def test_the_body_stored_is_the_raw_bytes_even_when_not_json(deliver, db):
    raw = "{not json \u00e9".encode()
    event = deliver(raw)
    assert bytes(event.body) == raw
    assert json.dumps(event.reason)


def _template_event(field, value, waba_id="209000000000777"):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": waba_id, "time": int(time.time()), "changes": [{"field": field, "value": value}]}
        ],
    }


def test_template_status_updates_reach_the_template(wa_channel, deliver):
    from templates_app.models import Template

    template = Template.objects.create(
        workspace_id=wa_channel.workspace_id,
        channel=wa_channel,
        name="order_update",
        language="en_US",
        category="utility",
        status="pending",
        components=[{"type": "body", "text": "Order {{1}} shipped", "format": None, "buttons": []}],
        variable_count=1,
        meta_template_id="1234567890",
    )
    event = deliver(
        _template_event(
            "message_template_status_update",
            {
                "event": "APPROVED",
                "message_template_id": 1234567890,
                "message_template_name": "order_update",
                "message_template_language": "en_US",
                "reason": "NONE",
            },
        )
    )
    assert event.status == "processed"
    template.refresh_from_db()
    assert template.status == "approved"
    event = deliver(
        _template_event(
            "template_category_update",
            {
                "message_template_id": 1234567890,
                "message_template_name": "order_update",
                "message_template_language": "en_US",
                "previous_category": "UTILITY",
                "new_category": "MARKETING",
            },
        )
    )
    assert event.status == "processed"
    template.refresh_from_db()
    assert template.category == "marketing"


def test_a_status_update_for_an_unknown_template_is_noted(wa_channel, deliver):
    event = deliver(
        _template_event(
            "message_template_status_update",
            {
                "event": "REJECTED",
                "message_template_id": 999,
                "message_template_name": "x",
                "message_template_language": "en_US",
                "reason": "PROMOTIONAL",
            },
        )
    )
    assert "unknown template 999" in event.reason


def test_an_unforeseen_parsing_error_marks_the_event_failed_instead_of_raising(
    wa_channel, deliver, monkeypatch
):
    from instantreply.meta import inbound

    def explode(payload, **kwargs):
        raise TypeError("unexpected shape")

    monkeypatch.setattr(inbound, "handle_payload", explode)
    event = deliver(whatsapp_text(WA_PHONE_ID, wamid="wamid.BOOM"))
    assert event.status == "failed"
    assert "TypeError: unexpected shape" in event.reason


def test_deeply_nested_json_is_marked_failed(deliver, db):
    event = deliver(b"[" * 100_000 + b"]" * 100_000)
    assert event.status == "failed"
    assert "not valid JSON" in event.reason


def test_a_status_that_beats_the_send_record_is_kept_and_applied_on_the_next_pass(
    wa_channel, make_contact, deliver
):
    import datetime as dt

    from conversations.services import message_mark_sent
    from instantreply.core.timeutil import now
    from instantreply.meta.tasks import sweep_inbound_events

    message = _outbound(wa_channel, make_contact, None, status="sending")
    event = deliver(whatsapp_status(WA_PHONE_ID, "wamid.EARLY", "delivered", int(time.time())))
    assert event.status == "received"
    assert "arrived before its send was recorded" in event.reason
    message_mark_sent(message=message, external_id="wamid.EARLY", at=now())
    InboundEvent.objects.filter(pk=event.pk).update(created_at=now() - dt.timedelta(minutes=2))
    sweep_inbound_events()
    event.refresh_from_db()
    assert event.status == "processed"
    message.refresh_from_db()
    assert message.status == "delivered"


def test_an_early_status_stops_waiting_after_a_few_passes(wa_channel, make_contact, deliver):
    import datetime as dt

    from instantreply.core.timeutil import now
    from instantreply.meta.tasks import sweep_inbound_events

    _outbound(wa_channel, make_contact, None, status="sending")
    event = deliver(whatsapp_status(WA_PHONE_ID, "wamid.NEVER", "delivered", int(time.time())))
    for _ in range(3):
        if event.status != "received":
            break
        InboundEvent.objects.filter(pk=event.pk).update(created_at=now() - dt.timedelta(minutes=2))
        sweep_inbound_events()
        event.refresh_from_db()
    assert event.status == "processed"
    assert "unknown message wamid.NEVER" in event.reason
