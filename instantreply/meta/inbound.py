"""Turning stored webhook POSTs into domain changes (§10).

``process_event`` reads one InboundEvent, walks every entry/change/message of the
payload (Meta batches), routes each item to its channel by phone number id,
Instagram account id or Page id, and calls the handlers the apps registered
(``routing``), which are idempotent on Meta's ids — so a redelivered payload, or this task
running twice, changes nothing the second time. ``process_batch`` (the task's entry
point) runs the task's event together with other waiting ones, so a backlog costs one
transaction per batch instead of one per event; within a batch, consecutive events
that hold only customer messages go to the ``messages_received`` handler together
(set-based writes: a handful of statements per batch, not a dozen per message).
Each message's ``created_at`` is its event's arrival, so two workers committing out
of order still leave a conversation's messages in the order they arrived.

An event never raises back into a retry loop for what it contains: unknown
channels and shapes end ``ignored``, unparseable bodies and items a service
rejected end ``failed``, each with a reason. Only a database outage propagates
(the sweeper queues the still-``received`` event again later).
"""

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F

from instantreply.core.timeutil import now, truncate_ms

from . import routing
from .models import InboundEvent

logger = logging.getLogger("instantreply.meta")

WHATSAPP_STATUSES = ("sent", "delivered", "read", "failed")
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
# Instagram/Messenger attachment types → our message types.
ATTACHMENT_TYPES = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "file": "document",
    "sticker": "sticker",
    "location": "location",
}
_TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
# What ``_run`` returns when the item was rejected (its error is already recorded).
FAILED = object()
# Passes (processing + sweeper) after which an early status is taken for a message
# that is not ours after all (sent from Meta's own app, say) instead of waiting more.
DEFER_UNTIL_ATTEMPTS = 4
# Waiting events one processing run takes besides its own (§10). One commit per batch
# costs ~1 ms a message less than one per event; 50 over 25 gained a few per cent more,
# and keeps a batch's transaction (and its conversation locks) near a quarter second.
BATCH_SIZE = 50


@dataclass
class Outcome:
    handled: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # A status arrived for an id we do not know yet while a send of its channel was in
    # flight: Meta's webhook can beat our worker's commit of the id it was just given.
    deferred: bool = False
    may_defer: bool = True
    # When the stored event was received: the messages' created_at (arrival order).
    received_at: dt.datetime | None = None
    # Planning (``_plan``): customer messages are collected here instead of handled,
    # and any other item ends the plan (the event takes the one-by-one path).
    collect: list | None = None

    def note(self, text: str) -> None:
        if len(self.notes) < 20 and text not in self.notes:
            self.notes.append(text)

    def error(self, text: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(text)


class _Router:
    """Channel lookups cached for one batch of events (they usually target one channel)."""

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}

    def channel(self, platform: str, external_id) -> object | None:
        key = (platform, str(external_id or ""))
        if key not in self._cache:
            self._cache[key] = routing.handler("channel")(*key) if key[1] else None
        return self._cache[key]


def process_event(event_id: int) -> InboundEvent | None:
    """One event on its own, whatever its status (a replay runs it again)."""
    event = InboundEvent.objects.filter(pk=event_id).first()
    if event is None:
        return None
    return _process(event, _Router())


@dataclass
class Batch:
    # The task's own event as it ended up; None when another run holds it.
    own: InboundEvent | None = None
    processed: int = 0
    # Taken but not run because a lock conflict (a deadlock with another batch) hit
    # one of them: the caller queues them again once the batch has committed.
    left: list[int] = field(default_factory=list)


