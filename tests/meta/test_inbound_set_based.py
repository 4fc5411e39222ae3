"""The set-based path of inbound processing (issue 13 §2): runs of customer-message
events are written together (``conversations.services.inbound_messages_receive``),
with the same outcome as one event at a time — idempotent on Meta's ids, in arrival
order per conversation, the same webhook events — and concurrent claimers never
process one event twice."""

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection

from contacts.models import Contact
from conversations.models import Channel, Conversation, Message
from conversations.serializers import conversation_data, message_data
from instantreply.core.timeutil import now
from instantreply.meta import inbound, routing
from instantreply.meta.models import InboundEvent
from webhooks.models import Event

from .conftest import IG_ACCOUNT_ID, WA_PHONE_ID
from .payloads import whatsapp_text

pytestmark = pytest.mark.django_db


def _store(payload, created_at=None) -> int:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    fields = {"created_at": created_at} if created_at else {}
    return InboundEvent.objects.create(body=body, headers={}, **fields).id


def _text(n: int, at: int, customer: int = 0, **kwargs) -> dict:
    return whatsapp_text(
        WA_PHONE_ID,
        wamid=f"wamid.S{n}",
        wa_id=f"1415666{customer:04d}",
        timestamp=at + n,
        **kwargs,
    )


def _warm(customers: int, at: int) -> None:
    """One message from each customer, so the next ones take the set-based path."""
    ids = [_store(_text(900 + c, at, customer=c)) for c in range(customers)]
    assert inbound.process_batch(ids[0]).processed == customers


def test_duplicates_in_a_batch_and_redeliveries_make_one_message_each(wa_channel):
    at = int(time.time()) - 600
    _warm(2, at)
    already = Message.objects.get(external_id="wamid.S900")
    first = _store(_text(1, at, customer=0))
    _store(_text(1, at, customer=0))  # Meta's retry of the same POST, in the same batch
    _store(_text(2, at, customer=1))
    _store(_text(900, at, customer=0))  # a redelivery of a message stored before
    _store(_text(2, at, customer=1))

    batch = inbound.process_batch(first)

    assert batch.processed == 5
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert sorted(Message.objects.values_list("external_id", flat=True)) == [
        "wamid.S1",
        "wamid.S2",
        "wamid.S900",
        "wamid.S901",
    ]
    assert Message.objects.get(external_id="wamid.S900").pk == already.pk
    received = Event.objects.filter(type="message.received")
    assert sorted(received.values_list("data__external_id", flat=True)) == [
        "wamid.S1",
        "wamid.S2",
        "wamid.S900",
        "wamid.S901",
    ]
    for conversation in Conversation.objects.all():
        count = Message.objects.filter(conversation=conversation).count()
        assert conversation.message_count == conversation.unread_count == count == 2


