"""``emit`` — how every app announces a change (§9).

The Event row is written in the caller's transaction (the outbox), so an event
exists exactly when the change does; fan-out to endpoints is queued only after
commit.
"""

from django.db import transaction

from instantreply.api.tracing import current_request_id

from .models import Event

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
    from . import tasks

    fan_out = getattr(tasks, "fan_out_event", None)
    if fan_out is not None:
        fan_out.delay(event_id)