def process_batch(
    event_id: int, limit: int = BATCH_SIZE, drain: bool = False, when_full=None
) -> Batch:
    """The task's own event, if still waiting and not taken by another run, plus up to
    ``limit`` other events no run has tried yet, oldest first, all in one transaction:
    one commit and one fan-out task for the lot, the channel read once. Each event's
    payload runs in its own savepoint, so a bad one is recorded ``failed`` without
    touching the others. Rows are taken with FOR UPDATE SKIP LOCKED (SQLite: the
    IMMEDIATE transaction), so concurrent runs split a backlog, and the tasks queued
    for events a batch took find them done and return at once.

    Events a run already tried (deferred statuses waiting for a send's commit) are
    only picked up by their own task, i.e. by the sweeper, as before.

    ``drain``: the waiting events are taken even when the own event is done or gone
    (the task stands for every post behind it: ``tasks.queue_processing``).
    ``when_full`` is called once the claim took ``limit`` waiting events, before they
    are worked."""
    batch = Batch()
    # The common case in a backlog: an earlier batch took the event. One plain read
    # settles it, without a transaction.
    status = InboundEvent.objects.filter(pk=event_id).values_list("status", flat=True).first()
    if status != "received" and not drain:
        if status is not None:
            batch.own = InboundEvent(pk=event_id, status=status)
        return batch
    with transaction.atomic():
        # Again under the lock: another run may have finished it since the read above.
        mine = list(InboundEvent.objects.filter(pk=event_id).select_for_update(skip_locked=True))
        batch.own = mine[0] if mine else None
        own = [e for e in mine if e.status == "received"]
        others = list(
            InboundEvent.objects.filter(status="received", processed_at__isnull=True)
            .exclude(pk=event_id)
            .order_by("created_at")
            .select_for_update(skip_locked=True)[:limit]
        )
        if when_full is not None and len(others) >= limit:
            when_full()
        # Oldest first across the lot: the own event is not put ahead of older ones of
        # the same conversation.
        events = sorted(own + others, key=lambda e: (e.created_at, e.pk))
        router = _Router()
        done: list[InboundEvent] = []
        try:
            _run_events(events, router, done)
        except _TRANSIENT_DB_ERRORS:
            if not done:
                raise
            # The failed item's savepoint is rolled back; what ran before commits.
            taken = {e.pk for e in done}
            batch.left = [e.pk for e in events if e.pk not in taken]
            logger.warning(
                "inbound batch stopped at event %s; %s event(s) queued again",
                batch.left[0],
                len(batch.left),
                exc_info=True,
            )
        _save_finished(done)
        batch.processed = len(done)
    return batch


@dataclass
class _Plan:
    event: InboundEvent
    outcome: Outcome
    object_type: str | None


def _run_events(events: list[InboundEvent], router: "_Router", done: list) -> None:
    """The batch's events in order. Consecutive events that hold only customer
    messages (the bulk of Meta's traffic) are handed to the ``messages_received``
    handler together, in one savepoint; any other event runs on its own, in its
    place, so the order of everything that touches one conversation is kept. The
    statuses are written by the caller, in this same transaction."""
    batched = "messages_received" in routing.HANDLERS
    pending: list[_Plan] = []
    for event in events:
        plan = _plan(event, router) if batched else None
        if plan is not None:
            pending.append(plan)
            continue
        _run_plans(pending, router, done)
        pending = []
        _process(event, router, save=False)
        done.append(event)
    _run_plans(pending, router, done)


def _plan(event: InboundEvent, router: "_Router") -> _Plan | None:
    """The event's customer messages, collected without handling them; None when the
    event holds anything else (or is unreadable: the one-by-one path records why)."""
    try:
        payload = json.loads(bytes(event.body))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    outcome = Outcome(
        may_defer=event.attempts < DEFER_UNTIL_ATTEMPTS,
        received_at=event.created_at,
        collect=[],
    )
    try:
        handle_payload(payload, router=router, outcome=outcome)
    except _TRANSIENT_DB_ERRORS:
        raise
    except Exception:
        return None  # _NotBatchable, or a shape the one-by-one path will record
    if not outcome.collect:
        return None
    object_type = payload.get("object") if isinstance(payload.get("object"), str) else None
    return _Plan(event, outcome, object_type)


