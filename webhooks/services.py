"""Writes of the webhooks app: endpoints, resends, tests, fan-out and dispatch."""

import datetime as dt
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Q

from instantreply.api.errors import ApiError
from instantreply.api.request_ids import current_request_id
from instantreply.core.models import Workspace
from instantreply.core.rawsql import FixedInsert, FixedSelect
from instantreply.core.timeutil import now, truncate_ms

from .models import Event, WebhookDelivery, WebhookEndpoint
from .selectors import (
    endpoint_may_read,
    endpoint_receives,
    event_read_scope,
    read_scopes_of,
    readable_event_types,
)
from .signing import generate_secret
from .targets import validate_url

logger = logging.getLogger("instantreply.webhooks")

ROTATION_OVERLAP = dt.timedelta(hours=24)
# A claim older than the delivery task's hard time limit (plus slack) belongs to a
# worker that is gone: the dispatcher releases it and the row is sent again.
CLAIM_STALE_SECONDS = 90
# A row handed to the broker but still unclaimed after this long is handed over
# again (a publish lost with a broker outage); duplicates lose the claim race.
REDISPATCH_AFTER_SECONDS = 120
# Events not fanned out this long after they were written lost their enqueue.
FAN_OUT_GRACE_SECONDS = 30
DISPATCH_BATCH = 1000
# Rows per delivery task and events per fan-out task: enough to spread the per-task
# costs (broker round trip, transaction, bookkeeping queries) thin, few enough that
# one task's sends stay well inside its time limit and several tasks run in parallel.
# (A fan-out task's fixed cost is ~4 ms of worker CPU: 50 events rather than 25 took
# 0.05-0.1 ms off each delivery, bench/webhooks_delivery.py; a slow receiver still
# gets the rest of a batch handed over after delivery.INLINE_SEND_BUDGET_SECONDS.)
DELIVER_BATCH = 25
FAN_OUT_BATCH = 50
# Set in the shared cache while a fan-out task is queued and not yet started
# (enqueue_fan_out); it lapses by itself if that task is lost.
FAN_OUT_QUEUED_MARK = "webhooks:fan-out-queued"
FAN_OUT_QUEUED_MARK_SECONDS = FAN_OUT_GRACE_SECONDS
# How far back a fan-out task looks for other events still waiting (the sweep's range).
FAN_OUT_WINDOW = dt.timedelta(days=1)


