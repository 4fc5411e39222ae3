"""A backlog of stored webhook events is worked off in batches (§10): one processing
task takes the waiting events with it, the tasks of events a batch took return at
once, and one bad event in a batch does not stop or roll back the others."""

import datetime as dt
import json
import time

import pytest
from django.db import OperationalError

from conversations.models import Channel, Conversation, Message
from instantreply.core.timeutil import now
from instantreply.meta import inbound, routing
from instantreply.meta.models import InboundEvent
from instantreply.meta.tasks import process_inbound_event

from .conftest import WA_PHONE_ID, replace_receive
from .payloads import whatsapp_text

pytestmark = pytest.mark.django_db


def _store(payload) -> int:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return InboundEvent.objects.create(body=body, headers={}).id


def _text(n: int, at: int, customer: int = 0) -> dict:
    return whatsapp_text(
        WA_PHONE_ID, wamid=f"wamid.B{n}", wa_id=f"1415555{customer:04d}", timestamp=at + n
    )


def test_a_backlog_is_processed_by_fewer_tasks_than_events(wa_channel, monkeypatch):
    at = int(time.time()) - 600
    count = inbound.BATCH_SIZE + 5
    ids = [_store(_text(n, at, customer=n % 3)) for n in range(count)]

    worked = []
    real = inbound.process_batch

    def spy(event_id, *args, **kwargs):
        batch = real(event_id, *args, **kwargs)
        worked.append(batch.processed)
        return batch

    monkeypatch.setattr(inbound, "process_batch", spy)
    # The queue holds one task per event, run in order as a worker would.
    assert [process_inbound_event(event_id) for event_id in ids] == ["processed"] * count

    assert sum(worked) == count
    busy = [n for n in worked if n]
    assert busy == [inbound.BATCH_SIZE + 1, count - inbound.BATCH_SIZE - 1]
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert Message.objects.count() == count
    for conversation in Conversation.objects.all():
        messages = Message.objects.filter(conversation=conversation)
        assert conversation.message_count == conversation.unread_count == messages.count()
        latest = messages.order_by("-sent_at").first()
        assert conversation.last_message_at == latest.sent_at
        assert conversation.last_inbound_at == latest.sent_at


def test_one_bad_event_in_a_batch_does_not_stop_or_undo_the_others(wa_channel, monkeypatch):
    at = int(time.time()) - 600
    first = _store(_text(1, at))
    not_json = _store(b"{not json")
    # Two messages; the second one's content makes the parser itself raise, so the
    # whole event is undone, the first message included.
    crashing = _text(2, at)
    crashing["entry"][0]["changes"][0]["value"]["messages"].append(
        dict(_text(3, at)["entry"][0]["changes"][0]["value"]["messages"][0], type="boom")
    )
    crashing = _store(crashing)
    rejected = _store(_text(4, at))
    last = _store(_text(5, at))

    real_content = inbound._whatsapp_content

    def content(message):
        if message.get("type") == "boom":
            raise KeyError("boom")
        return real_content(message)

    real_receive = routing.handler("message_received")

    def receive(**kwargs):
        if kwargs["external_id"] == "wamid.B4":
            raise ValueError("rejected by the service")
        return real_receive(**kwargs)

    monkeypatch.setattr(inbound, "_whatsapp_content", content)
    replace_receive(monkeypatch, receive)

    batch = inbound.process_batch(first)
    assert batch.processed == 5
    assert batch.left == []
    status = dict(InboundEvent.objects.values_list("id", "status"))
    assert status == {
        first: "processed",
        not_json: "failed",
        crashing: "failed",
        rejected: "failed",
        last: "processed",
    }
    reasons = dict(InboundEvent.objects.values_list("id", "reason"))
    assert "not valid JSON" in reasons[not_json]
    assert "KeyError" in reasons[crashing]
    assert "rejected by the service" in reasons[rejected]
    assert sorted(Message.objects.values_list("external_id", flat=True)) == [
        "wamid.B1",
        "wamid.B5",
    ]
    assert Conversation.objects.get().message_count == 2
    assert all(e.attempts == 1 for e in InboundEvent.objects.all())


