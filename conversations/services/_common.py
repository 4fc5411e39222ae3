"""Helpers shared by the messaging services."""

from django.db import IntegrityError, transaction

from webhooks.events import emit

from ..models import Conversation, Message
from ..serializers import conversation_data, message_data


def preview_of(message_type: str, text: str | None) -> str:
    if text:
        return text[:140]
    return f"[{message_type}]"


def conversation_for_event(conversation_id: str) -> Conversation:
    return (
        Conversation.objects.select_related("channel", "contact")
        .prefetch_related("contact__handles")
        .get(pk=conversation_id)
    )


def emit_conversation(conversation: Conversation, type: str, previous=None) -> None:
    emit(
        workspace_id=conversation.workspace_id,
        livemode=conversation.livemode,
        type=type,
        data=conversation_data(conversation),
        object_id=conversation.id,
        previous_attributes=previous,
    )


def emit_message(message: Message, type: str) -> None:
    emit(
        workspace_id=message.workspace_id,
        livemode=message.livemode,
        type=type,
        data=message_data(message),
        object_id=message.id,
    )


def conversation_get_or_create(*, channel, contact, livemode: bool) -> tuple[Conversation, bool]:
    """One conversation per (channel, contact); the unique constraint settles races
    between concurrent first messages."""
    existing = Conversation.objects.filter(channel=channel, contact=contact).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                workspace_id=channel.workspace_id,
                livemode=livemode,
                channel=channel,
                contact=contact,
            )
    except IntegrityError:
        return Conversation.objects.get(channel=channel, contact=contact), False
    return conversation, True
