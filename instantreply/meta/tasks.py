"""Background work of Meta's front door: processing stored webhook events, and the
sweep that queues again the events whose processing was lost.

Design note: ``/meta/webhook`` stores each POST and acknowledges it before any
processing (Meta retries what is not acknowledged fast). The processing task runs a
batch of waiting events (``inbound.process_batch``); a lost enqueue (broker down, a
worker killed mid-batch) leaves events ``received``, and the sweep queues them again
after a grace period. Everything a handler does is idempotent on Meta's ids, so a
second run changes nothing.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, Concat

from instantreply.core.coalesce import Coalesced
from instantreply.core.tasks import RetryingTask
from instantreply.core.timeutil import now

from . import inbound
from .models import InboundEvent

logger = logging.getLogger("instantreply.meta")

INBOUND_GRACE = dt.timedelta(seconds=60)
# Set (in the shared cache) while a draining processing task is queued and not yet
# started; it lapses by itself if that task is lost, and the sweep takes its events.
QUEUED_MARK = "meta:inbound:drain-queued"
QUEUED_MARK_SECONDS = 60
# Each sweep counts one attempt and each completed pass another; an event still
# unprocessed after this many has a processing problem of its own.
INBOUND_MAX_ATTEMPTS = 8
SWEEP_BATCH = 500


@shared_task(
    name="meta.process_inbound_event",
    base=RetryingTask,
    bind=True,
    max_retries=5,
    soft_time_limit=100,
    time_limit=120,
)
def process_inbound_event(self, event_id: int, drain: bool = False) -> str | None:
    """Process the event's batch. ``drain`` (queued by ``queue_processing``): the
    batch is taken even when the event itself is done, since the posts behind this
    task queued none of their own, and a full batch queues the next one."""
    if drain:
        # Before taking any event: a post committed from here on queues a task again.
        _clear_queued_mark()
    try:
        batch = inbound.process_batch(
            event_id,
            limit=inbound.BATCH_SIZE,
            drain=drain,
            # A full claim: more may be waiting. The next task is queued before this
            # batch is worked, so another worker process takes the next batch now
            # (its claim skips the rows this one holds) instead of after this commit.
            when_full=(lambda: queue_processing(event_id)) if drain else None,
        )
    except (OperationalError, InterfaceError) as exc:
        # The database went away mid-batch: nothing committed, the events are still
        # 'received'; try again shortly (the sweep is the backstop).
        self.retry_later(exc)
    for left_id in batch.left:
        process_inbound_event.delay(left_id)
    return batch.own.status if batch.own is not None else None


def queue_processing(event_id: int) -> None:
    """After a stored event's commit: queue its processing, unless a draining task is
    already queued and not yet started — that task will take this event too.

    Design note: a Celery publish per POST was over a third of the acknowledgement's
    cost (bench/meta_ingest.py). With a cache every process shares (production:
    Redis), one atomic add of QUEUED_MARK decides whether this post queues a task.
    A task clears the mark before it reads any event, so an event committed before
    the add is either read by the task that is waiting, or its post finds no mark
    and queues one. In the embedded mode (a per-process cache) every post queues a
    task of its own, as before. A lost publish clears the mark; the sweep is the
    backstop either way."""
    shared = bool(settings.REDIS_URL)
    try:
        if shared and not cache.add(QUEUED_MARK, event_id, QUEUED_MARK_SECONDS):
            return
        process_inbound_event.delay(event_id, drain=shared)
    except Exception:
        # The event is already stored: acknowledging it is right, and the sweep
        # queues events left in 'received' once the broker is back.
        logger.exception("could not queue inbound event %s", event_id)
        if shared:
            _clear_queued_mark()


def _check_interval_ms() -> int:
    # Only a shared cache lets one check cover many posts: in the embedded mode
    # every post queues its own task, at once.
    return settings.META_QUEUE_CHECK_MS if settings.REDIS_URL else 0


# What a stored event's commit calls: ``queue_processing`` of the latest event,
# made once per META_QUEUE_CHECK_MS for all the posts of this process in that
# interval (a draining task takes every waiting event, whichever id it was given).
queue_processing_soon = Coalesced(
    queue_processing, name="meta-queue-check", interval_ms=_check_interval_ms
)


def _clear_queued_mark() -> None:
    try:
        cache.delete(QUEUED_MARK)
    except Exception:
        # Unreachable cache: the mark lapses after QUEUED_MARK_SECONDS.
        logger.exception("could not clear the inbound queued mark")


@shared_task(name="meta.sweep_inbound_events", acks_late=True, time_limit=120)
def sweep_inbound_events() -> dict:
    """Every minute (beat): queue again the events whose processing was lost, give up
    on those that keep failing, and drop processed events past the trace retention."""
    at = now()
    events = list(
        InboundEvent.objects.filter(status="received", created_at__lt=at - INBOUND_GRACE)
        .order_by("created_at")
        .values_list("pk", "attempts")[:SWEEP_BATCH]
    )
    reprocessed = 0
    for event_id, attempts in events:
        if attempts >= INBOUND_MAX_ATTEMPTS:
            InboundEvent.objects.filter(pk=event_id, status="received").update(
                status="failed",
                reason=Concat(
                    Value(f"processing did not complete after {attempts} attempts; "),
                    Coalesce("reason", Value(""), output_field=TextField()),
                    output_field=TextField(),
                ),
                processed_at=at,
            )
            continue
        InboundEvent.objects.filter(pk=event_id).update(attempts=attempts + 1)
        process_inbound_event.delay(event_id)
        reprocessed += 1
    # Raw webhook events are kept as long as the request logs they belong to (§7).
    expired = list(
        InboundEvent.objects.exclude(status="received")
        .filter(created_at__lt=at - dt.timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS))
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if expired:
        InboundEvent.objects.filter(pk__in=expired).delete()
    return {"inbound_requeued": reprocessed, "inbound_purged": len(expired)}
