"""One delivery attempt (§9), run by the ``deliver`` task.

Design note: the row is claimed with a conditional UPDATE (pending and unclaimed
→ claimed_at = T) and only the worker whose UPDATE changed a row sends; the
result is written back only while the claim is still T, so a duplicate task, or
a worker that outlived a released claim, never records twice. The outcome, the
downstream-call record, the endpoint's health and the next attempt (a new
pending row) are written in one transaction after the HTTP call.
"""

import datetime as dt
import email.utils
import json
import logging
import random
import time

import requests
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from requests_hardened.ip_filter import InvalidIPAddress

from instantreply.api.tracing import record_downstream_call
from instantreply.core.timeutil import now

from . import delivery_policy as policy
from .models import WebhookDelivery, WebhookEndpoint
from .serializers import event_payload
from .services import disable_endpoint, relaxed_commit
from .signing import signature_header
from .targets import USER_AGENT, https_required, session

logger = logging.getLogger("instantreply.webhooks")

RESPONSE_BODY_KEPT = 4096
RESPONSE_BODY_READ_MAX = 65_536
MAX_RETRY_AFTER_SECONDS = 86_400
# Success bookkeeping on the endpoint is skipped when it would change nothing but
# a sub-second timestamp (a busy endpoint would otherwise update it per event).
SUCCESS_STAMP_RESOLUTION = dt.timedelta(seconds=1)


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
    """POST with a 10 s limit, no redirects, the address checked and pinned by
    requests-hardened (when the guard is on); the response body is read up to
    64 KB so the keep-alive connection can be reused, and its first 4 KB kept."""
    started = time.perf_counter()
    outcome = Outcome()
    if https_required() and not url.lower().startswith("https://"):
        outcome.error = "not sent: https is required for webhook URLs"
        return outcome
    try:
        response = session().post(
            url,
            data=body,
            headers=headers,
            timeout=(policy.TIMEOUT_SECONDS, policy.TIMEOUT_SECONDS),
            allow_redirects=False,
            stream=True,
        )
        try:
            outcome.status = response.status_code
            outcome.retry_after = parse_retry_after(response.headers.get("Retry-After"))
            buffer = bytearray()
            for chunk in response.iter_content(8192):
                buffer += chunk
                if len(buffer) > RESPONSE_BODY_READ_MAX:
                    break
                if time.perf_counter() - started > policy.TIMEOUT_SECONDS:
                    outcome.status = None
                    outcome.error = (
                        f"timed out: the response took longer than {policy.TIMEOUT_SECONDS} s"
                    )
                    break
            outcome.body = bytes(buffer[:RESPONSE_BODY_KEPT]).decode("utf-8", errors="replace")
            if 300 <= response.status_code < 400:
                location = response.headers.get("Location", "")
                outcome.error = f"redirect to '{location}' not followed; only 2xx counts as success"
            elif not outcome.succeeded and outcome.error is None:
                outcome.error = f"receiver answered HTTP {response.status_code}"
        finally:
            response.close()
    except InvalidIPAddress as exc:
        outcome.error = (
            f"refused: the URL's host resolves to {exc}, which is not a public internet address"
        )
    except requests.Timeout:
        outcome.error = f"timed out after {policy.TIMEOUT_SECONDS} s"
    except requests.ConnectionError as exc:
        outcome.error = f"connection failed: {type(exc).__name__}: {exc}"[:1000]
    except requests.RequestException as exc:
        outcome.error = f"request failed: {type(exc).__name__}: {exc}"[:1000]
    outcome.duration_ms = int((time.perf_counter() - started) * 1000)
    return outcome


def deliver(delivery_id: str) -> str | None:
    """Run one attempt; returns its final status, or None when another worker has it."""
    claim = now()
    with transaction.atomic():
        relaxed_commit()
        claimed = WebhookDelivery.objects.filter(
            pk=delivery_id, status="pending", claimed_at__isnull=True
        ).update(claimed_at=claim)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint, event = delivery.endpoint, delivery.event
    is_test = event.type == "webhook.test"
    if endpoint.status == "revoked" or (endpoint.status == "disabled" and not is_test):
        WebhookDelivery.objects.filter(pk=delivery_id, claimed_at=claim).update(
            status="failed", error=f"canceled: endpoint {endpoint.status}", next_attempt_at=None
        )
        return "failed"

    body = payload_body(event)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event.id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            active_secrets(endpoint, claim), event.id, timestamp, body
        ),
    }
    outcome = post(endpoint.url, body, headers)
    return _record(delivery, endpoint, event, outcome, body, is_test)


def _record(delivery, endpoint, event, outcome: Outcome, body: bytes, is_test: bool) -> str:
    finished = now()
    status = "succeeded" if outcome.succeeded else "failed"
    gone = outcome.status == 410
    retry_at = None
    if (
        not outcome.succeeded
        and not gone
        and not is_test
        and delivery.attempt < policy.MAX_ATTEMPTS
    ):
        retry_at = finished + dt.timedelta(
            seconds=retry_delay(delivery.attempt, outcome.retry_after)
        )
    with transaction.atomic():
        relaxed_commit()
        if not WebhookDelivery.objects.filter(
            pk=delivery.pk, status="pending", claimed_at=delivery.claimed_at
        ).update(
            status=status,
            response_status=outcome.status,
            duration_ms=outcome.duration_ms,
            response_body=outcome.body,
            error=outcome.error,
            attempted_at=finished,
            next_attempt_at=retry_at,
        ):
            # The claim was released as stale while this worker was still sending.
            return status
        record_downstream_call(
            service="webhook",
            method="POST",
            url=endpoint.url,
            status=outcome.status,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            request_body=body,
            response_body=outcome.body,
            workspace_id=endpoint.workspace_id,
            subject_id=delivery.pk,
            request_id=event.request_id,
        )
        if outcome.succeeded:
            _note_success(endpoint, finished)
        else:
            _note_failure(endpoint, finished)
        if retry_at is not None:
            # Re-read: a revoke or disable committed while we were sending ends the chain.
            if WebhookEndpoint.objects.filter(pk=endpoint.pk, status="enabled").exists():
                WebhookDelivery.objects.create(
                    endpoint_id=endpoint.pk,
                    event_id=event.pk,
                    attempt=delivery.attempt + 1,
                    created_at=finished,
                    next_attempt_at=retry_at,
                )
            else:
                WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    if gone:
        disable_endpoint(endpoint_id=endpoint.pk, reason="receiver answered 410 Gone")
    elif not outcome.succeeded:
        _maybe_disable_for_failing(endpoint.pk, finished)
    return status


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


def _note_failure(endpoint: WebhookEndpoint, at: dt.datetime) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        last_failure_at=at,
        failing_since=Coalesce(F("failing_since"), at),
        consecutive_failures=F("consecutive_failures") + 1,
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
