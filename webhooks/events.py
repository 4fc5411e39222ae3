"""``emit`` — how every app announces a change (§9).

The Event row is written in the caller's transaction (the outbox), so an event
exists exactly when the change does; fan-out to endpoints is queued only after
commit.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, transaction

from instantreply.api.request_ids import current_request_id
from instantreply.core.rawsql import FixedInsert

from .models import EVENT_TYPES, Event
from .services import enqueue_fan_out

logger = logging.getLogger("instantreply.webhooks")


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
    event = Event(
        workspace_id=workspace_id,
        livemode=livemode,
        type=type,
        data=data,
        object_id=object_id,
        previous_attributes=previous_attributes,
        request_id=current_request_id(),
    )
    _insert([event])
    _queue_fan_out([event.id])
    return event


def emit_many(events: list[dict]) -> list[Event]:
    """Several ``emit`` calls at once (each dict holds ``emit``'s keyword arguments),
    in order: one INSERT for the rows and one fan-out publish after commit. Used by
    batch writers (a batch of inbound messages) where a row per statement would
    cost more than the change itself."""
    request_id = current_request_id()
    rows = []
    for spec in events:
        if spec["type"] not in EVENT_TYPES:
            raise ValueError(f"unknown event type {spec['type']}")
        rows.append(
            Event(
                workspace_id=spec["workspace_id"],
                livemode=spec["livemode"],
                type=spec["type"],
                data=spec["data"],
                object_id=spec["object_id"],
                previous_attributes=spec.get("previous_attributes"),
                request_id=request_id,
            )
        )
    if rows:
        _insert(rows)
        _queue_fan_out([row.id for row in rows])
    return rows


def _insert(rows: list[Event]) -> None:
    """The rows in one fixed INSERT (rawsql.FixedInsert): every API write that
    emits pays for this statement, and compiling it through the ORM cost more
    CPU than PostgreSQL's work on it (bench/webhooks_delivery.py, the emitters'
    CPU per event)."""
    FixedInsert.of(Event).insert(rows)
    for row in rows:
        # As save() leaves them: stored, in the default database.
        row._state.adding = False
        row._state.db = DEFAULT_DB_ALIAS


class _PendingFanOut:
    """The events one transaction emitted, published as one fan-out task after its
    commit instead of one task per event (an inbound message emits up to three)."""

    __slots__ = ("ids", "sent")

    def __init__(self):
        self.ids: list[str] = []
        self.sent = False

    def publish(self) -> None:
        # Registered once per emit so that it survives any savepoint rollback that
        # drops some of them; the first to run publishes the whole list. Ids whose
        # savepoint was rolled back are no-ops for the fan-out (no such row).
        if self.sent:
            return
        self.sent = True
        # A lost publish is swept up by the dispatcher.
        enqueue_fan_out(self.ids)


def _queue_fan_out(event_ids: list[str]) -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "_instantreply_pending_fan_out", None)
    if (
        pending is None
        or pending.sent
        # Left by a transaction that rolled back (its callbacks were dropped).
        or not any(func == pending.publish for _, func, _ in connection.run_on_commit)
    ):
        pending = _PendingFanOut()
        connection._instantreply_pending_fan_out = pending
    pending.ids.extend(event_ids)
    transaction.on_commit(pending.publish)
