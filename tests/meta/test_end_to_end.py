"""The whole loop over real HTTP: a reply goes to the simulator, whose signed status
webhooks come back to /meta/webhook on a live server; and real Celery workers."""

import datetime as dt
import time

import pytest

from conversations import services
from conversations.models import Message, Trigger
from instantreply.core.timeutil import now
from tests.workers import celery_worker, wait_for

from .payloads import whatsapp_status

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def inbound(channel, external_id="wamid.E2E-IN", contact="14155550123"):
    message, _ = services.inbound_message_receive(
        channel=channel,
        livemode=True,
        contact_external_id=contact,
        contact_name="Ana",
        external_id=external_id,
        type="text",
        text="hi",
        sent_at=now() - dt.timedelta(minutes=5),
    )
    return message.conversation


def sends(sim):
    return [r for r in sim.state.requests if r["path"].endswith("/messages")]


def status_of(message_id):
    return Message.objects.values_list("status", flat=True).get(pk=message_id)


def test_a_reply_moves_sent_delivered_read_from_signed_status_webhooks(
    sim_with_webhooks, wa_channel, api_key
):
    sim = sim_with_webhooks
    message = services.message_send(
        conversation=inbound(wa_channel), api_key=api_key[0], text="Your order ships today"
    )
    wait_for(lambda: status_of(message.id) == "read", timeout=20)
    sim.wait_for_webhooks()
    assert len(sends(sim)) == 1
    assert [w["status"] for w in sim.state.webhooks] == [200, 200, 200]
    timeline = [e["state"] for e in Trigger.objects.get(message_id=message.id).timeline]
    assert timeline[-3:] == ["sent", "delivered", "read"]

    # Meta's out-of-order redelivery: a delivered report arriving after read.
    message.refresh_from_db()
    read_at = int(time.time())
    late = whatsapp_status(wa_channel.external_id, message.external_id, "delivered", read_at - 1)
    assert sim.post_webhook(late) == 200
    assert status_of(message.id) == "read"
    timeline = Trigger.objects.get(message_id=message.id).timeline
    assert "ignored" in (timeline[-1]["detail"] or "") or any(
        "ignored" in (e["detail"] or "") for e in timeline
    )


def test_a_failed_status_webhook_fails_the_sent_message(sim_with_webhooks, wa_channel, api_key):
    sim = sim_with_webhooks
    sim.state.configure({"outcome": {"status": "failed", "code": 131026}})
    message = services.message_send(
        conversation=inbound(wa_channel), api_key=api_key[0], text="Your order ships today"
    )
    wait_for(lambda: status_of(message.id) == "failed", timeout=20)
    message.refresh_from_db()
    assert (message.error["source"], message.error["code"]) == ("meta", "131026")


@pytest.fixture
def via_broker():
    """Tasks queued by this process go to Redis for the real worker, not inline."""
    from instantreply.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.mark.redis
def test_a_worker_retries_a_meta_500_with_backoff_and_sends_once(
    sim, wa_channel, api_key, via_broker
):
    from instantreply.api.request_ids import set_request_id
    from instantreply.core.models import DownstreamCall

    sim.state.configure({"fail_next": 1})
    conversation = inbound(wa_channel)
    with celery_worker(concurrency=1):
        set_request_id("req_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e")  # as inside POST /v1/…/messages
        try:
            message = services.message_send(
                conversation=conversation, api_key=api_key[0], text="Your order ships today"
            )
        finally:
            set_request_id(None)
        wait_for(lambda: status_of(message.id) == "sent", timeout=30)
    assert len(sends(sim)) == 2
    assert sends(sim)[0]["body"] == sends(sim)[1]["body"]
    calls = DownstreamCall.objects.filter(subject_id=message.id).order_by("created_at")
    assert [c.status for c in calls] == [500, 200]
    # The retry, made later by the worker, is still traced to the originating request.
    assert {c.request_id for c in calls} == {"req_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e"}


@pytest.mark.redis
def test_two_worker_processes_running_the_same_send_reach_meta_once(
    sim, wa_channel, api_key, via_broker
):
    from conversations.tasks import send_message

    sim.state.configure({"delay_next": 0.5, "delay_count": 2})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("conversations.services.sending.enqueue_send", lambda message_id: None)
        message = services.message_send(
            conversation=inbound(wa_channel), api_key=api_key[0], text="Your order ships today"
        )
    with celery_worker(concurrency=2):
        for _ in range(2):
            send_message.delay(message.id)
        wait_for(lambda: status_of(message.id) == "sent", timeout=30)
        time.sleep(1.0)  # room for the losing run to (wrongly) send
    assert len(sends(sim)) == 1