def _run_plans(plans: list[_Plan], router: "_Router", done: list) -> None:
    if not plans:
        return
    items = [kwargs for plan in plans for _, kwargs in plan.outcome.collect]
    try:
        with transaction.atomic():
            routing.handler("messages_received")(items=items)
    except Exception:
        # Rolled back whole (a rejected item, a concurrent duplicate, a lock
        # conflict): the same events one by one, each item in its own savepoint,
        # which records what failed and keeps the rest.
        logger.info("inbound batch of %s messages retried one by one", len(items), exc_info=True)
        for plan in plans:
            _process(plan.event, router, save=False)
            done.append(plan.event)
        return
    for plan in plans:
        _settle(plan.event, plan.outcome, plan.object_type, save=False)
        done.append(plan.event)


def _save_finished(done: list[InboundEvent]) -> None:
    """The statuses of a batch's events: one UPDATE per distinct outcome (almost
    always one), instead of a per-row CASE over five columns."""
    groups: dict[tuple, list[int]] = {}
    for event in done:
        groups.setdefault((event.status, event.reason, event.object_type), []).append(event.pk)
    at = now()
    for (status, reason, object_type), ids in groups.items():
        InboundEvent.objects.filter(pk__in=ids).update(
            status=status,
            reason=reason,
            object_type=object_type,
            processed_at=at,
            attempts=F("attempts") + 1,
        )
    for event in done:
        event.processed_at = at


def _process(event: InboundEvent, router: "_Router", save: bool = True) -> InboundEvent:
    raw = bytes(event.body)
    object_type = None
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return _finish(event, "failed", f"body is not valid JSON: {exc}", None, save)
    if not isinstance(payload, dict):
        return _finish(event, "ignored", "payload is not a JSON object", None, save)
    object_type = payload.get("object") if isinstance(payload.get("object"), str) else None
    # The event's changes and its new status commit together (one commit, or in a
    # batch one savepoint, per event); each item still gets a savepoint of its own.
    try:
        with transaction.atomic():
            outcome = handle_payload(
                payload,
                router=router,
                outcome=Outcome(
                    may_defer=event.attempts < DEFER_UNTIL_ATTEMPTS, received_at=event.created_at
                ),
            )
            return _settle(event, outcome, object_type, save)
    except _TRANSIENT_DB_ERRORS:
        raise
    except Exception as exc:
        # A shape the parser did not foresee: recorded, never retried in a loop.
        logger.exception("inbound event %s could not be processed", event.pk)
        return _finish(
            event,
            "failed",
            f"could not process the payload: {type(exc).__name__}: {exc}",
            object_type,
            save,
        )


_FINISH_FIELDS = ["status", "reason", "object_type", "processed_at", "attempts"]


def _settle(event: InboundEvent, outcome: Outcome, object_type, save: bool) -> InboundEvent:
    if outcome.errors:
        status = "failed"
        reason = "; ".join(outcome.errors + outcome.notes)
    elif outcome.deferred:
        # Left 'received': the sweeper runs the event again (everything in it
        # is idempotent) once the send has recorded Meta's id.
        status = "received"
        reason = "; ".join(outcome.notes)
    elif outcome.handled:
        status = "processed"
        reason = "; ".join(outcome.notes) or None
    else:
        status = "ignored"
        reason = "; ".join(outcome.notes) or "nothing to process in the payload"
    return _finish(event, status, reason, object_type, save)


def _finish(
    event: InboundEvent, status: str, reason: str | None, object_type, save: bool = True
) -> InboundEvent:
    event.status = status
    event.reason = reason[:2000] if reason else None
    event.object_type = object_type[:64] if object_type else None
    event.processed_at = now()
    event.attempts = (event.attempts or 0) + 1
    if save:
        event.save(update_fields=_FINISH_FIELDS)
    return event


def handle_payload(
    payload: dict, may_defer: bool = True, router=None, outcome: Outcome | None = None
) -> Outcome:
    outcome = outcome or Outcome(may_defer=may_defer)
    router = router or _Router()
    kind = payload.get("object")
    entries = payload.get("entry")
    if kind not in ("whatsapp_business_account", "instagram", "page"):
        outcome.note(f"unknown object type {kind!r}")
        return outcome
    if not isinstance(entries, list):
        outcome.note("payload has no entry list")
        return outcome
    for entry in entries:
        if not isinstance(entry, dict):
            outcome.note("an entry is not an object")
            continue
        if kind == "whatsapp_business_account":
            _whatsapp_entry(entry, router, outcome)
        else:
            platform = "instagram" if kind == "instagram" else "messenger"
            _messaging_entry(platform, entry, router, outcome)
    return outcome


