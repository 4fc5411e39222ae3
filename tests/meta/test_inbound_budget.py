"""The cost of processing one inbound message, pinned so a gain cannot quietly
regress: queries per event (new customer, known customer, redelivery), one fan-out
task per processed event, and the events' data built from rows already in hand
matching what a fresh read would give."""

import time

import pytest

from contacts.models import Contact
from contacts.serializers import contact_data
from conversations.models import Channel, Conversation, Message
from conversations.serializers import conversation_data, message_data
from instantreply.meta.inbound import process_event
from instantreply.meta.models import InboundEvent
from webhooks.models import Event
from webhooks.tasks import fan_out_event

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text

pytestmark = pytest.mark.django_db

# Counted inside the test's transaction, so the event's own transaction shows as a
# SAVEPOINT/RELEASE pair (BEGIN/COMMIT in a worker). Each processed item also runs
# in a savepoint, and so does the message INSERT (it settles concurrent duplicates).
# A first message from a new customer: read the event, route the channel, check the
# Meta id, look up the conversation by handle (miss), look up the handle (miss),
# insert contact + handle + contact.created, look up + insert the conversation,
# insert the message, update conversation, contact.last_seen_at and
# channel.last_event_at, read the contact's handles for conversation.created,
# insert conversation.created + message.received, mark the event processed.
NEW_CUSTOMER_QUERIES = 28
# A known customer: one locked lookup of conversation + contact by handle, the
# message INSERT, one conversation UPDATE, contact.last_seen_at and
# channel.last_event_at (both forced here), message.received, the event's status.
KNOWN_CUSTOMER_QUERIES = 16
# A redelivery stops at the Meta id check.
REDELIVERY_QUERIES = 8


def _stored(payload) -> int:
    body, _ = signed(payload)
    return InboundEvent.objects.create(body=body, headers={}).id


def test_processing_one_whatsapp_message_stays_within_its_query_budget(
    wa_channel, django_assert_max_num_queries
):
    at = int(time.time()) - 60
    stored = _stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.Q1", timestamp=at))
    with django_assert_max_num_queries(NEW_CUSTOMER_QUERIES):
        first = process_event(stored)
    assert first.status == "processed"

    # The channel's once-a-second health refresh and a later Meta timestamp make
    # both conditional UPDATEs happen, the worst case of a known customer.
    Channel.objects.filter(pk=wa_channel.pk).update(last_event_at=None)
    again = whatsapp_text(WA_PHONE_ID, wamid="wamid.Q2", timestamp=at + 5)
    stored, redelivery = _stored(again), _stored(again)
    with django_assert_max_num_queries(KNOWN_CUSTOMER_QUERIES):
        second = process_event(stored)
    assert second.status == "processed"

    with django_assert_max_num_queries(REDELIVERY_QUERIES):
        redelivered = process_event(redelivery)
    assert redelivered.status == "processed"

    conversation = Conversation.objects.get()
    assert (conversation.message_count, conversation.unread_count) == (2, 2)
    assert Message.objects.count() == 2
    assert int(Contact.objects.get().last_seen_at.timestamp()) == at + 5
    assert Channel.objects.get(pk=wa_channel.pk).last_event_at is not None


def test_a_first_message_publishes_one_fan_out_task_for_its_three_events(
    wa_channel, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(fan_out_event, "delay", lambda ids: published.append(list(ids)))
    with django_capture_on_commit_callbacks(execute=True):
        process_event(_stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.F1")))
    assert len(published) == 1
    assert sorted(Event.objects.filter(pk__in=published[0]).values_list("type", flat=True)) == [
        "contact.created",
        "conversation.created",
        "message.received",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        process_event(_stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.F2")))
        process_event(_stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.F2")))
    assert len(published) == 2
    assert list(Event.objects.filter(pk__in=published[1]).values_list("type", flat=True)) == [
        "message.received"
    ]


def test_event_data_matches_the_rows_as_stored(wa_channel):
    at = int(time.time()) - 60
    process_event(_stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.D1", timestamp=at)))
    conversation = Conversation.objects.select_related("channel", "contact").get()
    contact = conversation.contact
    message = Message.objects.get(external_id="wamid.D1")

    def data_of(type):
        return Event.objects.filter(type=type).order_by("-created_at").first().data

    assert data_of("contact.created")["handles"] == contact_data(contact)["handles"]
    assert data_of("contact.created")["id"] == contact.id
    assert data_of("message.received") == message_data(message)
    created = data_of("conversation.created")
    assert created == conversation_data(conversation)
    assert created["contact"]["handle"]["external_id"] == "14155550123"

    # A message to a closed conversation re-opens it: the update event shows the
    # conversation as stored after the change.
    Conversation.objects.filter(pk=conversation.pk).update(
        status="closed", closed_at=conversation.created_at
    )
    process_event(_stored(whatsapp_text(WA_PHONE_ID, wamid="wamid.D2", timestamp=at + 1)))
    updated = Event.objects.get(type="conversation.updated")
    assert updated.previous_attributes == {"status": "closed"}
    fresh = Conversation.objects.select_related("channel", "contact").get()
    assert (fresh.status, fresh.closed_at, fresh.message_count) == ("active", None, 2)
    assert updated.data == conversation_data(fresh)
