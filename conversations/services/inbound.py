"""Messages that arrive from Meta (or the test-mode simulator): customer messages
and echoes of replies typed in Meta's own apps."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, Subquery, prefetch_related_objects

from contacts.models import Contact, ContactHandle
from contacts.services import contact_get_or_create_by_handle
from instantreply.core.timeutil import now, truncate_ms

from ..models import Channel, Conversation, Message
from ._common import (
    conversation_for_event,
    conversation_get_or_create,
    emit_conversation,
    emit_message,
    preview_of,
)

# Channel.last_event_at is health information; refreshing it at most once a second
# keeps a busy channel's row from becoming a lock every inbound message waits on.
_LAST_EVENT_RESOLUTION = dt.timedelta(seconds=1)
# What receiving a message changes on its conversation (read under the row lock).
_RECEIVE_FIELDS = (
    "status",
    "closed_at",
    "last_message_at",
    "last_message_preview",
    "last_inbound_at",
    "unread_count",
    "message_count",
    "updated_at",
)


def _later(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _touch_channel(channel: Channel, at) -> None:
    # The value only moves forward, so when the row as read (the webhook processor
    # reads it at the start of each event) is recent enough, the UPDATE would match
    # nothing: skip the round trip.
    if channel.last_event_at is not None and channel.last_event_at >= at - _LAST_EVENT_RESOLUTION:
        return
    Channel.objects.filter(pk=channel.pk).filter(
        Q(last_event_at__isnull=True) | Q(last_event_at__lt=at - _LAST_EVENT_RESOLUTION)
    ).update(last_event_at=at)
    channel.last_event_at = at


def _for_event(conversation: Conversation, channel: Channel, contact: Contact) -> Conversation:
    """The conversation as its events show it, from the rows this service already
    holds (fresh under the lock) instead of reading them again."""
    conversation.channel = channel
    conversation.contact = contact
    prefetch_related_objects([contact], "handles")
    return conversation


def _locked_conversation_of_handle(
    *, channel: Channel, livemode: bool, contact_external_id: str
) -> Conversation | None:
    """A known customer writing again — the common case — in one query: the
    conversation of (channel, the contact behind the handle), locked, with its contact.
    The handle is a scalar subquery (one unique-index probe), not a join: PostgreSQL
    plans it in a tenth of the time and cannot pick a scan of the channel's
    conversations instead."""
    contact_id = (
        ContactHandle.objects.filter(
            workspace_id=channel.workspace_id,
            livemode=livemode,
            platform=channel.platform,
            external_id=contact_external_id,
        )
        .order_by()
        .values("contact_id")[:1]
    )
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(channel=channel, contact_id=Subquery(contact_id))
        .first()
    )


def inbound_message_receive(
    *,
    channel: Channel,
    livemode: bool,
    contact_external_id: str,
    contact_name: str | None = None,
    contact_username: str | None = None,
    contact_phone: str | None = None,
    external_id: str,
    type: str,
    text: str | None,
    sent_at: dt.datetime,
) -> tuple[Message, bool]:
    """Record a customer's message. Idempotent on (channel, external_id): Meta's
    redeliveries return the existing message and False."""
    existing = Message.objects.filter(channel=channel, external_id=external_id).first()
    if existing is not None:
        return existing, False
    sent_at = truncate_ms(sent_at)
    # No savepoint of its own: callers run it inside theirs (the webhook processor, one
    # per item) or as their whole transaction, and an error aborts either way.
    with transaction.atomic(savepoint=False):
        # The lock serialises concurrent inbound messages of one conversation, so
        # counters and last_inbound_at (a max over Meta's timestamps) compose.
        conversation = _locked_conversation_of_handle(
            channel=channel, livemode=livemode, contact_external_id=contact_external_id
        )
        created = False
        if conversation is not None:
            contact = conversation.contact
        else:
            contact, _ = contact_get_or_create_by_handle(
                workspace_id=channel.workspace_id,
                livemode=livemode,
                platform=channel.platform,
                external_id=contact_external_id,
                name=contact_name,
                username=contact_username,
                phone=contact_phone,
            )
            conversation, created = conversation_get_or_create(
                channel=channel, contact=contact, livemode=livemode
            )
            if not created:
                # A concurrent first message created it meanwhile. A row this
                # transaction inserted needs no lock: nobody else sees it yet.
                conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    workspace_id=channel.workspace_id,
                    livemode=livemode,
                    conversation=conversation,
                    channel=channel,
                    direction="inbound",
                    type=type,
                    text=text,
                    status="received",
                    sender_type="contact",
                    sender_id=contact.id,
                    external_id=external_id,
                    sent_at=sent_at,
                )
        except IntegrityError:
            return Message.objects.get(channel=channel, external_id=external_id), False

        at = now()
        reopened = conversation.status == "closed"
        if reopened:
            conversation.status = "active"
            conversation.closed_at = None
        if conversation.last_message_at is None or sent_at >= conversation.last_message_at:
            conversation.last_message_at = sent_at
            conversation.last_message_preview = preview_of(type, text)
        conversation.last_inbound_at = _later(conversation.last_inbound_at, sent_at)
        conversation.unread_count += 1
        conversation.message_count += 1
        conversation.updated_at = at
        conversation.save(update_fields=_RECEIVE_FIELDS)
        # last_seen_at only moves forward: a contact read in this transaction already
        # at or past sent_at needs no UPDATE.
        if contact.last_seen_at is None or contact.last_seen_at < sent_at:
            Contact.objects.filter(pk=contact.pk).filter(
                Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=sent_at)
            ).update(last_seen_at=sent_at)
        _touch_channel(channel, at)

        if created:
            emit_conversation(_for_event(conversation, channel, contact), "conversation.created")
        elif reopened:
            emit_conversation(
                _for_event(conversation, channel, contact),
                "conversation.updated",
                {"status": "closed"},
            )
        emit_message(message, "message.received")
    return message, True


def outbound_echo_record(
    *,
    channel: Channel,
    livemode: bool,
    contact_external_id: str,
    external_id: str,
    type: str,
    text: str | None,
    sent_at: dt.datetime,
) -> Message | None:
    """A reply typed in Meta's own app (Business Suite, the WhatsApp Business app)
    becomes an outbound message sent by an unknown agent. Nothing happens when the
    Meta id is already one of ours (the echo of our own send, or a redelivery)."""
    if Message.objects.filter(channel=channel, external_id=external_id).exists():
        return None
    sent_at = truncate_ms(sent_at)
    with transaction.atomic():
        contact, _ = contact_get_or_create_by_handle(
            workspace_id=channel.workspace_id,
            livemode=livemode,
            platform=channel.platform,
            external_id=contact_external_id,
        )
        conversation, created = conversation_get_or_create(
            channel=channel, contact=contact, livemode=livemode
        )
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        at = now()
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    workspace_id=channel.workspace_id,
                    livemode=livemode,
                    conversation=conversation,
                    channel=channel,
                    direction="outbound",
                    type=type,
                    text=text,
                    status="sent",
                    sender_type="agent",
                    sender_id=None,
                    external_id=external_id,
                    sent_at=sent_at,
                    status_updated_at=at,
                )
        except IntegrityError:
            return None
        if conversation.last_message_at is None or sent_at >= conversation.last_message_at:
            conversation.last_message_at = sent_at
            conversation.last_message_preview = preview_of(type, text)
        conversation.message_count += 1
        conversation.updated_at = at
        conversation.save()
        _touch_channel(channel, at)
        if created:
            emit_conversation(conversation_for_event(conversation.pk), "conversation.created")
        emit_message(message, "message.sent")
    return message