class _NotBatchable(Exception):
    """Raised while planning (``_plan``) at an item that is not a customer message."""


def _receive(outcome: Outcome, label: str, **kwargs):
    """A customer message: collected while planning, else handled in its savepoint."""
    kwargs["received_at"] = outcome.received_at
    if outcome.collect is not None:
        outcome.collect.append((label, kwargs))
        return None
    return _run(outcome, label, routing.handler("message_received"), **kwargs)


def _run(outcome: Outcome, label: str, fn, *args, **kwargs):
    """One item in its own savepoint: a rejected item neither rolls back the others
    nor leaves the connection in an aborted transaction."""
    if outcome.collect is not None:
        raise _NotBatchable(label)
    try:
        with transaction.atomic():
            return fn(*args, **kwargs)
    except _TRANSIENT_DB_ERRORS:
        raise
    except Exception as exc:
        logger.exception("inbound item failed: %s", label)
        outcome.error(f"{label}: {type(exc).__name__}: {exc}")
    return FAILED


# ---------------------------------------------------------------------------------
# WhatsApp


def _whatsapp_entry(entry: dict, router: _Router, outcome: Outcome) -> None:
    changes = entry.get("changes")
    if not isinstance(changes, list):
        outcome.note("a WhatsApp entry has no changes list")
        return
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
            outcome.note("a WhatsApp change has no value object")
            continue
        field_name = change.get("field")
        value = change["value"]
        if field_name == "messages":
            _whatsapp_messages(value, router, outcome)
        elif field_name in ("message_template_status_update", "template_category_update"):
            _template_update(str(entry.get("id") or ""), field_name, value, outcome)
        else:
            outcome.note(f"WhatsApp field {field_name!r} is not handled")


def _whatsapp_messages(value: dict, router: _Router, outcome: Outcome) -> None:
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    phone_number_id = metadata.get("phone_number_id")
    channel = router.channel("whatsapp", phone_number_id)
    if channel is None:
        outcome.note(f"no connected WhatsApp channel for phone_number_id {phone_number_id!r}")
        return
    for error in _list(value.get("errors")):
        outcome.note(f"WhatsApp reported a system error: {_error_of([error])}")
    contacts = [c for c in _list(value.get("contacts")) if isinstance(c, dict)]
    for message in _list(value.get("messages")):
        if not isinstance(message, dict) or not message.get("id"):
            outcome.note("a WhatsApp message without an id was skipped")
            continue
        contact = _contact_for(message, contacts)
        wa_id = contact.get("wa_id") or message.get("from")
        user_id = contact.get("user_id") or message.get("from_user_id")
        external = wa_id or user_id
        if not external:
            outcome.note(f"WhatsApp message {message['id']} names no sender")
            continue
        profile = contact.get("profile") if isinstance(contact.get("profile"), dict) else {}
        msg_type, text = _whatsapp_content(message)
        result = _receive(
            outcome,
            f"WhatsApp message {message['id']}",
            channel=channel,
            livemode=True,
            contact_external_id=str(external),
            contact_name=profile.get("name") or None,
            contact_username=profile.get("username") or None,
            contact_phone=f"+{wa_id}" if wa_id and str(wa_id).isdigit() else None,
            external_id=str(message["id"]),
            type=msg_type,
            text=text,
            sent_at=_from_seconds(message.get("timestamp")),
        )
        if result is not FAILED:
            outcome.handled += 1
    for status in _list(value.get("statuses")):
        if not isinstance(status, dict) or not status.get("id"):
            outcome.note("a WhatsApp status without a message id was skipped")
            continue
        state = status.get("status")
        if state not in WHATSAPP_STATUSES:
            outcome.note(f"WhatsApp status {state!r} is not tracked")
            continue
        error = _error_of(status.get("errors")) if state == "failed" else None
        _status(
            "WhatsApp",
            channel,
            status["id"],
            state,
            _from_seconds(status.get("timestamp")),
            outcome,
            error,
        )