def relaxed_commit() -> None:
    """Inside a transaction of webhook bookkeeping: commit without waiting for the
    WAL flush. Safe because delivery is at-least-once — a commit lost in a
    database crash only means a claim, an attempt record or a fan-out is redone
    (PostgreSQL loses a suffix of such commits, never a middle one), and it
    takes the fsync wait out of every delivery."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mode(livemode: bool) -> str:
    return "live" if livemode else "test"


def _not_revoked(endpoint: WebhookEndpoint, action: str) -> None:
    if endpoint.status == "revoked":
        raise ApiError(
            "VALIDATION_ERROR",
            f"Webhook endpoint {endpoint.id} is revoked and cannot {action}; register a new "
            "endpoint with POST /v1/webhooks.",
            details=[{"field": "id", "issue": "endpoint is revoked"}],
        )


# -- endpoints --------------------------------------------------------------------------
def _check_subscribable(events: list[str], read_scopes: list[str]) -> None:
    """An endpoint receives only what the key that configures it may read (§3):
    naming a type beyond that is refused; "*" means every type it may read."""
    # webhook.test carries no customer data (any webhooks key may send one), so naming
    # it is always allowed, as the contract lists it among the event types.
    refused = [
        t
        for t in events
        if t not in ("*", "webhook.test") and t not in readable_event_types(read_scopes)
    ]
    if refused:
        raise ApiError(
            "VALIDATION_ERROR",
            "This key may not subscribe an endpoint to "
            + ", ".join(f"'{t}'" for t in refused)
            + ": an endpoint receives only the events whose data the key that configures it "
            "may read. Use a key with the scopes named in details, or leave these types out "
            '("*" subscribes to every type this key may read).',
            details=[
                {"field": "events", "issue": f"'{t}' needs the scope '{event_read_scope(t)}'"}
                for t in refused
            ],
        )


@transaction.atomic
def webhook_endpoint_create(
    *,
    workspace: Workspace,
    livemode: bool,
    url: str,
    events: list[str],
    description: str | None,
    key_scopes: list[str],
) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its secret (the only time the secret leaves storage).
    The workspace row is locked so two parallel creations cannot both pass the limit.
    The endpoint records the read scopes among ``key_scopes`` (the registering
    key's) and never receives an event they may not read."""
    read_scopes = read_scopes_of(key_scopes)
    _check_subscribable(events, read_scopes)
    url = validate_url(url)
    locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
    limit = settings.TIERS[locked.tier]["webhook_endpoints"]
    count = (
        WebhookEndpoint.objects.filter(workspace=locked, livemode=livemode)
        .exclude(status="revoked")
        .count()
    )
    if count >= limit:
        raise ApiError(
            "LIMIT_EXCEEDED",
            f"The {locked.tier} plan allows {limit} webhook endpoints per mode and this "
            f"workspace already has {count} in {_mode(livemode)} mode; revoke one with "
            "DELETE /v1/webhooks/:id or upgrade the plan.",
        )
    secret = generate_secret()
    endpoint = WebhookEndpoint.objects.create(
        workspace=locked,
        livemode=livemode,
        url=url,
        events=events,
        read_scopes=read_scopes,
        description=description or None,
        secret=secret,
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, changes: dict, key_scopes: list[str] | None = None
) -> WebhookEndpoint:
    """A change of ``url`` or ``events`` through the API re-records the read
    scopes of the key making it (``key_scopes``): otherwise a key could point an
    endpoint registered by a broader key at its own server and receive what it may
    not read. Operators' changes (no key) keep what the endpoint recorded."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    _not_revoked(locked, "be changed")
    if key_scopes is not None and ("url" in changes or "events" in changes):
        locked.read_scopes = read_scopes_of(key_scopes)
        _check_subscribable(changes.get("events", locked.events), locked.read_scopes)
    if "url" in changes:
        locked.url = validate_url(changes["url"])
    if "events" in changes:
        locked.events = changes["events"]
    if "description" in changes:
        locked.description = changes["description"] or None
    status = changes.get("status")
    if status == "enabled" and locked.status != "enabled":
        _enable(locked)
    elif status == "disabled" and locked.status != "disabled":
        locked.status = "disabled"
        locked.disabled_reason = "disabled through the API"
        _cancel_pending(locked, "endpoint disabled")
    locked.updated_at = now()
    locked.save()
    return locked


def _enable(endpoint: WebhookEndpoint) -> None:
    # Re-enabling restarts the failure clock: 5 more days before auto-disable.
    endpoint.status = "enabled"
    endpoint.disabled_reason = None
    endpoint.failing_since = None
    endpoint.consecutive_failures = 0


@transaction.atomic
def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Admin re-enable (the API's PATCH status=enabled takes the same path)."""
    return webhook_endpoint_update(endpoint=endpoint, changes={"status": "enabled"})


