"""Delivery attempts (§9), run by the ``fan_out_event`` and ``deliver`` tasks.

Design note: a row is sent only by the worker that claimed it — the fan-out task
creates first attempts already claimed (claimed_at = T) and sends them itself;
the deliver task claims rows with a conditional UPDATE (pending and unclaimed →
claimed_at = T). Results are written back only while the claim is still T, so a
duplicate task, or a worker that outlived a released claim, never records twice.
A task sends its rows one after another over per-thread keep-alive connections,
then writes every outcome, downstream-call record, the endpoints' health and
the next attempts (new pending rows) in one transaction — a handful of queries
per task however many rows it sent. A worker killed in between leaves claimed
rows that the dispatcher releases once stale and sends again (at least once).
"""

import datetime as dt
import email.utils
import json
import logging
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from instantreply.api.tracing import capture_body, redact_url
from instantreply.core.models import DownstreamCall
from instantreply.core.rawsql import FixedInsert
from instantreply.core.timeutil import now

from . import delivery_policy as policy
from . import services
from .models import WebhookDelivery, WebhookEndpoint
from .serializers import event_payload
from .services import disable_endpoint, relaxed_commit
from .signing import signature_header
from .targets import USER_AGENT, UnsafeTarget, https_required, open_post

logger = logging.getLogger("instantreply.webhooks")

RESPONSE_BODY_KEPT = 4096
RESPONSE_BODY_READ_MAX = 65_536
MAX_RETRY_AFTER_SECONDS = 86_400
# Success bookkeeping on the endpoint is skipped when it would change nothing but
# a sub-second timestamp (a busy endpoint would otherwise update it per event).
SUCCESS_STAMP_RESOLUTION = dt.timedelta(seconds=1)
# A task stops starting sends once it has been sending this long and hands the rest
# to one task each, so a slow receiver delays the rows behind it by at most one
# slow attempt and they are sent in parallel again. It also keeps the task inside
# its time limit (and so below services.CLAIM_STALE_SECONDS).
INLINE_SEND_BUDGET_SECONDS = 2.0
# Rows are claimed together, so a task that has been sending this long re-reads its
# endpoints' status before the next send: a revoke or disable made meanwhile stops
# the rest of the batch, as it stops any attempt not yet in flight.
ENDPOINT_RECHECK_SECONDS = 0.25


def payload_body(event) -> bytes:
    return json.dumps(event_payload(event), separators=(",", ":"), ensure_ascii=False).encode()


def active_secrets(endpoint: WebhookEndpoint, at: dt.datetime) -> list[str]:
    secrets = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > at
    ):
        secrets.append(endpoint.previous_secret)
    return secrets


def signed_headers(event_id: str, body: bytes, secrets: list[str]) -> dict:
    """The headers of one attempt: Standard Webhooks id, timestamp (now) and
    signature (one per active secret)."""
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets, event_id, timestamp, body),
    }