def _contact_for(message: dict, contacts: list[dict]) -> dict:
    sender = message.get("from")
    sender_user = message.get("from_user_id")
    for contact in contacts:
        if sender and contact.get("wa_id") == sender:
            return contact
        if sender_user and contact.get("user_id") == sender_user:
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def _whatsapp_content(message: dict) -> tuple[str, str | None]:
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return "text", body.get("body")
    if kind in MEDIA_TYPES:
        return kind, body.get("caption")
    if kind == "location":
        parts = [body.get("name"), body.get("address")]
        text = ", ".join(p for p in parts if p) or (
            f"{body.get('latitude')},{body.get('longitude')}" if "latitude" in body else None
        )
        return "location", text
    if kind == "reaction":
        return "reaction", body.get("emoji")
    if kind == "button":
        return "text", body.get("text")
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return "text", reply.get("title") if isinstance(reply, dict) else None
    return "unsupported", None


def _error_of(errors) -> dict | None:
    errors = _list(errors)
    first = errors[0] if errors and isinstance(errors[0], dict) else None
    if first is None:
        return None
    data = first.get("error_data") if isinstance(first.get("error_data"), dict) else {}
    return {
        "code": str(first.get("code")) if first.get("code") is not None else "unknown",
        "title": first.get("title"),
        "message": data.get("details") or first.get("message"),
    }


def _template_update(waba_id: str, field_name: str, value: dict, outcome: Outcome) -> None:
    template_id = value.get("message_template_id")
    if field_name == "template_category_update":
        # A completed change names ``new_category``; a notice ahead of one names
        # ``correct_category`` and when it will apply. Meta announces the change itself
        # when it happens, so a notice changes nothing yet.
        event = "CATEGORY_UPDATE"
        new_category = value.get("new_category")
    else:
        event = value.get("event")
        # The category the template has at Meta now: a review may have re-categorised it.
        new_category = value.get("message_template_category")
    if not template_id or not event:
        outcome.note(f"{field_name} without a template id or event")
        return
    result = _run(
        outcome,
        f"{field_name} for template {template_id}",
        routing.handler("template_updated"),
        waba_id=waba_id,
        meta_template_id=str(template_id),
        name=value.get("message_template_name"),
        language=value.get("message_template_language"),
        event=str(event),
        reason=value.get("reason"),
        new_category=new_category,
    )
    if result is None:
        outcome.note(f"{field_name} for unknown template {template_id}")
    if result is not FAILED:
        outcome.handled += 1


# ---------------------------------------------------------------------------------
# Instagram and Messenger (the Messenger Platform's ``messaging[]`` shape)


def _messaging_entry(platform: str, entry: dict, router: _Router, outcome: Outcome) -> None:
    account_id = entry.get("id")
    events = [e for e in _list(entry.get("messaging")) + _list(entry.get("standby"))]
    if not events:
        if entry.get("changes"):
            outcome.note(f"{platform} changes (comments, mentions) are not handled")
        else:
            outcome.note(f"a {platform} entry has no messaging events")
        return
    channel = router.channel(platform, account_id)
    if channel is None:
        outcome.note(f"no connected {platform} channel for account id {account_id!r}")
        return
    for item in events:
        if not isinstance(item, dict):
            outcome.note(f"a {platform} messaging item is not an object")
            continue
        _messaging_item(platform, channel, item, outcome)


