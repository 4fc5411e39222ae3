import datetime as dt

import pytest

from conversations.models import Message, Trigger
from conversations.services import (
    message_claim_for_sending,
    message_mark_failed,
    message_mark_sent,
    message_status_apply,
)
from conversations.services.delivery import accepts
from instantreply.core.timeutil import now
from webhooks.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_message(channel, conversation, send):
    message = send(conversation)
    claimed = message_claim_for_sending(message_id=message.id)
    return message_mark_sent(message=claimed, external_id="wamid.OUT1", at=now())


def _apply(channel, status, at, error=None):
    return message_status_apply(
        channel=channel, external_id="wamid.OUT1", status=status, at=at, error=error
    )


def _events(message):
    return list(
        Event.objects.filter(object_id=message.id)
        .order_by("created_at", "id")
        .values_list("type", flat=True)
    )


@pytest.mark.parametrize(
    "current,reported,moves",
    [
        ("queued", "sending", True),
        ("sent", "delivered", True),
        ("sent", "read", True),
        ("delivered", "read", True),
        ("read", "delivered", False),
        ("delivered", "sent", False),
        ("read", "read", False),
        ("queued", "failed", True),
        ("sending", "failed", True),
        ("sent", "failed", True),
        ("delivered", "failed", False),
        ("read", "failed", False),
        ("failed", "delivered", True),
        ("failed", "read", True),
        ("failed", "sent", False),
        ("failed", "failed", False),
    ],
)
def test_status_order(current, reported, moves):
    assert accepts(current, reported) is moves


def test_claim_is_exclusive(conversation, send):
    message = send(conversation)
    first = message_claim_for_sending(message_id=message.id)
    second = message_claim_for_sending(message_id=message.id)
    assert first is not None and first.status == "sending"
    assert second is None


def test_sent_delivered_read_emit_once_each(channel, sent_message):
    t0 = now()
    _apply(channel, "sent", t0)  # Meta's own sent report after our mark_sent
    _apply(channel, "delivered", t0 + dt.timedelta(seconds=1))
    _apply(channel, "read", t0 + dt.timedelta(seconds=2))
    message = Message.objects.get(pk=sent_message.pk)
    assert message.status == "read"
    assert _events(message) == ["message.sent", "message.delivered", "message.read"]


def test_late_delivered_after_read_is_ignored_but_kept_in_the_timeline(channel, sent_message):
    t0 = now()
    _apply(channel, "read", t0 + dt.timedelta(seconds=2))
    _apply(channel, "delivered", t0 + dt.timedelta(seconds=1))
    message = Message.objects.get(pk=sent_message.pk)
    assert message.status == "read"
    assert "message.delivered" not in _events(message)
    timeline = Trigger.objects.get(message=message).timeline
    states = [e["state"] for e in timeline]
    # Meta's time order, not arrival order.
    assert states == ["queued", "sending", "sent", "delivered", "read"]
    assert "ignored" in timeline[3]["detail"]


def test_delivered_replaces_failed_and_clears_the_error(channel, sent_message):
    t0 = now()
    failed = _apply(
        channel,
        "failed",
        t0,
        error={"code": "131000", "title": "Something went wrong", "message": None},
    )
    assert failed.status == "failed" and failed.error["code"] == "131000"
    delivered = _apply(channel, "delivered", t0 + dt.timedelta(seconds=1))
    assert delivered.status == "delivered" and delivered.error is None
    assert _events(delivered) == ["message.sent", "message.failed", "message.delivered"]


def test_failed_after_delivered_is_ignored(channel, sent_message):
    _apply(channel, "delivered", now())
    message = _apply(channel, "failed", now(), error={"code": "131026"})
    assert message.status == "delivered" and message.error is None


def test_sent_after_failed_does_not_resurrect(channel, sent_message):
    _apply(channel, "failed", now(), error={"code": "131047"})
    message = _apply(channel, "sent", now())
    assert message.status == "failed"


def test_failure_error_uses_the_catalogue(channel, sent_message):
    message = _apply(
        channel,
        "failed",
        now(),
        error={"code": "131047", "title": "Re-engagement message", "message": "More than 24 hours"},
    )
    assert message.error == {
        "source": "meta",
        "code": "131047",
        "title": "Re-engagement message",
        "message": "More than 24 hours",
        "fault": "business",
        "doc_url": message.error["doc_url"],
    }
    assert message.error["doc_url"].endswith("/errors#131047")


def test_unknown_meta_id_gives_none(channel):
    assert (
        message_status_apply(channel=channel, external_id="wamid.nope", status="read", at=now())
        is None
    )


def test_mark_failed_with_platform_code(conversation, send):
    message = message_claim_for_sending(message_id=send(conversation).id)
    failed = message_mark_failed(
        message=message, code="UNKNOWN_OUTCOME", source="platform", detail="read timeout after 10 s"
    )
    assert failed.status == "failed"
    assert failed.error["source"] == "platform" and failed.error["fault"] == "unknown"
    assert failed.error["message"] == "read timeout after 10 s"
    assert _events(failed) == ["message.failed"]
    # A second failure report changes nothing and emits nothing.
    again = message_mark_failed(message=failed, code="META_UNREACHABLE", source="platform")
    assert again.error["code"] == "UNKNOWN_OUTCOME"
    assert _events(failed) == ["message.failed"]


def test_mark_sent_replaces_an_early_echo_of_the_same_send(ig_channel, receive, send):
    from conversations.services import outbound_echo_record

    conversation = receive(ig_channel, contact="ig-user-1").conversation
    message = message_claim_for_sending(message_id=send(conversation).id)
    outbound_echo_record(
        channel=ig_channel,
        livemode=True,
        contact_external_id="ig-user-1",
        external_id="mid.ours",
        type="text",
        text="Thanks!",
        sent_at=now(),
    )
    sent = message_mark_sent(message=message, external_id="mid.ours", at=now())
    assert sent.status == "sent" and sent.external_id == "mid.ours"
    assert Message.objects.filter(external_id="mid.ours").count() == 1
    conversation.refresh_from_db()
    assert conversation.message_count == 2


def test_whole_second_meta_time_sorts_after_our_sending_in_the_same_second(conversation, send):
    from instantreply.core.timeutil import format_ts

    message = message_claim_for_sending(message_id=send(conversation).id)
    trigger = Trigger.objects.get(message=message)
    second = now().replace(microsecond=0)
    trigger.timeline = [
        {
            "state": "queued",
            "at": format_ts(second + dt.timedelta(milliseconds=100)),
            "detail": None,
        },
        {
            "state": "sending",
            "at": format_ts(second + dt.timedelta(milliseconds=900)),
            "detail": None,
        },
    ]
    trigger.save()
    message_mark_sent(message=message, external_id="wamid.S", at=second)
    states = [e["state"] for e in Trigger.objects.get(pk=trigger.pk).timeline]
    assert states == ["queued", "sending", "sent"]