def test_a_batch_leaves_what_one_event_at_a_time_leaves(wa_channel):
    """Counters, previews, windows (Meta's latest timestamp, whatever the order of
    arrival), last_seen_at, a closed conversation re-opened, and the webhook events'
    data equal to the rows as stored."""
    at = int(time.time()) - 600
    _warm(3, at - 2000)
    closed = Conversation.objects.get(contact__handles__external_id="14156660001")
    Conversation.objects.filter(pk=closed.pk).update(status="closed", closed_at=closed.created_at)
    Channel.objects.filter(pk=wa_channel.pk).update(last_event_at=None)
    Event.objects.all().delete()
    ids = [
        _store(_text(10, at, customer=0, text="later by Meta's clock")),
        _store(_text(5, at, customer=0, text="earlier by Meta's clock, arrived second")),
        _store(_text(11, at, customer=1, text="back again")),
        _store(_text(12, at, customer=2, text="one")),
        _store(_text(13, at, customer=2, text="two")),
    ]

    batch = inbound.process_batch(ids[0])
    assert batch.processed == 5

    first = Conversation.objects.select_related("channel", "contact").get(
        contact__handles__external_id="14156660000"
    )
    assert (first.message_count, first.unread_count) == (3, 3)
    assert first.last_message_at == dt.datetime.fromtimestamp(at + 10, tz=dt.UTC)
    assert first.last_inbound_at == dt.datetime.fromtimestamp(at + 10, tz=dt.UTC)
    assert first.last_message_preview == "later by Meta's clock"
    assert first.contact.last_seen_at == dt.datetime.fromtimestamp(at + 10, tz=dt.UTC)

    reopened = Conversation.objects.select_related("channel", "contact").get(pk=closed.pk)
    assert (reopened.status, reopened.closed_at, reopened.message_count) == ("active", None, 2)
    updated = Event.objects.get(type="conversation.updated")
    assert updated.previous_attributes == {"status": "closed"}
    assert updated.data == conversation_data(reopened)

    third = Conversation.objects.get(contact__handles__external_id="14156660002")
    assert (third.message_count, third.last_message_preview) == (3, "two")
    for message in Message.objects.filter(external_id__in=[f"wamid.S{n}" for n in (5, 10, 11)]):
        assert Event.objects.get(type="message.received", object_id=message.pk).data == (
            message_data(message)
        )
    assert Event.objects.filter(type="message.received").count() == 5
    assert Channel.objects.get(pk=wa_channel.pk).last_event_at is not None


def test_messages_list_in_arrival_order_whichever_run_wrote_them_first(wa_channel):
    """Two workers may take two events of one conversation in two batches; the one
    that arrived later can commit first. Each message's created_at is its event's
    arrival, so the conversation still lists them in the order they arrived."""
    at = int(time.time()) - 600
    _warm(1, at)
    received = now() - dt.timedelta(seconds=5)
    older = _store(_text(1, at, text="first"), created_at=received)
    newer = _store(_text(2, at, text="second"), created_at=received + dt.timedelta(seconds=1))

    assert inbound.process_batch(newer, limit=0).processed == 1
    assert inbound.process_batch(older, limit=0).processed == 1

    texts = list(
        Message.objects.filter(external_id__in=["wamid.S1", "wamid.S2"])
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )
    assert texts == ["first", "second"]
    assert Message.objects.get(external_id="wamid.S1").created_at == received


def test_a_first_message_inside_a_run_creates_its_customer_once(wa_channel):
    at = int(time.time()) - 600
    _warm(1, at)
    ids = [
        _store(_text(1, at, customer=0)),
        _store(_text(2, at, customer=7)),  # new customer
        _store(_text(3, at, customer=7)),  # the same new customer again
        _store(_text(4, at, customer=0)),
    ]
    assert inbound.process_batch(ids[0]).processed == 4
    assert Contact.objects.count() == 2
    new = Conversation.objects.get(contact__handles__external_id="14156660007")
    assert new.message_count == 2
    assert Event.objects.filter(type="contact.created").count() == 2
    assert Event.objects.filter(type="conversation.created").count() == 2
    assert Conversation.objects.get(contact__handles__external_id="14156660000").message_count == 3


def test_a_run_mixed_with_other_events_keeps_their_places(wa_channel, ig_channel):
    """A status or an Instagram echo between customer messages runs on its own, in
    its place; the messages around it still go together."""
    at = int(time.time()) - 600
    _warm(1, at)
    echo = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT_ID,
                "time": at * 1000,
                "messaging": [
                    {
                        "sender": {"id": IG_ACCOUNT_ID},
                        "recipient": {"id": "9001"},
                        "timestamp": at * 1000,
                        "message": {"mid": "m_echo_1", "text": "typed in the app", "is_echo": True},
                    }
                ],
            }
        ],
    }
    ids = [_store(_text(1, at)), _store(echo), _store(_text(2, at)), _store(b"{broken")]
    assert inbound.process_batch(ids[0]).processed == 4
    status = list(InboundEvent.objects.filter(pk__in=ids).order_by("id").values_list("status"))
    assert status == [("processed",), ("processed",), ("processed",), ("failed",)]
    assert Message.objects.get(external_id="m_echo_1").sender_type == "agent"
    assert Conversation.objects.get(channel=wa_channel).message_count == 3