def retry_delay(attempt: int, retry_after: float | None) -> float:
    """Seconds before attempt ``attempt + 1``: the schedule ± jitter, or the
    receiver's Retry-After when that is longer."""
    base = policy.RETRY_SCHEDULE_SECONDS[attempt - 1]
    delay = base * random.uniform(1 - policy.JITTER, 1 + policy.JITTER)
    if retry_after is not None and retry_after > delay:
        delay = min(retry_after, MAX_RETRY_AFTER_SECONDS)
    return delay


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class Outcome:
    __slots__ = ("status", "body", "error", "retry_after", "duration_ms")

    def __init__(self, status=None, body=None, error=None, retry_after=None, duration_ms=0):
        self.status = status
        self.body = body
        self.error = error
        self.retry_after = retry_after
        self.duration_ms = duration_ms

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """POST with a 10 s limit, no redirects, the address checked and pinned at
    connect time (when the guard is on); the response body is read up to 64 KB
    so the keep-alive connection can be reused, and its first 4 KB kept."""
    started = time.perf_counter()
    outcome = Outcome()
    if https_required() and not url.lower().startswith("https://"):
        outcome.error = "not sent: https is required for webhook URLs"
        return outcome
    try:
        response = open_post(url, body, headers)
        try:
            outcome.status = response.status
            outcome.retry_after = parse_retry_after(response.headers.get("Retry-After"))
            buffer = bytearray()
            # read1: at most one receive per call, so the time limit is checked between
            # receives (read(n) waits for n bytes); urllib3 closes the response, and
            # releases its connection to the pool, as soon as the framing says the body
            # is complete (one call for a short Content-Length body).
            while not response.closed:
                chunk = response.read1(RESPONSE_BODY_READ_MAX + 1 - len(buffer))
                if not chunk:
                    break
                buffer += chunk
                if len(buffer) > RESPONSE_BODY_READ_MAX:
                    break
                if time.perf_counter() - started > policy.TIMEOUT_SECONDS:
                    outcome.status = None
                    outcome.error = (
                        f"timed out: the response took longer than {policy.TIMEOUT_SECONDS} s"
                    )
                    break
            # PostgreSQL stores no NUL character (text or jsonb), and a receiver may send one.
            outcome.body = (
                bytes(buffer[:RESPONSE_BODY_KEPT])
                .decode("utf-8", errors="replace")
                .replace("\x00", "\ufffd")
            )
            if 300 <= response.status < 400:
                location = response.headers.get("Location", "")
                outcome.error = f"redirect to '{location}' not followed; only 2xx counts as success"
            elif not outcome.succeeded and outcome.error is None:
                outcome.error = f"receiver answered HTTP {response.status}"
        finally:
            if not response.closed:
                # Unread bytes left on the connection (past the read limit, timed out, or
                # an error): it cannot carry another request, even before they arrive.
                response.close()
            response.release_conn()
    except UnsafeTarget as exc:
        outcome.error = (
            f"refused: the URL's host resolves to {exc.address}, which is not a public "
            "internet address"
        )
    except (ConnectTimeoutError, ReadTimeoutError) as exc:
        if isinstance(exc, NewConnectionError):  # a subclass of ConnectTimeoutError
            outcome.error = f"connection failed: {type(exc).__name__}: {exc}"[:1000]
        else:
            # Also when the head had arrived: success is a 2xx answered within the limit.
            outcome.status = None
            outcome.error = f"timed out after {policy.TIMEOUT_SECONDS} s"
    except (NewConnectionError, ProtocolError, SSLError) as exc:
        outcome.error = f"connection failed: {type(exc).__name__}: {exc}"[:1000]
    except HTTPError as exc:
        outcome.error = f"request failed: {type(exc).__name__}: {exc}"[:1000]
    except Exception as exc:
        # A fault of the client itself must not end the task: the other rows of its
        # batch would be sent again when their claims go stale, every 90 s.
        logger.exception("webhook POST failed unexpectedly")
        outcome.status = None
        outcome.error = f"request failed: {type(exc).__name__}"
    outcome.duration_ms = int((time.perf_counter() - started) * 1000)
    return outcome


@dataclass
class Attempt:
    row: WebhookDelivery
    outcome: Outcome | None = None  # None: not sent
    canceled: str | None = None
    body: bytes = b""


def fan_out_and_deliver(event_ids: list[str]) -> int:
    """Create the first attempts of these events and send them; returns how many
    rows were created."""
    claim = timezone.now()
    rows, full = services.fan_out(event_ids=event_ids, claim=claim)
    if full and services.fan_out_queued_mark() is not None:
        # More events may be waiting and their publishes were coalesced into the
        # task that just ran (services.enqueue_fan_out): queue the next one before
        # sending, so that another worker thread takes them meanwhile.
        services.enqueue_fan_out([])
    send_claimed(rows, claim)
    return len(rows)


def deliver_many(delivery_ids: list[str]) -> dict[str, str]:
    """Claim and send due rows; returns {id: final status} of the rows this call
    claimed (rows another worker has, or that are done, are skipped)."""
    claim = timezone.now()
    with transaction.atomic():
        relaxed_commit()
        claimed = WebhookDelivery.objects.filter(
            pk__in=delivery_ids, status="pending", claimed_at__isnull=True
        ).update(claimed_at=claim)
    if not claimed:
        return {}
    rows = list(
        WebhookDelivery.objects.select_related("endpoint", "event")
        .filter(pk__in=delivery_ids, claimed_at=claim)
        .order_by("next_attempt_at", "id")
    )
    return send_claimed(rows, claim)