def _messaging_item(platform: str, channel, item: dict, outcome: Outcome) -> None:
    sender = (item.get("sender") or {}).get("id") if isinstance(item.get("sender"), dict) else None
    recipient = (
        (item.get("recipient") or {}).get("id") if isinstance(item.get("recipient"), dict) else None
    )
    at = _from_millis(item.get("timestamp"))
    message = item.get("message")
    if isinstance(message, dict):
        mid = message.get("mid")
        if not mid:
            outcome.note(f"a {platform} message without mid was skipped")
            return
        if message.get("is_deleted"):
            outcome.note(f"{platform} message {mid} was deleted by the sender")
            return
        msg_type, text = _messaging_content(message)
        if message.get("is_echo"):
            if not recipient:
                outcome.note(f"{platform} echo {mid} names no recipient")
                return
            recorded = _run(
                outcome,
                f"{platform} echo {mid}",
                routing.handler("echo_recorded"),
                channel=channel,
                livemode=True,
                contact_external_id=str(recipient),
                external_id=str(mid),
                type=msg_type,
                text=text,
                sent_at=at,
                received_at=outcome.received_at,
            )
            if recorded is None:
                outcome.note(f"{platform} echo of our own send {mid} ignored")
            if recorded is not FAILED:
                outcome.handled += 1
            return
        if not sender:
            outcome.note(f"{platform} message {mid} names no sender")
            return
        result = _receive(
            outcome,
            f"{platform} message {mid}",
            channel=channel,
            livemode=True,
            contact_external_id=str(sender),
            external_id=str(mid),
            type=msg_type,
            text=text,
            sent_at=at,
        )
        if result is not FAILED:
            outcome.handled += 1
        return
    postback = item.get("postback")
    if isinstance(postback, dict) and postback.get("mid") and sender:
        result = _receive(
            outcome,
            f"{platform} postback {postback['mid']}",
            channel=channel,
            livemode=True,
            contact_external_id=str(sender),
            external_id=str(postback["mid"]),
            type="text",
            text=postback.get("title") or postback.get("payload"),
            sent_at=at,
        )
        if result is not FAILED:
            outcome.handled += 1
        return
    delivery = item.get("delivery")
    if isinstance(delivery, dict):
        for mid in _list(delivery.get("mids")):
            _status(platform, channel, mid, "delivered", at, outcome)
        if not _list(delivery.get("mids")):
            outcome.note(f"{platform} delivery watermark without message ids is not tracked")
        return
    read = item.get("read")
    if isinstance(read, dict):
        if read.get("mid"):
            _status(platform, channel, read["mid"], "read", at, outcome)
        else:
            outcome.note(f"{platform} read watermark without a message id is not tracked")
        return
    outcome.note(f"{platform} messaging item of kind {sorted(item)!r} is not handled")


def _status(platform, channel, mid, state, at, outcome: Outcome, error=None) -> None:
    applied = _run(
        outcome,
        f"{platform} {state} status for {mid}",
        routing.handler("status_applied"),
        channel=channel,
        external_id=str(mid),
        status=state,
        at=at,
        error=error,
    )
    if applied is None:
        if outcome.may_defer and routing.handler("send_in_flight")(channel):
            outcome.deferred = True
            outcome.note(
                f"{platform} {state} status for {mid} arrived before its send was recorded; "
                "kept for another pass"
            )
            return
        # Statuses of messages sent outside InstantReply (or long purged) are normal.
        outcome.note(f"{platform} status for unknown message {mid}")
    if applied is not FAILED:
        outcome.handled += 1


def _messaging_content(message: dict) -> tuple[str, str | None]:
    text = message.get("text")
    if text:
        return "text", text
    attachments = [a for a in _list(message.get("attachments")) if isinstance(a, dict)]
    if attachments:
        return ATTACHMENT_TYPES.get(attachments[0].get("type"), "unsupported"), None
    if isinstance(message.get("reaction"), dict):
        return "reaction", message["reaction"].get("emoji")
    return "unsupported", None


# ---------------------------------------------------------------------------------


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _from_seconds(raw) -> dt.datetime:
    try:
        return truncate_ms(dt.datetime.fromtimestamp(int(raw), tz=dt.UTC))
    except (TypeError, ValueError, OverflowError, OSError):
        return now()


def _from_millis(raw) -> dt.datetime:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return now()
    # Some Messenger events carry seconds; a value this small cannot be milliseconds.
    if value < 10**11:
        value *= 1000
    try:
        return truncate_ms(dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC))
    except (OverflowError, OSError, ValueError):
        return now()