@transaction.atomic
def webhook_endpoint_revoke(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Idempotent: revoking a revoked endpoint changes nothing."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.status != "revoked":
        locked.status = "revoked"
        locked.revoked_at = locked.updated_at = now()
        locked.save(update_fields=["status", "revoked_at", "updated_at"])
        _cancel_pending(locked, "endpoint revoked")
    return locked


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    """The current secret keeps signing beside the new one for 24 h, so receivers can
    switch without dropping a delivery. A second rotation inside the window drops
    the oldest secret."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    _not_revoked(locked, "rotate its secret")
    secret = generate_secret()
    current = now()
    locked.previous_secret = locked.secret
    locked.previous_secret_expires_at = current + ROTATION_OVERLAP
    locked.secret = secret
    locked.updated_at = current
    locked.save()
    return locked, secret


def disable_endpoint(*, endpoint_id: str, reason: str) -> bool:
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint_id, status="enabled").update(
            status="disabled", disabled_reason=reason, updated_at=now()
        )
        if changed:
            _cancel_pending(WebhookEndpoint(pk=endpoint_id), "endpoint disabled")
    if changed:
        logger.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)
    return bool(changed)


def _cancel_pending(endpoint: WebhookEndpoint, why: str) -> int:
    """Pending attempts not yet taken by a worker are cancelled; one in flight
    finishes and is recorded, but schedules no retry (the worker re-reads status)."""
    return WebhookDelivery.objects.filter(
        endpoint_id=endpoint.pk, status="pending", claimed_at__isnull=True
    ).update(status="failed", error=f"canceled: {why}", next_attempt_at=None)


# -- events, deliveries -------------------------------------------------------------------
def enqueue_deliveries(ids: list[str], *, per_task: int = DELIVER_BATCH) -> None:
    """Hand rows to the broker, ``per_task`` per task, once the transaction that
    wrote them commits. A lost publish is not fatal: the dispatcher re-sends
    unclaimed rows."""

    def publish():
        # The tasks module imports this one: enqueuing our own tasks is the one cycle.
        from .tasks import deliver

        for start in range(0, len(ids), per_task):
            try:
                deliver.delay(ids[start : start + per_task])
            except Exception:
                if settings.CELERY_TASK_ALWAYS_EAGER:
                    raise
                logger.exception("could not enqueue webhook deliveries %s", ids[start])
                return

    if ids:
        transaction.on_commit(publish)


def fan_out_queued_mark() -> str | None:
    """The cache key of the "a fan-out task is queued" mark, or None where
    publishes are not coalesced: without a cache every process shares (the
    embedded mode's is per process) or when tasks run in the caller (eager)."""
    # The tasks module imports this one: enqueuing our own tasks is the one cycle.
    from .tasks import fan_out_event

    if not settings.REDIS_URL or fan_out_event.app.conf.task_always_eager:
        return None
    # Per database: processes working on another database (tests, benches) share Redis.
    return f"{FAN_OUT_QUEUED_MARK}:{connection.settings_dict['NAME']}"


def clear_fan_out_mark(mark: str | None) -> None:
    if mark is None:
        return
    try:
        cache.delete(mark)
    except Exception:
        # Unreachable cache: the mark lapses after FAN_OUT_QUEUED_MARK_SECONDS.
        logger.exception("could not clear the webhook fan-out queued mark")


def enqueue_fan_out(event_ids: list[str]) -> None:
    """Queue fan-out tasks of at most FAN_OUT_BATCH events each; callers run this
    after their commit. A lost publish is swept up by the dispatcher.

    Design note (coalescing, as meta.tasks.queue_processing does for inbound
    events): a task published per committed transaction cost the worker a broker
    message and a claim query per event when events come one per transaction
    (bench/webhooks_delivery.py, latency run). With a cache every process shares
    (production: Redis), one atomic add of the mark decides whether the first
    batch is published: a task clears the mark before it reads any event and
    takes waiting events beside its own, so an event committed before the add is
    either read by the task that is waiting, or its publisher finds no mark and
    queues one; a task that took a full batch queues the next. A lost publish
    clears the mark; it lapses by itself if the queued task is lost, and the
    dispatcher's sweep takes what such a task would have taken."""
    # The tasks module imports this one: enqueuing our own tasks is the one cycle.
    from .tasks import fan_out_event

    mark = fan_out_queued_mark()
    for start in range(0, max(1, len(event_ids)), FAN_OUT_BATCH):
        marked = False
        try:
            if start == 0 and mark is not None:
                if not cache.add(mark, 1, FAN_OUT_QUEUED_MARK_SECONDS):
                    continue  # the queued task will take these events
                marked = True
            fan_out_event.delay(event_ids[start : start + FAN_OUT_BATCH])
        except Exception:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            logger.exception("could not enqueue fan-out of %s", event_ids[start : start + 1])
            if marked:
                clear_fan_out_mark(mark)
            return


# A list of ids as ONE parameter (JSON), read as a one-column table: the statement's
# text, and psycopg's parse of it, stay the same whatever the list's length.
_ID_LIST = {
    "postgresql": "SELECT json_array_elements_text(%s::json)",
    "sqlite": "SELECT value FROM json_each(%s)",
}


def fan_out(*, event_ids: list[str], claim: dt.datetime) -> tuple[list[WebhookDelivery], bool]:
    """First attempts of these events: one per enabled endpoint of the event's
    workspace and mode subscribed to its type, created already claimed by the
    caller (``claimed_at = claim``), which sends them right after this commits —
    no broker round trip for the common case. Should the caller die before it
    records them, they are stale claims the dispatcher releases and sends again.

    When workers fall behind, events wait to be fanned out: the task takes up to
    FAN_OUT_BATCH of them (its own first, then the oldest), so a backlog of
    one-event tasks is worked off in batches and the tasks that come later for
    events already taken are no-ops. Rows are taken with FOR UPDATE SKIP LOCKED
    (SQLite: the IMMEDIATE transaction) and fanned_out_at makes a repeated task
    (at-least-once broker) do nothing twice. Returns the rows, which carry their
    endpoint and event, and whether the batch was full (more may be waiting)."""
    current = truncate_ms(claim)
    # Fixed SQL text, rows loaded without a QuerySet: compiling these statements
    # through the ORM, then its raw querysets' per-query set-up, cost more CPU than
    # the rest of the fan-out (bench/webhooks_delivery.py).
    ops = connection.ops
    events_table = ops.quote_name(Event._meta.db_table)
    ids = _ID_LIST[connection.vendor]
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    mine = json.dumps(list(event_ids))
    limit = max(FAN_OUT_BATCH, len(event_ids))
    event_rows = FixedSelect.of(Event)
    endpoint_rows = FixedSelect.of(WebhookEndpoint)
    with transaction.atomic():
        relaxed_commit()
        # Taken and marked in one statement: the rows locked by the inner SELECT
        # (skipping those another task holds) are the ones marked and returned.
        events = event_rows.run(
            f"UPDATE {events_table} SET fanned_out_at = %s WHERE id IN ("
            f"SELECT id FROM {events_table} WHERE fanned_out_at IS NULL "
            f"AND (id IN ({ids}) OR created_at >= %s) "
            f"ORDER BY CASE WHEN id IN ({ids}) THEN 0 ELSE 1 END, created_at, id "
            f"LIMIT %s{lock}) RETURNING {event_rows.columns}",
            [
                ops.adapt_datetimefield_value(claim),
                mine,
                ops.adapt_datetimefield_value(claim - FAN_OUT_WINDOW),
                mine,
                limit,
            ],
        )
        if not events:
            return [], False
        full = len(events) >= limit
        # RETURNING gives no order: the caller's events first, then the oldest.
        asked = set(event_ids)
        events.sort(key=lambda e: (e.id not in asked, e.created_at, e.id))
        # webhook.test events are sent to their one endpoint by webhook_endpoint_send_test.
        events = [e for e in events if e.type != "webhook.test"]
        scopes = sorted({(e.workspace_id, e.livemode) for e in events})
        if not scopes:
            return [], full
        events = event_rows.instances(events)
        by_scope: dict[tuple, list[WebhookEndpoint]] = {}
        for endpoint in endpoint_rows.instances(
            endpoint_rows.fetch(
                "WHERE status = 'enabled' AND ("
                + " OR ".join(["(workspace_id = %s AND livemode = %s)"] * len(scopes))
                + ") ORDER BY created_at, id",
                [value for scope in scopes for value in scope],
            )
        ):
            by_scope.setdefault((endpoint.workspace_id, endpoint.livemode), []).append(endpoint)
        rows = [
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                attempt=1,
                created_at=current,
                next_attempt_at=current,
                dispatched_at=current,
                claimed_at=claim,
            )
            for event in events
            for endpoint in by_scope.get((event.workspace_id, event.livemode), ())
            if endpoint_receives(endpoint, event.type)
        ]
        # Fixed SQL, not bulk_create: the fan-out is on every delivery's path.
        FixedInsert.of(WebhookDelivery).insert(rows)
    return rows, full


def _schedule_now(*, endpoint: WebhookEndpoint, event: Event) -> WebhookDelivery:
    """An attempt of ``event`` at ``endpoint`` due now: the pending one moved
    forward if there is one (never two retry chains), else a new row."""
    current = now()
    pending = (
        WebhookDelivery.objects.select_for_update()
        .filter(endpoint=endpoint, event=event, status="pending")
        .first()
    )
    if pending is not None:
        if pending.claimed_at is None:
            pending.next_attempt_at = current
            pending.dispatched_at = current
            pending.save(update_fields=["next_attempt_at", "dispatched_at"])
            enqueue_deliveries([pending.id])
        return pending
    last = WebhookDelivery.objects.filter(endpoint=endpoint, event=event).aggregate(
        n=Max("attempt")
    )["n"]
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        attempt=(last or 0) + 1,
        created_at=current,
        next_attempt_at=current,
        dispatched_at=current,
    )
    enqueue_deliveries([delivery.id])
    return delivery