def deliver(delivery_id: str) -> str | None:
    """Run one attempt; returns its final status, or None when another worker has it."""
    return deliver_many([delivery_id]).get(delivery_id)


def send_claimed(rows: list[WebhookDelivery], claim: dt.datetime) -> dict[str, str]:
    started = checked = time.monotonic()
    attempts: list[Attempt] = []
    bodies: dict[str, bytes] = {}
    gone: set[str] = set()
    handed_over: list[str] = []
    current_status: dict[str, str] = {}
    for index, row in enumerate(rows):
        # The first row is always sent, so handing over always makes progress.
        if index and time.monotonic() - started > INLINE_SEND_BUDGET_SECONDS:
            handed_over = [r.pk for r in rows[index:]]
            break
        if time.monotonic() - checked > ENDPOINT_RECHECK_SECONDS:
            current_status = dict(
                WebhookEndpoint.objects.filter(
                    pk__in={r.endpoint_id for r in rows[index:]}
                ).values_list("pk", "status")
            )
            checked = time.monotonic()
        endpoint, event = row.endpoint, row.event
        is_test = event.type == "webhook.test"
        status = current_status.get(endpoint.pk, endpoint.status)
        if status == "revoked" or (status == "disabled" and not is_test):
            attempts.append(Attempt(row, canceled=f"canceled: endpoint {status}"))
            continue
        if endpoint.pk in gone and not is_test:
            # An earlier row of this task was answered 410: the endpoint is being disabled.
            attempts.append(Attempt(row, canceled="canceled: endpoint disabled"))
            continue
        body = bodies.get(event.pk)
        if body is None:
            body = bodies[event.pk] = payload_body(event)
        headers = signed_headers(event.id, body, active_secrets(endpoint, claim))
        outcome = post(endpoint.url, body, headers)
        if outcome.status == 410:
            gone.add(endpoint.pk)
        attempts.append(Attempt(row, outcome=outcome, body=body))
    statuses = _record(attempts, claim)
    if handed_over:
        _hand_over(handed_over, claim)
    return statuses


def _hand_over(ids: list[str], claim: dt.datetime) -> None:
    """Release rows this task did not get to and queue one task per row."""
    with transaction.atomic():
        relaxed_commit()
        released = list(
            WebhookDelivery.objects.filter(pk__in=ids, status="pending", claimed_at=claim)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=released, claimed_at=claim).update(
            claimed_at=None, dispatched_at=now()
        )

    # One task per row: each may go to another worker. Unclaimed and dispatched, a
    # row whose publish is lost is handed over again by the dispatcher.
    services.enqueue_deliveries(released, per_task=1)


def _retry_at(row: WebhookDelivery, outcome: Outcome, finished: dt.datetime):
    if (
        outcome.succeeded
        or outcome.status == 410
        or row.event.type == "webhook.test"
        or row.attempt >= policy.MAX_ATTEMPTS
    ):
        return None
    return finished + dt.timedelta(seconds=retry_delay(row.attempt, outcome.retry_after))