def _known_batch_queries(wa_channel, django_assert_max_num_queries, size: int, start: int) -> int:
    at = int(time.time()) - 600
    ids = [_store(_text(start + n, at, customer=n)) for n in range(size)]
    Channel.objects.filter(pk=wa_channel.pk).update(last_event_at=now() + dt.timedelta(minutes=1))
    with django_assert_max_num_queries(KNOWN_BATCH_QUERIES) as captured:
        assert inbound.process_batch(ids[0]).processed == size
    return len(captured)


# Counted inside the test's transaction (savepoints for BEGIN/COMMIT): the own
# event's status check, the two claims, the channel, the run's savepoint, the stored
# Meta ids, the handles, the locked conversations, the messages' INSERT, the
# conversations' UPDATE, the contacts' UPDATE (when last_seen_at moves), the events'
# INSERT, the statuses' UPDATE — whatever the number of messages.
KNOWN_BATCH_QUERIES = 16


def test_a_batch_of_known_customers_costs_the_same_statements_whatever_its_size(
    wa_channel, django_assert_max_num_queries
):
    _warm(40, int(time.time()) - 900)
    ten = _known_batch_queries(wa_channel, django_assert_max_num_queries, 10, 100)
    forty = _known_batch_queries(wa_channel, django_assert_max_num_queries, 40, 200)
    assert ten == forty
    assert Message.objects.count() == 90


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claimers_never_process_the_same_event(wa_channel, monkeypatch):
    """A run holding its claim (paused right after it) and a second run at the same
    time: the second takes the next events, never one the first holds, and every
    event is processed exactly once."""
    at = int(time.time()) - 600
    _warm(4, at)
    ids = [_store(_text(n, at, customer=n % 4)) for n in range(8)]
    claimed, release = threading.Event(), threading.Event()
    first_run = {}
    errors = []
    taken: dict[str, list[str]] = {}
    real = routing.handler("messages_received")

    def spy(*, items):
        name = threading.current_thread().name
        taken.setdefault(name, []).extend(item["external_id"] for item in items)
        return real(items=items)

    def hold():
        claimed.set()
        release.wait(30)

    def other_run():
        try:
            first_run["batch"] = inbound.process_batch(0, limit=4, drain=True, when_full=hold)
        except Exception as exc:  # surfaced by the asserts below
            errors.append(exc)
        finally:
            connection.close()

    monkeypatch.setitem(routing.HANDLERS, "messages_received", spy)
    thread = threading.Thread(target=other_run, name="first")
    thread.start()
    try:
        assert claimed.wait(30)
        second = inbound.process_batch(0, limit=4, drain=True)
    finally:
        release.set()
        thread.join(30)
    assert errors == []
    assert (first_run["batch"].processed, second.processed) == (4, 4)
    # The paused run holds the four oldest; the other took the four after them.
    assert taken == {
        "first": [f"wamid.S{n}" for n in range(4)],
        threading.current_thread().name: [f"wamid.S{n}" for n in range(4, 8)],
    }
    events = InboundEvent.objects.filter(pk__in=ids)
    assert list(events.order_by("id").values_list("attempts", flat=True)) == [1] * 8
    assert set(events.values_list("status", flat=True)) == {"processed"}
    assert Message.objects.filter(external_id__in=[f"wamid.S{n}" for n in range(8)]).count() == 8
    assert Event.objects.filter(type="message.received").count() == 12
    for conversation in Conversation.objects.all():
        assert (
            conversation.message_count == Message.objects.filter(conversation=conversation).count()
        )