def test_a_lock_conflict_mid_batch_keeps_the_work_done_and_hands_back_the_rest(
    wa_channel, monkeypatch
):
    at = int(time.time()) - 600
    ids = [_store(_text(n, at)) for n in range(4)]
    real_receive = routing.handler("message_received")

    def receive(**kwargs):
        if kwargs["external_id"] == "wamid.B2":
            raise OperationalError("deadlock detected")
        return real_receive(**kwargs)

    replace_receive(monkeypatch, receive)
    batch = inbound.process_batch(ids[0])
    assert batch.processed == 2
    assert batch.left == ids[2:]
    status = list(InboundEvent.objects.order_by("id").values_list("status", flat=True))
    assert status == ["processed", "processed", "received", "received"]
    assert Message.objects.count() == 2

    # The task queues the events handed back; run again, they complete.
    queued = []
    replace_receive(monkeypatch, real_receive)
    monkeypatch.setattr(process_inbound_event, "delay", queued.append)
    assert process_inbound_event(ids[2]) == "processed"
    assert queued == []
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_a_deferred_event_waits_for_its_own_retry_not_for_other_batches(wa_channel):
    at = int(time.time()) - 600
    deferred = _store(_text(1, at))
    InboundEvent.objects.filter(pk=deferred).update(processed_at=wa_channel.created_at, attempts=1)
    fresh = _store(_text(2, at))

    assert inbound.process_batch(fresh).processed == 1
    assert InboundEvent.objects.get(pk=deferred).status == "received"
    # Its own run (the sweeper's) still takes it.
    assert process_inbound_event(deferred) == "processed"
    assert InboundEvent.objects.get(pk=deferred).attempts == 2


def test_a_task_whose_event_is_gone_or_done_does_nothing(wa_channel, django_assert_num_queries):
    done = _store(_text(1, 0))
    inbound.process_batch(done)
    waiting = _store(_text(2, 0))
    with django_assert_num_queries(1):
        assert process_inbound_event(done) == "processed"
    with django_assert_num_queries(1):
        assert process_inbound_event(10**9) is None
    assert InboundEvent.objects.get(pk=waiting).status == "received"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_events_another_run_holds_are_skipped_not_waited_for(wa_channel):
    import threading

    from django.db import connection, transaction

    at = int(time.time()) - 600
    held, free = _store(_text(1, at)), _store(_text(2, at))
    locked, release = threading.Event(), threading.Event()

    def other_run():
        try:
            with transaction.atomic():
                InboundEvent.objects.select_for_update().get(pk=held)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert locked.wait(30)
        batch = inbound.process_batch(held)
        assert batch.own is None
        assert batch.processed == 1
        assert InboundEvent.objects.get(pk=free).status == "processed"
        assert InboundEvent.objects.get(pk=held).status == "received"
    finally:
        release.set()
        thread.join(30)


# Ten known customers writing again, in one batch: the own event's status check, the
# two locking claims, the channel once, the run's savepoint, then set-based (see
# test_inbound_set_based.py): the stored Meta ids, the handles, the locked
# conversations, one INSERT of the messages, one UPDATE of the conversations, one of
# the contacts, one INSERT of the events, and one UPDATE of the statuses. It was 127
# (about 12.7 queries a message) before the set-based path.
BATCH_OF_TEN_QUERIES = 16


def test_a_batch_of_known_customers_stays_within_its_query_budget(
    wa_channel, django_assert_max_num_queries
):
    at = int(time.time()) - 600
    warm = [_store(_text(n, at, customer=n)) for n in range(10)]
    inbound.process_batch(warm[0])
    ids = [_store(_text(100 + n, at, customer=n)) for n in range(10)]
    # A busy channel: its health timestamp is under a second old, so the batch does not
    # refresh it (on a loaded machine the warm batch can end more than a second ago).
    Channel.objects.filter(pk=wa_channel.pk).update(last_event_at=now() + dt.timedelta(minutes=1))
    with django_assert_max_num_queries(BATCH_OF_TEN_QUERIES):
        batch = inbound.process_batch(ids[0])
    assert batch.processed == 10
    assert Message.objects.count() == 20
