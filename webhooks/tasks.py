"""Webhook tasks. Every one is safe to run twice (acks_late + reject_on_worker_lost
redeliver after a crash): fan-out and delivery claim their work with conditional
UPDATEs, and the dispatcher only hands rows over."""

from celery import shared_task

from . import delivery, services

# Hard limit well below services.CLAIM_STALE_SECONDS: a claim older than that
# can only belong to a worker that is gone.
DELIVER_TIME_LIMIT = 60


@shared_task(name="webhooks.fan_out_event", time_limit=60, soft_time_limit=50)
def fan_out_event(event_id: str) -> int:
    return len(services.fan_out(event_id=event_id))


@shared_task(
    name="webhooks.deliver", time_limit=DELIVER_TIME_LIMIT, soft_time_limit=DELIVER_TIME_LIMIT - 5
)
def deliver(delivery_id: str) -> str | None:
    return delivery.deliver(delivery_id)


@shared_task(name="webhooks.dispatch_due_deliveries", time_limit=60, soft_time_limit=50)
def dispatch_due_deliveries() -> dict:
    return services.dispatch_due()