@transaction.atomic
def webhook_event_resend(*, endpoint: WebhookEndpoint, event: Event) -> WebhookDelivery:
    _not_revoked(endpoint, "receive deliveries")
    if event.type != "webhook.test" and not endpoint_may_read(endpoint, event.type):
        raise ApiError(
            "VALIDATION_ERROR",
            f"Endpoint {endpoint.id} may not receive {event.type} events: it was configured "
            f"by a key without the scope '{event_read_scope(event.type)}', so event "
            f"{event.id} cannot be sent to it.",
            details=[
                {
                    "field": "event_id",
                    "issue": f"{event.type} needs the scope '{event_read_scope(event.type)}'",
                }
            ],
        )
    return _schedule_now(endpoint=endpoint, event=event)


@transaction.atomic
def webhook_endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A webhook.test event for this endpoint only — whatever it subscribes to and
    even when disabled. It is never fanned out nor listed in /v1/events."""
    _not_revoked(endpoint, "receive test events")
    event = Event.objects.create(
        workspace_id=endpoint.workspace_id,
        livemode=endpoint.livemode,
        type="webhook.test",
        data={"endpoint_id": endpoint.id},
        object_id=endpoint.id,
        request_id=current_request_id(),
        fanned_out_at=now(),
    )
    return _schedule_now(endpoint=endpoint, event=event)


def webhook_event_replay(*, event: Event, endpoint: WebhookEndpoint | None = None) -> list:
    """Operators' replay (admin, manage.py): to one endpoint, or to every enabled
    endpoint of the event's workspace and mode subscribed to its type."""
    with transaction.atomic():
        if endpoint is not None:
            if endpoint.workspace_id != event.workspace_id or endpoint.livemode != event.livemode:
                raise ValueError(
                    f"endpoint {endpoint.id} is not in the workspace and mode of event {event.id}"
                )
            if endpoint.status == "revoked":
                raise ValueError(f"endpoint {endpoint.id} is revoked")
            if not endpoint_may_read(endpoint, event.type):
                raise ValueError(f"endpoint {endpoint.id} may not read {event.type} events")
            targets = [endpoint]
        else:
            targets = [
                e
                for e in WebhookEndpoint.objects.filter(
                    workspace_id=event.workspace_id, livemode=event.livemode, status="enabled"
                )
                if endpoint_receives(e, event.type)
            ]
        return [_schedule_now(endpoint=e, event=event) for e in targets]


