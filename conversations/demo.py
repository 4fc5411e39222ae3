"""Demo conversations for ``manage.py seed_demo``: live and test threads on all
three platforms with inbound and outbound messages in several states. Safe to
re-run: every demo message has a fixed Meta id, so nothing is created twice."""

import datetime as dt

from django.db import transaction
from django.db.models import F

from instantreply.core.timeutil import format_ts, now

from .models import Channel, Conversation, Message, Trigger
from .serializers import delivery_error
from .services import inbound_message_receive
from .services._common import preview_of

# (platform, contact external id, hours ago of the customer's message, inbound text,
#  our reply or None, the reply's final status)
THREADS = [
    (
        "whatsapp",
        "14155550123",
        1,
        "Hi! Do you ship whole beans to San Francisco?",
        "Yes, we ship nationwide in 2-3 days. Which roast would you like?",
        "read",
    ),
    (
        "whatsapp",
        "447700900123",
        5,
        "Is the Ethiopia Yirgacheffe back in stock?",
        "It is! 250 g and 1 kg bags are available today.",
        "delivered",
    ),
    ("whatsapp", "5511987654321", 50, "Obrigada, chegou tudo certo!", None, None),
    (
        "instagram",
        "6543210987654321",
        3,
        "Love the new espresso blend. Any decaf version?",
        "Not yet, but a Swiss Water decaf lands next month.",
        "read",
    ),
    ("instagram", "6543210987654322", 72, "Do you have gift cards?", None, None),
    (
        "messenger",
        "7654321098765432",
        2,
        "My order #1042 hasn't arrived yet.",
        "Sorry about that! It left our roastery yesterday; tracking is on its way.",
        "failed",
    ),
    (
        "messenger",
        "7654321098765433",
        8,
        "Can I change my grind to espresso?",
        "Done: order #1043 is now ground for espresso.",
        "sent",
    ),
]

_TIMELINE = {
    "sent": ["queued", "sending", "sent"],
    "delivered": ["queued", "sending", "sent", "delivered"],
    "read": ["queued", "sending", "sent", "delivered", "read"],
    "failed": ["queued", "sending", "failed"],
}


def _demo_id(livemode: bool, kind: str, contact: str) -> str:
    return f"demo.{'live' if livemode else 'test'}.{kind}.{contact}"


def _seed_reply(conversation: Conversation, channel: Channel, text: str, status: str, at) -> bool:
    external_id = _demo_id(conversation.livemode, "out", conversation.contact_id)
    if Trigger.objects.filter(conversation=conversation, metadata__demo=external_id).exists():
        return False
    failed = status == "failed"
    message = Message.objects.create(
        workspace_id=conversation.workspace_id,
        livemode=conversation.livemode,
        conversation=conversation,
        channel=channel,
        direction="outbound",
        type="text",
        text=text,
        status=status,
        sender_type="api",
        external_id=None if failed else external_id,
        error=delivery_error("551", "meta") if failed else None,
        sent_at=None if failed else at,
        created_at=at,
        status_updated_at=at + dt.timedelta(minutes=len(_TIMELINE[status])),
    )
    Trigger.objects.create(
        workspace_id=conversation.workspace_id,
        livemode=conversation.livemode,
        message=message,
        conversation=conversation,
        contact_id=conversation.contact_id,
        channel=channel,
        # Marks the demo reply (a failed one has no Meta id) so re-runs skip it.
        metadata={"demo": external_id},
        timeline=[
            {
                "state": state,
                "at": format_ts(at + dt.timedelta(seconds=i)),
                "detail": "551: This person isn't available right now"
                if state == "failed"
                else None,
            }
            for i, state in enumerate(_TIMELINE[status])
        ],
        created_at=at,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        message_count=F("message_count") + 1,
        last_message_at=at,
        last_message_preview=preview_of("text", text),
        updated_at=now(),
    )
    return True


@transaction.atomic
def seed_conversations(workspace) -> dict:
    channels = {
        c.platform: c for c in Channel.objects.filter(workspace=workspace, status="connected")
    }
    created_messages = 0
    conversation_ids = set()
    for livemode in (True, False):
        for platform, contact, hours_ago, inbound_text, reply, status in THREADS:
            channel = channels.get(platform)
            if channel is None:
                continue
            sent_at = now() - dt.timedelta(hours=hours_ago)
            message, created = inbound_message_receive(
                channel=channel,
                livemode=livemode,
                contact_external_id=contact,
                external_id=_demo_id(livemode, "in", contact),
                type="text",
                text=inbound_text,
                sent_at=sent_at,
            )
            created_messages += int(created)
            conversation_ids.add(message.conversation_id)
            if reply:
                conversation = Conversation.objects.get(pk=message.conversation_id)
                reply_at = sent_at + dt.timedelta(minutes=4)
                created_messages += int(_seed_reply(conversation, channel, reply, status, reply_at))
    return {"conversations": len(conversation_ids), "messages_created": created_messages}
