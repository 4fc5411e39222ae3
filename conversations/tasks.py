"""Background work of messaging: handing outbound messages to Meta, and the sweeper
that repairs lost sends. (Stored Meta webhooks are processed by
``instantreply.meta.tasks``, which calls the handlers this app registers.)

Design note (sending at most once): Meta offers no idempotency key for sends, so
the only protection against a double send is ours. ``send_message`` acts only
after ``message_claim_for_sending`` moved the row queued → sending in one
conditional UPDATE; a duplicate run (redelivery, the sweeper, a retry racing a
retry) finds nothing to claim and stops. A failure that cannot have reached Meta
puts the row back to ``queued`` and retries with backoff; one that may have
reached Meta (read timeout) fails the message with an unknown outcome and is
never resent. A worker that dies between claim and answer leaves the row in
``sending``, and the sweeper fails it the same way after a few minutes.
"""

import datetime as dt
import logging
import secrets

from celery import shared_task
from django.db import transaction

from contacts.models import ContactHandle
from instantreply.core.tasks import RetryingTask
from instantreply.core.timeutil import now
from instantreply.meta import client
from instantreply.meta.client import MetaNotSentError, MetaRequestError, MetaUnknownOutcomeError
from instantreply.meta.error_codes import (
    META_UNREACHABLE,
    SEND_INTERNAL_ERROR,
    SEND_INTERRUPTED,
    UNKNOWN_OUTCOME,
)

from . import services
from .models import Message

logger = logging.getLogger("instantreply.conversations.tasks")

MAX_SEND_RETRIES = 5
# A queued message older than this had its enqueue lost (or its retry chain broke).
QUEUED_GRACE = dt.timedelta(seconds=60)
# Longer than send_message's hard time limit: a message still 'sending' after this has
# no live worker behind it.
SENDING_STUCK_AFTER = dt.timedelta(minutes=3)
SWEEP_BATCH = 500


@shared_task(
    name="conversations.send_message",
    base=RetryingTask,
    bind=True,
    max_retries=MAX_SEND_RETRIES,
    soft_time_limit=45,
    time_limit=60,
)
def send_message(self, message_id: str) -> str:
    message = services.message_claim_for_sending(message_id=message_id)
    if message is None:
        return "not-claimed"
    if not message.livemode:
        return _simulate(message)
    if message.channel.status != "connected":
        # Checked at queueing too; this catches a channel that failed meanwhile (say, an
        # earlier send hit an expired token), so Meta is not called with a known-bad token.
        services.message_mark_failed(
            message=message,
            code="CHANNEL_UNAVAILABLE",
            source="platform",
            detail=f"The channel is {message.channel.status}; nothing was sent.",
        )
        return "failed"
    recipient = _recipient(message)
    if recipient is None:
        services.message_mark_failed(
            message=message,
            code=SEND_INTERNAL_ERROR,
            source="platform",
            detail=f"The contact has no {message.channel.platform} handle to send to.",
        )
        return "failed"
    try:
        result = _deliver(message, recipient)
    except MetaNotSentError as exc:
        if self.may_retry:
            _back_to_queued(message.pk)
            logger.warning(
                "send of %s not accepted (%s); retry %s", message.pk, exc, self.request.retries + 1
            )
            self.retry_later(exc)
        if exc.code is not None and (exc.http_status or 0) < 500:
            # Throttling to the end: Meta's own code says best what to do.
            services.message_mark_failed(
                message=message, code=exc.catalogue_code, source="meta", detail=exc.message
            )
        else:
            services.message_mark_failed(
                message=message,
                code=META_UNREACHABLE,
                source="platform",
                detail=f"Not sent after {MAX_SEND_RETRIES + 1} attempts; last answer: {exc.message}",
            )
        return "failed"
    except MetaUnknownOutcomeError as exc:
        # The catalogue's explanation is what a customer should read; the transport
        # detail stays in the downstream call of the trace.
        logger.warning("send of %s has an unknown outcome: %s", message.pk, exc)
        services.message_mark_failed(message=message, code=UNKNOWN_OUTCOME, source="platform")
        return "unknown-outcome"
    except MetaRequestError as exc:
        services.message_mark_failed(
            message=message,
            code=exc.catalogue_code or str(exc.http_status),
            source="meta",
            detail=exc.message,
        )
        if exc.is_token_error or exc.is_account_restricted:
            services.channel_set_status(
                channel=message.channel,
                status="error",
                error_code=exc.catalogue_code,
                error_message=exc.message,
            )
        return "failed"
    services.message_mark_sent(message=message, external_id=result.external_id, at=now())
    return "sent"


