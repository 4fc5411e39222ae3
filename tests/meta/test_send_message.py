"""conversations.tasks.send_message: at most once to Meta, retries only when
nothing can have been sent (§10)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from conversations import services
from conversations.models import Message
from conversations.tasks import send_message, sweep_messages
from instantreply.core.timeutil import now

from .conftest import IG_ACCOUNT_ID

WA_REPLY_BODY = {
    "messaging_product": "whatsapp",
    "recipient_type": "individual",
    "to": "14155550123",
    "type": "text",
    "text": {"body": "Your order ships today"},
}


def inbound(channel, external_id="wamid.IN1", contact="14155550123", livemode=True):
    message, _ = services.inbound_message_receive(
        channel=channel,
        livemode=livemode,
        contact_external_id=contact,
        contact_name="Ana",
        external_id=external_id,
        type="text",
        text="hi",
        sent_at=now() - dt.timedelta(minutes=5),
    )
    return message.conversation


def queue_reply(conversation, api_key, **kwargs):
    """A reply queued by the domain service, without running its enqueue."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("conversations.services.sending.enqueue_send", lambda message_id: None)
        return services.message_send(
            conversation=conversation, api_key=api_key, text="Your order ships today", **kwargs
        )


def sends(sim):
    return [r for r in sim.state.requests if r["path"].endswith("/messages")]


@pytest.mark.django_db
def test_a_reply_reaches_meta_once_with_the_documented_body(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    assert send_message(message.id) == "sent"
    [request] = sends(sim)
    assert request["body"] == WA_REPLY_BODY
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.external_id.startswith("wamid.")
    assert message.sent_at is not None


@pytest.mark.django_db
def test_a_second_run_of_the_task_sends_nothing(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    send_message(message.id)
    assert send_message(message.id) == "not-claimed"
    assert len(sends(sim)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_exactly_once(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"delay_next": 0.3})  # hold the winner inside its Meta call
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(send_message(message.id))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["not-claimed", "sent"]
    assert len(sends(sim)) == 1
    assert sends(sim)[0]["body"] == WA_REPLY_BODY


@pytest.mark.django_db
def test_instagram_replies_use_the_human_agent_tag_when_asked(sim, ig_channel, api_key):
    conversation = inbound(ig_channel, external_id="ig-in-1", contact="5511")
    message = queue_reply(conversation, api_key[0], tag="human_agent")
    send_message(message.id)
    assert sends(sim)[0]["path"] == f"/{IG_ACCOUNT_ID}/messages"
    assert sends(sim)[0]["body"] == {
        "recipient": {"id": "5511"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": {"text": "Your order ships today"},
    }


@pytest.fixture
def inline_retries():
    """Eager Celery runs a task's retries inline (without the countdown) only when it
    does not propagate the Retry; a real worker waits 2 s, 4 s… (see test_worker.py)."""
    from instantreply.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.mark.django_db
def test_meta_500_is_retried_and_sent_once(sim, wa_channel, api_key, inline_retries):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"fail_next": 2})
    send_message.delay(message.id)
    assert len(sends(sim)) == 3
    message.refresh_from_db()
    assert message.status == "sent"


@pytest.mark.django_db
def test_meta_failing_every_retry_fails_the_message_as_meta_unreachable(
    sim, wa_channel, api_key, inline_retries
):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"fail_next": 10})
    send_message.delay(message.id)
    assert len(sends(sim)) == 6
    message.refresh_from_db()
    assert message.status == "failed"
    assert (message.error["source"], message.error["code"]) == ("platform", "META_UNREACHABLE")
    assert message.error["fault"] == "meta"


@pytest.mark.django_db
def test_throttling_to_the_end_keeps_metas_code(sim, wa_channel, api_key, inline_retries):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"error": {"code": 131056, "http_status": 400, "count": 10}})
    send_message.delay(message.id)
    assert len(sends(sim)) == 6
    message.refresh_from_db()
    assert (message.error["source"], message.error["code"]) == ("meta", "131056")


@pytest.mark.django_db
def test_a_channel_that_failed_meanwhile_sends_nothing(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    services.channel_set_status(channel=wa_channel, status="error", error_code="190")
    send_message(message.id)
    assert sends(sim) == []
    message.refresh_from_db()
    assert (message.status, message.error["code"]) == ("failed", "CHANNEL_UNAVAILABLE")


@pytest.mark.django_db
def test_meta_131047_fails_the_message_with_fault_business(sim, wa_channel, api_key, api_client):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"error": {"code": 131047, "http_status": 400}})
    assert send_message(message.id) == "failed"
    assert len(sends(sim)) == 1
    message.refresh_from_db()
    assert message.status == "failed"
    assert (message.error["source"], message.error["code"]) == ("meta", "131047")
    assert message.error["fault"] == "business"
    trigger = api_client.get(f"/v1/trigger/status/{message.id}").json()["data"]
    assert (trigger["state"], trigger["fault"], trigger["retryable"]) == (
        "failed",
        "business",
        False,
    )
    assert "template" in trigger["next_step"]


