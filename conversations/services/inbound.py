"""Messages that arrive from Meta (or the test-mode simulator): customer messages
and echoes of replies typed in Meta's own apps."""

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Subquery, Value, When, prefetch_related_objects

from contacts.models import Contact, ContactHandle
from contacts.services import contact_get_or_create_by_handle
from instantreply.core.timeutil import now, truncate_ms
from webhooks.events import emit_many

from ..models import Channel, Conversation, Message
from ..serializers import conversation_data, message_data
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


def _apply_received(conversation: Conversation, sent_at, type: str, text, at) -> bool:
    """A customer's message on the conversation (read under its row lock): counters,
    preview and the window's start (Meta's latest timestamp, whatever the order of
    arrival); a closed one re-opens. Returns whether it re-opened."""
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
    return reopened


def _created(received_at: dt.datetime | None) -> dict:
    if received_at is None:
        return {}
    at = truncate_ms(received_at)
    return {"created_at": at, "status_updated_at": at}


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
    received_at: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Record a customer's message. Idempotent on (channel, external_id): Meta's
    redeliveries return the existing message and False. ``received_at``: when
    InstantReply received it (the stored webhook event's time), which becomes the
    message's ``created_at`` so that a conversation lists its messages in the order
    they arrived, whichever worker processed them first; default now."""
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
                    **_created(received_at),
                )
        except IntegrityError:
            return Message.objects.get(channel=channel, external_id=external_id), False

        at = now()
        reopened = _apply_received(conversation, sent_at, type, text, at)
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
    received_at: dt.datetime | None = None,
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
                    created_at=truncate_ms(received_at) if received_at else at,
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


def inbound_messages_receive(*, items: list[dict]) -> list[tuple[Message, bool]]:
    """Many customers' messages at once (a batch of Meta webhook events): for each
    item — ``inbound_message_receive``'s keyword arguments — the same outcome as
    calling it on the items in turn, in a handful of set-based statements instead
    of about a dozen per message: one read of the Meta ids already stored, one of
    the handles, one locking read of the conversations (in id order, so concurrent
    batches cannot deadlock on them), one multi-row INSERT of the messages, one
    UPDATE of the conversations and one of the contacts, and one INSERT of the
    webhook events. Items of customers without a conversation on the channel yet
    (a first message) go through ``inbound_message_receive`` one by one, in order,
    and join the set for the items after them.

    Idempotent like the single call: a Meta id already stored, or repeated in the
    batch, returns that message and False. A concurrent duplicate INSERT raises
    IntegrityError; the caller's savepoint rolls the whole call back and the caller
    retries the items one at a time (the webhook processor does)."""
    results: list[tuple[Message, bool] | None] = [None] * len(items)
    if not items:
        return []
    at = now()
    channels = {item["channel"].pk: item["channel"] for item in items}

    # Meta ids already stored (redeliveries), and the first of repeats in the batch.
    stored = Q()
    for channel_id in channels:
        ids = {i["external_id"] for i in items if i["channel"].pk == channel_id}
        stored |= Q(channel_id=channel_id, external_id__in=ids)
    existing = {(m.channel_id, m.external_id): m for m in Message.objects.filter(stored)}
    first_of: dict[tuple[str, str], int] = {}
    fresh: list[int] = []
    for index, item in enumerate(items):
        key = (item["channel"].pk, item["external_id"])
        if key in existing:
            results[index] = (existing[key], False)
        elif key in first_of:
            continue  # a repeat: settled once the first one has its message
        else:
            first_of[key] = index
            fresh.append(index)

    # The conversation of each (channel, customer) already known, locked.
    conversations = _locked_conversations_of_handles([items[i] for i in fresh])
    messages: list[Message] = []
    events: list[dict] = []
    changed: dict[str, Conversation] = {}
    seen: dict[str, tuple[Contact, dt.datetime]] = {}
    for index in fresh:
        item = items[index]
        channel = item["channel"]
        key = (channel.pk, item["livemode"], item["contact_external_id"])
        conversation = conversations.get(key)
        if conversation is None:
            # A first message of this customer on this channel: the single path
            # creates what is missing (and announces it) before the items after it.
            message, created = inbound_message_receive(**item)
            results[index] = (message, created)
            if created:
                # The single path holds this row locked, with its contact, and saved.
                conversations[key] = message.conversation
            continue
        contact = conversation.contact
        sent_at = truncate_ms(item["sent_at"])
        received = truncate_ms(item.get("received_at") or at)
        message = Message(
            workspace_id=channel.workspace_id,
            livemode=item["livemode"],
            conversation=conversation,
            channel=channel,
            direction="inbound",
            type=item["type"],
            text=item["text"],
            status="received",
            sender_type="contact",
            sender_id=contact.id,
            external_id=item["external_id"],
            sent_at=sent_at,
            created_at=received,
            status_updated_at=received,
        )
        messages.append(message)
        results[index] = (message, True)
        reopened = _apply_received(conversation, sent_at, item["type"], item["text"], at)
        changed[conversation.pk] = conversation
        if contact.last_seen_at is None or contact.last_seen_at < sent_at:
            latest = seen.get(contact.pk)
            seen[contact.pk] = (contact, sent_at if latest is None else max(latest[1], sent_at))
        if reopened:
            _for_event(conversation, channel, contact)
            events.append(
                {
                    "workspace_id": conversation.workspace_id,
                    "livemode": conversation.livemode,
                    "type": "conversation.updated",
                    "data": conversation_data(conversation),
                    "object_id": conversation.id,
                    "previous_attributes": {"status": "closed"},
                }
            )
        events.append(
            {
                "workspace_id": message.workspace_id,
                "livemode": message.livemode,
                "type": "message.received",
                "data": message_data(message),
                "object_id": message.id,
            }
        )

    if messages:
        Message.objects.bulk_create(messages)
        _conversations_update(list(changed.values()))
        _contacts_seen([(contact.pk, last) for contact, last in seen.values()])
        for contact, last in seen.values():
            contact.last_seen_at = last
        for channel in channels.values():
            _touch_channel(channel, at)
        emit_many(events)
    for index, item in enumerate(items):
        if results[index] is None:
            message, _ = results[first_of[(item["channel"].pk, item["external_id"])]]
            results[index] = (message, False)
    return results


def _locked_conversations_of_handles(items: list[dict]) -> dict[tuple, Conversation]:
    """(channel id, livemode, customer id) → the conversation, locked, with its
    contact: two reads for the whole batch, whatever its size."""
    if not items:
        return {}
    wanted = Q()
    groups: dict[tuple, set[str]] = {}
    for item in items:
        channel = item["channel"]
        group = (channel.workspace_id, item["livemode"], channel.platform)
        groups.setdefault(group, set()).add(item["contact_external_id"])
    for (workspace_id, livemode, platform), external_ids in groups.items():
        wanted |= Q(
            workspace_id=workspace_id,
            livemode=livemode,
            platform=platform,
            external_id__in=external_ids,
        )
    handles: dict[tuple, str] = {}
    for workspace_id, livemode, platform, external_id, contact_id in (
        ContactHandle.objects.filter(wanted)
        .order_by()
        .values_list("workspace_id", "livemode", "platform", "external_id", "contact_id")
    ):
        handles[(workspace_id, livemode, platform, external_id)] = contact_id
    pairs: dict[tuple[str, str], tuple] = {}
    for item in items:
        channel = item["channel"]
        contact_id = handles.get(
            (channel.workspace_id, item["livemode"], channel.platform, item["contact_external_id"])
        )
        if contact_id is not None:
            pairs[(channel.pk, contact_id)] = (
                channel.pk,
                item["livemode"],
                item["contact_external_id"],
            )
    if not pairs:
        return {}
    found = Q()
    for channel_id, contact_id in pairs:
        found |= Q(channel_id=channel_id, contact_id=contact_id)
    channels = {item["channel"].pk: item["channel"] for item in items}
    out = {}
    for conversation in (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(found)
        .order_by("pk")
    ):
        key = pairs.get((conversation.channel_id, conversation.contact_id))
        # A conversation of the other mode (livemode differs) is not this key's.
        if key is not None and conversation.livemode == key[1]:
            conversation.channel = channels[conversation.channel_id]
            out[key] = conversation
    return out


def _conversations_update(rows: list[Conversation]) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        Conversation.objects.bulk_update(rows, _RECEIVE_FIELDS)
        return
    values, params = [], []
    for c in rows:
        values.append(
            "(%s, %s, %s::timestamptz, %s::timestamptz, %s, %s::timestamptz, %s::integer, "
            "%s::integer, %s::timestamptz)"
        )
        params += [
            c.pk,
            c.status,
            c.closed_at,
            c.last_message_at,
            c.last_message_preview,
            c.last_inbound_at,
            c.unread_count,
            c.message_count,
            c.updated_at,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation AS c SET status = v.status, "
            "closed_at = v.closed_at, last_message_at = v.last_message_at, "
            "last_message_preview = v.last_message_preview, "
            "last_inbound_at = v.last_inbound_at, unread_count = v.unread_count, "
            "message_count = v.message_count, updated_at = v.updated_at "
            f"FROM (VALUES {', '.join(values)}) AS v(id, status, closed_at, last_message_at, "
            "last_message_preview, last_inbound_at, unread_count, message_count, updated_at) "
            "WHERE c.id = v.id",
            params,
        )


def _contacts_seen(rows: list[tuple[str, dt.datetime]]) -> None:
    """last_seen_at only moves forward, as in the single path."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        moved = Q()
        for contact_id, last in rows:
            moved |= Q(pk=contact_id) & (Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=last))
        Contact.objects.filter(moved).update(
            last_seen_at=Case(
                *(When(pk=contact_id, then=Value(last)) for contact_id, last in rows),
                default=F("last_seen_at"),
            )
        )
        return
    values = ", ".join(["(%s, %s::timestamptz)"] * len(rows))
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contacts_contact AS c SET last_seen_at = v.at "
            f"FROM (VALUES {values}) AS v(id, at) "
            "WHERE c.id = v.id AND (c.last_seen_at IS NULL OR c.last_seen_at < v.at)",
            params,
        )