def _record(attempts: list[Attempt], claim: dt.datetime) -> dict[str, str]:
    """Write every outcome of one task in one transaction (design note)."""
    if not attempts:
        return {}
    finished = now()
    sent = [a for a in attempts if a.outcome is not None]
    canceled = [a for a in attempts if a.canceled is not None]
    statuses: dict[str, str] = {a.row.pk: "failed" for a in canceled}
    retries: dict[str, dt.datetime] = {}
    for a in sent:
        row, outcome = a.row, a.outcome
        statuses[row.pk] = "succeeded" if outcome.succeeded else "failed"
        row.status = statuses[row.pk]
        row.response_status = outcome.status
        row.duration_ms = outcome.duration_ms
        row.response_body = outcome.body
        row.error = outcome.error
        row.attempted_at = finished
        row.next_attempt_at = _retry_at(row, outcome, finished)
        if row.next_attempt_at is not None:
            retries[row.pk] = row.next_attempt_at
    held = sent
    with transaction.atomic():
        relaxed_commit()
        for reason in {a.canceled for a in canceled}:
            WebhookDelivery.objects.filter(
                pk__in=[a.row.pk for a in canceled if a.canceled == reason],
                status="pending",
                claimed_at=claim,
            ).update(status="failed", error=reason, next_attempt_at=None)
        if sent:
            updated = _write_outcomes(sent, claim, finished)
            if updated != len(sent):
                # Some claims were released as stale while this worker was still
                # sending: those rows belong to another attempt now.
                kept = set(
                    WebhookDelivery.objects.filter(
                        pk__in=[a.row.pk for a in sent], claimed_at=claim, attempted_at=finished
                    ).values_list("pk", flat=True)
                )
                held = [a for a in sent if a.row.pk in kept]
            _record_calls(held)
            _note_health(held, finished)
            _schedule_retries([a for a in held if a.row.pk in retries])
    for endpoint_id in {a.row.endpoint_id for a in held if a.outcome.status == 410}:
        disable_endpoint(endpoint_id=endpoint_id, reason="receiver answered 410 Gone")
    failing = {
        a.row.endpoint_id for a in held if not a.outcome.succeeded and a.outcome.status != 410
    }
    for endpoint_id in failing:
        _maybe_disable_for_failing(endpoint_id, finished)
    return statuses


# What varies per row of one outcome, as a table ``v`` read from one JSON parameter
# (a statement with a parameter per row would be re-parsed by psycopg every time).
_PER_ROW = {
    "postgresql": "json_to_recordset(%s::json) AS v (id text, duration_ms integer, "
    "next_attempt_at timestamptz)",
    "sqlite": "(SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.duration_ms') "
    "AS duration_ms, json_extract(value, '$.next_attempt_at') AS next_attempt_at "
    "FROM json_each(%s)) AS v",
}


def _write_outcomes(sent: list[Attempt], claim: dt.datetime, finished: dt.datetime) -> int:
    """One UPDATE per distinct outcome (usually one: 2xx, same body); what varies
    per row (duration, next attempt) comes from a JSON list. Fixed SQL text: the
    ORM's CASE per row cost more CPU than the send itself."""
    ops = connection.ops
    postgres = connection.vendor == "postgresql"

    def stamp(value):
        if value is None:
            return None
        return value.isoformat() if postgres else ops.adapt_datetimefield_value(value)

    table = ops.quote_name(WebhookDelivery._meta.db_table)
    groups: dict[tuple, list[WebhookDelivery]] = {}
    for a in sent:
        r = a.row
        groups.setdefault((r.status, r.response_status, r.response_body, r.error), []).append(r)
    updated = 0
    with connection.cursor() as cursor:
        for (status, response_status, response_body, error), rows in groups.items():
            per_row = [
                {
                    "id": r.pk,
                    "duration_ms": r.duration_ms,
                    "next_attempt_at": stamp(r.next_attempt_at),
                }
                for r in rows
            ]
            cursor.execute(
                f"UPDATE {table} SET status = %s, response_status = %s, response_body = %s, "
                "error = %s, attempted_at = %s, duration_ms = v.duration_ms, "
                f"next_attempt_at = v.next_attempt_at FROM {_PER_ROW[connection.vendor]} "
                f"WHERE {table}.id = v.id AND {table}.status = 'pending' "
                f"AND {table}.claimed_at = %s",
                [
                    status,
                    response_status,
                    response_body,
                    error,
                    ops.adapt_datetimefield_value(finished),
                    json.dumps(per_row, separators=(",", ":")),
                    ops.adapt_datetimefield_value(claim),
                ],
            )
            updated += cursor.rowcount
    return updated


