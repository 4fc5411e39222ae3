"""Webhook tasks. Every one is safe to run twice (acks_late + reject_on_worker_lost
redeliver after a crash): fan-out and delivery claim their work with conditional
UPDATEs, and the dispatcher only hands rows over."""

from celery import shared_task

from . import delivery, services

# Hard limit well below services.CLAIM_STALE_SECONDS: a claim older than that can
# only belong to a worker that is gone. A task stops starting sends after
# delivery.INLINE_SEND_BUDGET_SECONDS, so it ends within that budget plus one
# attempt (10 s connect + 10 s read at worst) plus its bookkeeping.
DELIVER_TIME_LIMIT = 60


def _ids(value: str | list[str]) -> list[str]:
    # A single id is what tasks published before batching carried.
    return [value] if isinstance(value, str) else list(value)


@shared_task(
    name="webhooks.fan_out_event",
    time_limit=DELIVER_TIME_LIMIT,
    soft_time_limit=DELIVER_TIME_LIMIT - 5,
)
def fan_out_event(event_ids: str | list[str]) -> int:
    """Fan out events and send their first attempts. A long list (one transaction
    emitted many events) is split so that several workers share it."""
    ids = _ids(event_ids)
    # Before any event is read: a transaction committed from here on queues a task
    # again (services.enqueue_fan_out, coalescing).
    services.clear_fan_out_mark(services.fan_out_queued_mark())
    head, rest = ids[: services.FAN_OUT_BATCH], ids[services.FAN_OUT_BATCH :]
    if rest:
        services.enqueue_fan_out(rest)
    return delivery.fan_out_and_deliver(head)


@shared_task(
    name="webhooks.deliver",
    time_limit=DELIVER_TIME_LIMIT,
    soft_time_limit=DELIVER_TIME_LIMIT - 5,
)
def deliver(delivery_ids: str | list[str]) -> int:
    return len(delivery.deliver_many(_ids(delivery_ids)))


@shared_task(name="webhooks.dispatch_due_deliveries", time_limit=60, soft_time_limit=50)
def dispatch_due_deliveries() -> dict:
    return services.dispatch_due()