def _recipient(message) -> str | None:
    contact = message.conversation.contact
    handle = (
        ContactHandle.objects.filter(
            contact_id=contact.pk, platform=message.channel.platform, livemode=message.livemode
        )
        .order_by("created_at")
        .values_list("external_id", flat=True)
        .first()
    )
    if handle:
        return handle
    if message.channel.platform == "whatsapp" and contact.phone:
        return contact.phone.lstrip("+")
    return None


def _deliver(message, recipient: str):
    channel = message.channel
    if channel.platform == "whatsapp":
        if message.type == "template":
            template = message.template or {}
            return client.send_whatsapp_template(
                channel=channel,
                to=recipient,
                name=template.get("name"),
                language=template.get("language"),
                variables=list(template.get("variables") or []),
                subject_id=message.pk,
            )
        return client.send_whatsapp_text(
            channel=channel, to=recipient, text=message.text or "", subject_id=message.pk
        )
    return client.send_messaging_text(
        channel=channel,
        recipient_id=recipient,
        text=message.text or "",
        human_agent=message.tag == "human_agent",
        subject_id=message.pk,
    )


def _back_to_queued(message_id: str) -> None:
    # Conditional: only the run that holds the claim may release it.
    Message.objects.filter(pk=message_id, status="sending").update(
        status="queued", status_updated_at=now()
    )


def _simulate(message) -> str:
    """Test mode (§3): never reaches Meta. Accepted then delivered, or the chosen
    Meta error, through the same services a real send and its webhooks use."""
    if message.simulate_error_code:
        services.message_mark_failed(
            message=message, code=message.simulate_error_code, source="meta", detail=None
        )
        return "simulated-failure"
    prefix = "wamid.TEST" if message.channel.platform == "whatsapp" else "m_test_"
    external_id = prefix + secrets.token_hex(12)
    at = now()
    services.message_mark_sent(message=message, external_id=external_id, at=at)
    services.message_status_apply(
        channel=message.channel, external_id=external_id, status="delivered", at=at
    )
    return "simulated"


@shared_task(name="conversations.sweep_messages", acks_late=True, time_limit=120)
def sweep_messages() -> dict:
    """Every minute (beat): re-enqueue sends whose enqueue was lost, and fail sends whose
    worker died mid-call."""
    at = now()
    requeued = list(
        Message.objects.filter(
            direction="outbound", status="queued", status_updated_at__lt=at - QUEUED_GRACE
        )
        .order_by("status_updated_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for message_id in requeued:
        send_message.delay(message_id)

    stuck_ids = list(
        Message.objects.filter(
            direction="outbound", status="sending", status_updated_at__lt=at - SENDING_STUCK_AFTER
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    failed = 0
    for message_id in stuck_ids:
        with transaction.atomic():
            # Re-checked under the row lock: the worker may have answered meanwhile.
            message = (
                Message.objects.select_for_update()
                .filter(
                    pk=message_id, status="sending", status_updated_at__lt=at - SENDING_STUCK_AFTER
                )
                .first()
            )
            if message is None:
                continue
            services.message_mark_failed(message=message, code=SEND_INTERRUPTED, source="platform")
            failed += 1

    return {"requeued": len(requeued), "failed_stuck": failed}
