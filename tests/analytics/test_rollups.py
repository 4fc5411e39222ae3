"""The analytics rollups (MessageStat, ConversationStat, FirstResponse) that the
database triggers keep must always equal a recomputation from the raw messages
and conversations — here an independent one in Python, and the SQL one behind
``manage.py rebuild_analytics``."""

import datetime as dt
import json
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from conversations import services
from conversations.analytics_rollups import rebuild
from conversations.models import (
    Conversation,
    ConversationStat,
    FirstResponse,
    Message,
    MessageStat,
)
from instantreply.core.timeutil import now

MESSAGE_COUNTERS = ("inbound", "outbound", "failed", "delivered", "settled")


def bucket(at: dt.datetime) -> dt.datetime:
    at = at.astimezone(dt.UTC)
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def _nonzero(table: dict) -> dict:
    return {key: tuple(v) for key, v in table.items() if any(v)}


def stored() -> dict:
    """The rollups as readers see them: shards summed, empty buckets dropped."""
    messages = defaultdict(lambda: [0] * 5)
    for row in MessageStat.objects.all():
        key = (row.workspace_id, row.livemode, row.channel_id, row.bucket_start)
        for i, name in enumerate(MESSAGE_COUNTERS):
            messages[key][i] += getattr(row, name)
    conversations = defaultdict(lambda: [0, 0])
    for row in ConversationStat.objects.all():
        key = (row.workspace_id, row.livemode, row.channel_id, row.bucket_start)
        conversations[key][0] += row.started
        conversations[key][1] += row.closed
    openings = {
        row.conversation_id: (
            row.workspace_id,
            row.livemode,
            row.channel_id,
            row.conversation_created_at,
            row.opened_at,
            row.replied_at,
        )
        for row in FirstResponse.objects.all()
    }
    return {
        "messages": _nonzero(messages),
        "conversations": _nonzero(conversations),
        "openings": openings,
    }


def recomputed() -> dict:
    messages = defaultdict(lambda: [0] * 5)
    by_conversation = defaultdict(list)
    for m in Message.objects.order_by("created_at", "id"):
        key = (m.workspace_id, m.livemode, m.channel_id, bucket(m.created_at))
        outbound = m.direction == "outbound"
        flags = (
            m.direction == "inbound",
            outbound,
            m.status == "failed",
            outbound and m.status in ("delivered", "read"),
            outbound and m.status in ("sent", "delivered", "read", "failed"),
        )
        for i, flag in enumerate(flags):
            messages[key][i] += int(flag)
        by_conversation[m.conversation_id].append(m)
    conversations = defaultdict(lambda: [0, 0])
    openings = {}
    for c in Conversation.objects.all():
        conversations[(c.workspace_id, c.livemode, c.channel_id, bucket(c.created_at))][0] += 1
        if c.closed_at is not None:
            key = (c.workspace_id, c.livemode, c.channel_id, bucket(c.closed_at))
            conversations[key][1] += 1
        thread = by_conversation.get(c.id)
        if not thread or thread[0].direction != "inbound":
            continue
        opened = thread[0].created_at
        reply = next(
            (m.created_at for m in thread if m.direction == "outbound" and m.created_at >= opened),
            None,
        )
        openings[c.id] = (c.workspace_id, c.livemode, c.channel_id, c.created_at, opened, reply)
    return {
        "messages": _nonzero(messages),
        "conversations": _nonzero(conversations),
        "openings": openings,
    }


def assert_rollups_exact():
    expected = recomputed()
    assert stored() == expected
    rebuild()
    assert stored() == expected


@pytest.fixture
def receive(channel):
    counter = {"n": 0}

    def receive(contact="15550001111", *, livemode=True, text="Hello"):
        counter["n"] += 1
        message, created = services.inbound_message_receive(
            channel=channel,
            livemode=livemode,
            contact_external_id=contact,
            external_id=f"wamid.rollup{counter['n']}",
            type="text",
            text=text,
            sent_at=now(),
        )
        assert created
        return message

    return receive


def test_rollups_follow_a_mixed_sequence_of_service_calls(
    workspace, channel, api_key, receive, make_key
):
    test_key, _ = make_key(workspace, mode="test")
    first = receive()
    conversation = first.conversation
    assert_rollups_exact()

    def send(conv, key):
        return services.message_send(conversation=conv, api_key=key, text="On it")

    # queued → sending → sent → delivered → read
    reply = send(conversation, api_key[0])
    assert_rollups_exact()
    claimed = services.message_claim_for_sending(message_id=reply.id)
    services.message_mark_sent(message=claimed, external_id="wamid.out1", at=now())
    services.message_status_apply(
        channel=channel, external_id="wamid.out1", status="delivered", at=now()
    )
    assert_rollups_exact()
    services.message_status_apply(
        channel=channel, external_id="wamid.out1", status="read", at=now()
    )
    # A late failure report after read is ignored; a stale "sent" too.
    services.message_status_apply(
        channel=channel, external_id="wamid.out1", status="sent", at=now()
    )
    assert_rollups_exact()

    # A second reply fails before reaching Meta; a third is sent, fails, then is
    # delivered after all (Meta sends such sequences).
    failing = services.message_claim_for_sending(message_id=send(conversation, api_key[0]).id)
    services.message_mark_failed(message=failing, code="131026", source="meta")
    third = services.message_claim_for_sending(message_id=send(conversation, api_key[0]).id)
    services.message_mark_sent(message=third, external_id="wamid.out3", at=now())
    services.message_status_apply(
        channel=channel, external_id="wamid.out3", status="failed", at=now(), error={"code": 1}
    )
    assert_rollups_exact()
    services.message_status_apply(
        channel=channel, external_id="wamid.out3", status="delivered", at=now()
    )
    assert_rollups_exact()

    # Closed, then re-opened by the customer, answered from Meta's own app.
    services.conversation_update(conversation=conversation, changes={"status": "closed"})
    assert_rollups_exact()
    receive(text="Me again")
    assert Conversation.objects.get(pk=conversation.pk).status == "active"
    services.outbound_echo_record(
        channel=channel,
        livemode=True,
        contact_external_id="15550001111",
        external_id="wamid.echo1",
        type="text",
        text="typed in the app",
        sent_at=now(),
    )
    assert_rollups_exact()

    # Test mode, another customer: the first message and an unanswered opening.
    receive("15550002222", livemode=False)
    test_first = receive("15550003333", livemode=False)
    services.message_send(conversation=test_first.conversation, api_key=test_key, text="Test reply")
    assert_rollups_exact()
    assert FirstResponse.objects.filter(livemode=False, replied_at__isnull=True).count() == 1


