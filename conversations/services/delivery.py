"""An outbound message's life after it is queued: the worker's claim, Meta's
answer, and the status reports that follow (§8 status order).

Every change happens under the message's row lock, so the status, the error and
the trigger timeline move together however reports and retries interleave."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from instantreply.core.timeutil import format_ts, now, truncate_ms

from ..models import Conversation, Message, Trigger
from ..serializers import delivery_error
from ..timeline import timeline_in_order
from ._common import emit_message

RANK = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
FAILABLE = ("queued", "sending", "sent")
REPORTED = ("sent", "delivered", "read", "failed")


def accepts(current: str, reported: str) -> bool:
    """Whether a report moves a message in ``current`` state to ``reported``.

    Never backwards; ``failed`` only replaces queued/sending/sent; a later
    delivered/read replaces failed (Meta sends such sequences)."""
    if reported == "failed":
        return current in FAILABLE
    if current == "failed":
        return reported in ("delivered", "read")
    if current not in RANK or reported not in RANK:
        return False
    return RANK[reported] > RANK[current]


def _append_timeline(message: Message, state: str, at: dt.datetime, detail: str | None) -> None:
    trigger = Trigger.objects.filter(message_id=message.pk).first()
    if trigger is None:
        return
    entries = [*trigger.timeline, {"state": state, "at": format_ts(at), "detail": detail}]
    trigger.timeline = timeline_in_order(entries)
    trigger.save(update_fields=["timeline"])


def _locked(message_id: str) -> Message | None:
    return Message.objects.select_for_update().filter(pk=message_id).first()


def _error_detail(error: dict) -> str:
    return f"{error['code']}: {error['title']}"


def message_status_apply(
    *, channel, external_id: str, status: str, at: dt.datetime, error: dict | None = None
) -> Message | None:
    """Apply a Meta status report (sent|delivered|read|failed). Unknown Meta ids
    give None; reports that would move the message backwards are kept in the
    timeline and otherwise ignored."""
    if status not in REPORTED:
        raise ValueError(f"unknown status {status}")
    at = truncate_ms(at)
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(channel=channel, external_id=external_id, direction="outbound")
            .first()
        )
        if message is None:
            return None
        shaped = None
        if status == "failed":
            error = error or {}
            shaped = delivery_error(
                str(error.get("code") or "131000"),
                "meta",
                message=error.get("message"),
                title=error.get("title"),
            )
        moved = accepts(message.status, status)
        detail = _error_detail(shaped) if shaped else None
        if not moved:
            detail = f"reported after {message.status}; ignored" + (
                f" ({detail})" if detail else ""
            )
        _append_timeline(message, status, at, detail)
        if not moved:
            return message
        message.status = status
        message.status_updated_at = now()
        fields = ["status", "status_updated_at"]
        if status == "failed":
            message.error = shaped
            fields.append("error")
        elif message.error is not None:
            # A later delivered/read supersedes an earlier failure report.
            message.error = None
            fields.append("error")
        if status == "sent" and message.sent_at is None:
            message.sent_at = at
            fields.append("sent_at")
        message.save(update_fields=fields)
        emit_message(message, f"message.{status}")
        return message


def message_claim_for_sending(*, message_id: str) -> Message | None:
    """queued → sending as one conditional UPDATE: of any number of concurrent task
    runs, exactly one gets the message; the others get None and must not send."""
    with transaction.atomic():
        at = now()
        claimed = Message.objects.filter(pk=message_id, status="queued").update(
            status="sending", status_updated_at=at
        )
        if not claimed:
            return None
        message = Message.objects.select_related(
            "channel", "conversation", "conversation__contact"
        ).get(pk=message_id)
        _append_timeline(message, "sending", at, None)
        return message


def _drop_echo_holding(message: Message, external_id: str) -> None:
    """An Instagram/Messenger echo of this very send may have been recorded before
    Meta's answer reached us; it is the same message, so the echo row goes."""
    echo = (
        Message.objects.select_for_update()
        .filter(
            channel_id=message.channel_id,
            external_id=external_id,
            direction="outbound",
            sender_type="agent",
            sender_id=None,
        )
        .exclude(pk=message.pk)
        .first()
    )
    if echo is not None and not Trigger.objects.filter(message_id=echo.pk).exists():
        Conversation.objects.filter(pk=echo.conversation_id, message_count__gt=0).update(
            message_count=F("message_count") - 1
        )
        echo.delete()


def message_mark_sent(*, message: Message, external_id: str, at: dt.datetime) -> Message:
    """Meta accepted the send and gave its id."""
    at = truncate_ms(at)
    with transaction.atomic():
        locked = _locked(message.pk)
        _drop_echo_holding(locked, external_id)
        locked.external_id = external_id
        if locked.sent_at is None:
            locked.sent_at = at
        fields = ["external_id", "sent_at"]
        moved = accepts(locked.status, "sent")
        if moved:
            locked.status = "sent"
            locked.status_updated_at = now()
            fields += ["status", "status_updated_at"]
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError:
            raise ValueError(
                f"Meta id {external_id} already belongs to another message of this channel"
            )
        _append_timeline(
            locked, "sent", at, None if moved else f"accepted by Meta after {locked.status}"
        )
        if moved:
            emit_message(locked, "message.sent")
        return locked


def message_mark_failed(
    *, message: Message, code: str, source: str, detail: str | None = None
) -> Message:
    """The send failed before or while reaching Meta (a Meta error answer, or a
    platform code such as UNKNOWN_OUTCOME). No-op once delivered or read."""
    if source not in ("meta", "platform"):
        raise ValueError(f"unknown error source {source}")
    with transaction.atomic():
        locked = _locked(message.pk)
        error = delivery_error(str(code), source, message=detail)
        at = now()
        if not accepts(locked.status, "failed"):
            _append_timeline(
                locked,
                "failed",
                at,
                f"reported after {locked.status}; ignored ({_error_detail(error)})",
            )
            return locked
        locked.status = "failed"
        locked.error = error
        locked.status_updated_at = at
        locked.save(update_fields=["status", "error", "status_updated_at"])
        _append_timeline(locked, "failed", at, _error_detail(error))
        emit_message(locked, "message.failed")
        return locked