@pytest.mark.django_db
def test_a_read_timeout_after_sending_fails_with_an_unknown_outcome_and_is_not_resent(
    sim, wa_channel, api_key, api_client, monkeypatch
):
    from instantreply.meta import client

    monkeypatch.setattr(client, "READ_TIMEOUT", 0.3)
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"delay_next": 1.0})
    assert send_message.delay(message.id).get() == "unknown-outcome"
    message.refresh_from_db()
    assert message.status == "failed"
    assert (message.error["source"], message.error["code"]) == ("platform", "UNKNOWN_OUTCOME")
    assert message.error["fault"] == "unknown"
    trigger = api_client.get(f"/v1/trigger/status/{message.id}").json()["data"]
    assert (trigger["fault"], trigger["retryable"]) == ("unknown", False)
    assert trigger["next_step"]
    assert send_message(message.id) == "not-claimed"
    sweep_messages()
    assert len(sends(sim)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("code", [190, 0])
def test_a_token_error_moves_the_channel_to_error(sim, wa_channel, api_key, code):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"error": {"code": code, "http_status": 401}})
    send_message(message.id)
    wa_channel.refresh_from_db()
    assert wa_channel.status == "error"
    assert wa_channel.last_error_code == str(code)
    assert wa_channel.last_error_message
    message.refresh_from_db()
    assert message.status == "failed"


@pytest.mark.django_db
def test_a_request_error_leaves_the_channel_connected(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    sim.state.configure({"error": {"code": 131026, "http_status": 400}})
    send_message(message.id)
    wa_channel.refresh_from_db()
    assert wa_channel.status == "connected"


@pytest.mark.django_db
def test_test_mode_never_reaches_meta(sim, wa_channel, test_client):
    from instantreply.core.models import ApiKey

    test_key = ApiKey.objects.get(mode="test")
    message = queue_reply(inbound(wa_channel, livemode=False), test_key)
    assert send_message(message.id) == "simulated"
    assert sim.state.requests == []
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.external_id


@pytest.mark.django_db
def test_test_mode_simulates_the_chosen_meta_error(sim, wa_channel, test_client):
    from instantreply.core.models import ApiKey

    test_key = ApiKey.objects.get(mode="test")
    message = queue_reply(
        inbound(wa_channel, livemode=False), test_key, simulate_error_code="131047"
    )
    send_message(message.id)
    assert sim.state.requests == []
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.error["code"] == "131047"


@pytest.mark.django_db
def test_the_sweeper_sends_a_message_whose_enqueue_was_lost(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    assert sweep_messages()["requeued"] == 0  # still within its grace period
    Message.objects.filter(pk=message.pk).update(status_updated_at=now() - dt.timedelta(minutes=2))
    assert sweep_messages()["requeued"] == 1
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(sends(sim)) == 1


@pytest.mark.django_db
def test_the_sweeper_fails_a_send_whose_worker_died(sim, wa_channel, api_key):
    message = queue_reply(inbound(wa_channel), api_key[0])
    services.message_claim_for_sending(message_id=message.id)
    assert sweep_messages()["failed_stuck"] == 0
    Message.objects.filter(pk=message.pk).update(status_updated_at=now() - dt.timedelta(minutes=10))
    assert sweep_messages()["failed_stuck"] == 1
    message.refresh_from_db()
    assert message.status == "failed"
    assert (message.error["code"], message.error["fault"]) == ("SEND_INTERRUPTED", "unknown")
    assert sends(sim) == []


@pytest.mark.django_db
def test_a_template_send_reaches_meta_with_the_documented_body(sim, wa_channel, api_key):
    from templates_app.models import Template

    template = Template.objects.create(
        workspace_id=wa_channel.workspace_id,
        channel=wa_channel,
        name="order_update",
        language="en_US",
        category="utility",
        status="approved",
        components=[
            {"type": "body", "text": "Hi {{1}}, order {{2}} shipped", "format": None, "buttons": []}
        ],
        variable_count=2,
        meta_template_id="1234567890",
    )
    conversation = inbound(wa_channel)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("conversations.services.sending.enqueue_send", lambda message_id: None)
        message = services.message_send(
            conversation=conversation,
            api_key=api_key[0],
            template={"id": template.id, "variables": ["Ana", "#1234"]},
        )
    assert send_message(message.id) == "sent"
    assert sends(sim)[0]["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "14155550123",
        "type": "template",
        "template": {
            "name": "order_update",
            "language": {"code": "en_US"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Ana"},
                        {"type": "text", "text": "#1234"},
                    ],
                }
            ],
        },
    }
