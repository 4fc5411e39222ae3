"""``emit`` — how every app announces a change (§9).

The Event row is written in the caller's transaction (the outbox), so an event
exists exactly when the change does; fan-out to endpoints is queued only after
commit.
"""

import logging

from django.conf import settings
from django.db import transaction

from instantreply.api.tracing import current_request_id

from .models import Event

logger = logging.getLogger("instantreply.webhooks")

EVENT_TYPES = (
    "conversation.created",
    "conversation.updated",
    "message.received",
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "contact.created",
    "contact.updated",
    "template.status_updated",
    "channel.status_updated",
    "webhook.test",
)


def emit(
    *,
    workspace_id: str,
    livemode: bool,
    type: str,
    data: dict,
    object_id: str,
    previous_attributes: dict | None = None,
) -> Event:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type}")
    event = Event.objects.create(
        workspace_id=workspace_id,
        livemode=livemode,
        type=type,
        data=data,
        object_id=object_id,
        previous_attributes=previous_attributes,
        request_id=current_request_id(),
    )
    transaction.on_commit(lambda: _fan_out(event.id))
    return event


def _fan_out(event_id: str) -> None:
    from .tasks import fan_out_event

    try:
        fan_out_event.delay(event_id)
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        # The change is committed; the dispatcher's sweep fans the event out later.
        logger.exception("could not enqueue fan-out of %s", event_id)