def dispatch_due(*, at: dt.datetime | None = None, limit: int = DISPATCH_BATCH) -> dict:
    """The periodic dispatcher (design note). Long waits live here, as rows with
    next_attempt_at, never as far-future broker ETAs (Redis would redeliver those
    after its visibility timeout). Each run hands to the broker:

    * due attempts never handed over (retries), or handed over long ago and still
      unclaimed (publish lost);
    * attempts whose claim is stale — the worker died mid-delivery (SIGKILL, OOM):
      the claim is released by a conditional UPDATE and the row sent again, so the
      event is delivered at least once;
    * events whose fan-out never ran.
    """
    current = at or now()
    stale = current - dt.timedelta(seconds=CLAIM_STALE_SECONDS)
    redispatch = current - dt.timedelta(seconds=REDISPATCH_AFTER_SECONDS)
    due = WebhookDelivery.objects.filter(status="pending", next_attempt_at__lte=current)
    ready = list(
        due.filter(
            Q(claimed_at__isnull=True)
            & (Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=redispatch))
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    abandoned = list(due.filter(claimed_at__lt=stale).values_list("id", "claimed_at")[:limit])
    released = []
    for delivery_id, claimed_at in abandoned:
        if WebhookDelivery.objects.filter(
            pk=delivery_id, status="pending", claimed_at=claimed_at
        ).update(claimed_at=None, dispatched_at=current):
            released.append(delivery_id)
    if ready:
        WebhookDelivery.objects.filter(pk__in=ready, claimed_at__isnull=True).update(
            dispatched_at=current
        )
    enqueue_deliveries(ready + released)

    lost = list(
        Event.objects.filter(
            fanned_out_at__isnull=True,
            created_at__lt=current - dt.timedelta(seconds=FAN_OUT_GRACE_SECONDS),
            created_at__gte=current - FAN_OUT_WINDOW,
        ).values_list("id", flat=True)[:limit]
    )
    if lost:
        transaction.on_commit(lambda: enqueue_fan_out(lost))
    if released:
        logger.warning("released %d stale webhook delivery claims", len(released))
    return {"dispatched": len(ready), "released": len(released), "fanned_out": len(lost)}