def _record_calls(held: list[Attempt]) -> None:
    """One downstream call per attempt (§7), written in one statement; a payload or
    response body that several attempts share is captured (parsed, redacted) once."""
    captured: dict[object, object] = {}

    def capture(body):
        if body not in captured:
            captured[body] = capture_body(body)[0]
        return captured[body]

    urls: dict[str, str] = {}
    calls = []
    for a in held:
        row, outcome = a.row, a.outcome
        url = row.endpoint.url
        if url not in urls:
            urls[url] = redact_url(url)
        calls.append(
            {
                "request_id": row.event.request_id,
                "workspace_id": row.endpoint.workspace_id,
                "service": "webhook",
                "method": "POST",
                "url": urls[url],
                "status": outcome.status,
                "duration_ms": outcome.duration_ms,
                "error": outcome.error,
                "request_body": capture(a.body),
                "response_body": capture(outcome.body),
                "subject_id": row.pk,
            }
        )
    FixedInsert.of(DownstreamCall).insert(calls)


def _note_health(held: list[Attempt], at: dt.datetime) -> None:
    """Per endpoint, in the order the attempts were made: a 2xx resets the failure
    run, each failure after it extends the run."""
    by_endpoint: dict[str, list[Attempt]] = {}
    for a in held:
        by_endpoint.setdefault(a.row.endpoint_id, []).append(a)
    for endpoint_id, group in by_endpoint.items():
        endpoint = group[0].row.endpoint
        last_success = max((i for i, a in enumerate(group) if a.outcome.succeeded), default=None)
        if last_success is None:
            _note_failure(endpoint_id, at, len(group))
            continue
        failures_after = len(group) - last_success - 1
        if failures_after:
            WebhookEndpoint.objects.filter(pk=endpoint_id).update(
                last_success_at=at,
                last_failure_at=at,
                failing_since=at,
                consecutive_failures=failures_after,
            )
        else:
            _note_success(endpoint, at)


def _schedule_retries(failed: list[Attempt]) -> None:
    """The next attempt of each failed row, as a pending row — unless a revoke or
    disable committed while this task was sending, which ends the chain."""
    if not failed:
        return
    enabled = set(
        WebhookEndpoint.objects.filter(
            pk__in={a.row.endpoint_id for a in failed}, status="enabled"
        ).values_list("pk", flat=True)
    )
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint_id=a.row.endpoint_id,
                event_id=a.row.event_id,
                attempt=a.row.attempt + 1,
                created_at=a.row.attempted_at,
                next_attempt_at=a.row.next_attempt_at,
            )
            for a in failed
            if a.row.endpoint_id in enabled
        ]
    )
    ended = [a.row.pk for a in failed if a.row.endpoint_id not in enabled]
    if ended:
        WebhookDelivery.objects.filter(pk__in=ended).update(next_attempt_at=None)


def _note_success(endpoint: WebhookEndpoint, at: dt.datetime) -> None:
    if (
        endpoint.failing_since is None
        and endpoint.consecutive_failures == 0
        and endpoint.last_success_at is not None
        and at - endpoint.last_success_at < SUCCESS_STAMP_RESOLUTION
    ):
        return
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        last_success_at=at, failing_since=None, consecutive_failures=0
    )


def _note_failure(endpoint_id: str, at: dt.datetime, count: int) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        last_failure_at=at,
        failing_since=Coalesce(F("failing_since"), at),
        consecutive_failures=F("consecutive_failures") + count,
    )


def _maybe_disable_for_failing(endpoint_id: str, at: dt.datetime) -> None:
    row = (
        WebhookEndpoint.objects.filter(pk=endpoint_id, status="enabled")
        .values("failing_since", "consecutive_failures")
        .first()
    )
    if (
        row
        and row["failing_since"] is not None
        and at - row["failing_since"] >= dt.timedelta(days=policy.DISABLE_AFTER_FAILING_DAYS)
        and row["consecutive_failures"] >= policy.DISABLE_AFTER_MIN_FAILED_ATTEMPTS
    ):
        disable_endpoint(
            endpoint_id=endpoint_id,
            reason=(
                f"no 2xx for {policy.DISABLE_AFTER_FAILING_DAYS} days and "
                f"{row['consecutive_failures']} failed attempts"
            ),
        )