def test_rollups_follow_raw_writes_moves_and_deletes(workspace, channel, receive, make_contact):
    first = receive()
    conversation = first.conversation
    later = receive(text="later")
    reply = Message.objects.create(
        workspace_id=workspace.id,
        conversation=conversation,
        channel=channel,
        direction="outbound",
        status="delivered",
        sender_type="api",
    )
    assert FirstResponse.objects.get(pk=conversation.pk).replied_at == reply.created_at
    # Moved to other buckets (and other days), and the opener moved after the reply.
    Message.objects.filter(pk=reply.pk).update(created_at=reply.created_at - dt.timedelta(hours=3))
    Message.objects.filter(pk=first.pk).update(created_at=first.created_at + dt.timedelta(days=1))
    assert_rollups_exact()
    assert FirstResponse.objects.filter(pk=conversation.pk).count() == 0  # opens with a reply

    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=conversation.created_at - dt.timedelta(days=2),
        closed_at=now(),
        status="closed",
    )
    assert_rollups_exact()

    # Bulk inserts fire the triggers row by row.
    other = Conversation.objects.create(
        workspace_id=workspace.id, channel=channel, contact=make_contact()
    )
    Message.objects.bulk_create(
        [
            Message(
                workspace_id=workspace.id,
                conversation=other,
                channel=channel,
                direction=direction,
                status=status,
                sender_type="contact" if direction == "inbound" else "api",
                created_at=now() - dt.timedelta(minutes=minutes),
            )
            for minutes, direction, status in (
                (50, "inbound", "received"),
                (40, "outbound", "failed"),
                (20, "outbound", "sent"),
            )
        ]
    )
    assert_rollups_exact()

    Message.objects.filter(pk=later.pk).delete()
    assert_rollups_exact()
    conversation.delete()  # cascades to its messages
    assert_rollups_exact()
    assert not FirstResponse.objects.filter(pk=conversation.pk).exists()
    assert set(MessageStat.objects.values_list("channel_id", flat=True)) == {channel.id}


def test_rebuild_analytics_restores_lost_rollups(workspace, other_workspace, channel, receive):
    receive()
    receive("15550004444")
    expected = stored()
    assert expected["messages"] and expected["openings"]
    MessageStat.objects.all().delete()
    ConversationStat.objects.all().delete()
    FirstResponse.objects.update(replied_at=now())

    out = StringIO()
    call_command("rebuild_analytics", "--workspace", workspace.id, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["workspace_id"] == workspace.id
    assert result["message_stats"] >= 1
    assert result["first_responses"] == 2
    assert stored() == expected

    out = StringIO()
    call_command("rebuild_analytics", "--workspace", other_workspace.id, "--json", stdout=out)
    assert json.loads(out.getvalue())["first_responses"] == 0
    assert stored() == expected  # another workspace's rebuild leaves these alone


def test_rebuild_analytics_refuses_an_unknown_workspace(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no workspace"):
        call_command("rebuild_analytics", "--workspace", "ws_missing")


def test_rollups_follow_a_batch_of_inbound_messages_in_one_insert(
    workspace, channel, api_key, receive
):
    """The set-based inbound path writes a batch with one multi-row INSERT (counted
    once per statement on PostgreSQL): later messages, a first reply still missing,
    and a message that arrived before a conversation's opening (two workers may
    commit out of arrival order) all leave the rollups a recomputation gives."""
    opened = receive("15550004444")
    replied = receive("15550005555")
    services.message_send(conversation=replied.conversation, api_key=api_key[0], text="Hi")
    assert_rollups_exact()

    def item(contact, n, received_at):
        return {
            "channel": channel,
            "livemode": True,
            "contact_external_id": contact,
            "external_id": f"wamid.batch{n}",
            "type": "text",
            "text": f"batch {n}",
            "sent_at": now(),
            "received_at": received_at,
        }

    results = services.inbound_messages_receive(
        items=[
            item("15550004444", 1, now()),
            item("15550005555", 2, now()),
            # Arrived before the opening this conversation has: it becomes the opening.
            item("15550004444", 3, opened.created_at - dt.timedelta(seconds=30)),
            item("15550005555", 4, now() + dt.timedelta(seconds=1)),
        ]
    )
    assert [created for _, created in results] == [True] * 4
    assert FirstResponse.objects.get(conversation_id=opened.conversation_id).opened_at == (
        opened.created_at - dt.timedelta(seconds=30)
    )
    assert_rollups_exact()
