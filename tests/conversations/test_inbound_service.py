import datetime as dt

import pytest

from contacts.models import Contact, ContactHandle
from conversations.models import Conversation, Message
from conversations.services import (
    conversation_update,
    inbound_message_receive,
    outbound_echo_record,
)
from instantreply.core.timeutil import now
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def _receive(channel, external_id, *, contact="15550001", sent_at=None, livemode=True, text="Hi"):
    return inbound_message_receive(
        channel=channel,
        livemode=livemode,
        contact_external_id=contact,
        contact_name="Ana",
        contact_username="ana.ig" if channel.platform == "instagram" else None,
        external_id=external_id,
        type="text",
        text=text,
        sent_at=sent_at or now(),
    )


@pytest.mark.parametrize("platform_fixture", ["channel", "ig_channel", "messenger_channel"])
def test_first_message_creates_contact_conversation_and_message(request, platform_fixture):
    channel = request.getfixturevalue(platform_fixture)
    message, created = _receive(channel, "mid.1", text="Is the blue one in stock?")
    assert created
    conversation = message.conversation
    handle = ContactHandle.objects.get(contact=conversation.contact)
    assert (handle.platform, handle.external_id) == (channel.platform, "15550001")
    assert message.direction == "inbound" and message.status == "received"
    assert message.sender_type == "contact" and message.sender_id == conversation.contact_id
    assert conversation.unread_count == 1 and conversation.message_count == 1
    assert conversation.last_message_preview == "Is the blue one in stock?"
    types = list(Event.objects.order_by("created_at", "id").values_list("type", flat=True))
    assert types == ["contact.created", "conversation.created", "message.received"]
    channel.refresh_from_db()
    assert channel.last_event_at is not None


def test_redelivery_creates_nothing(channel):
    first, created = _receive(channel, "wamid.A")
    again, created_again = _receive(channel, "wamid.A")
    assert created and not created_again
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert Contact.objects.count() == 1
    conversation = Conversation.objects.get()
    assert conversation.message_count == 1 and conversation.unread_count == 1
    assert Event.objects.filter(type="message.received").count() == 1


def test_last_inbound_at_is_the_latest_meta_time_whatever_the_arrival_order(channel):
    later = now() - dt.timedelta(minutes=1)
    earlier = later - dt.timedelta(hours=3)
    _receive(channel, "wamid.late", sent_at=later, text="second")
    message, _ = _receive(channel, "wamid.early", sent_at=earlier, text="first")
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.last_inbound_at == later
    assert conversation.last_message_preview == "second"
    assert conversation.message_count == 2


def test_inbound_reopens_a_closed_conversation(channel):
    message, _ = _receive(channel, "wamid.1")
    conversation = conversation_update(
        conversation=message.conversation, changes={"status": "closed"}
    )
    assert conversation.closed_at is not None
    Event.objects.all().delete()
    _receive(channel, "wamid.2")
    conversation.refresh_from_db()
    assert conversation.status == "active" and conversation.closed_at is None
    updated = Event.objects.get(type="conversation.updated")
    assert updated.previous_attributes == {"status": "closed"}
    assert updated.data["status"] == "active"


def test_pending_conversation_stays_pending(channel):
    message, _ = _receive(channel, "wamid.1")
    conversation_update(conversation=message.conversation, changes={"status": "pending"})
    _receive(channel, "wamid.2")
    assert Conversation.objects.get().status == "pending"


def test_live_and_test_messages_of_one_handle_stay_apart(channel):
    live, _ = _receive(channel, "wamid.live", livemode=True)
    test, _ = _receive(channel, "sim.test", livemode=False)
    assert live.conversation_id != test.conversation_id
    assert live.conversation.contact_id != test.conversation.contact_id
    assert Conversation.objects.get(pk=test.conversation_id).livemode is False


def test_echo_of_a_reply_typed_in_metas_app_becomes_an_agent_message(ig_channel):
    _receive(ig_channel, "mid.in")
    echo = outbound_echo_record(
        channel=ig_channel,
        livemode=True,
        contact_external_id="15550001",
        external_id="mid.echo",
        type="text",
        text="Typed in Business Suite",
        sent_at=now(),
    )
    assert echo.direction == "outbound" and echo.status == "sent"
    assert (echo.sender_type, echo.sender_id) == ("agent", None)
    assert echo.conversation.message_count == 2
    assert Event.objects.filter(type="message.sent", object_id=echo.id).count() == 1
    # A redelivered echo, or the echo of one of our own sends, does nothing.
    assert (
        outbound_echo_record(
            channel=ig_channel,
            livemode=True,
            contact_external_id="15550001",
            external_id="mid.echo",
            type="text",
            text="Typed in Business Suite",
            sent_at=now(),
        )
        is None
    )
    assert Message.objects.count() == 2
