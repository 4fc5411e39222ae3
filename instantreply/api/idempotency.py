"""Idempotency-Key handling (§5).

Design note — how one key executes at most once:

* The whole request (its side effects *and* the stored result) runs in one
  database transaction. The result row is inserted at the end of that
  transaction, so it exists exactly when the side effects do.
* While the request runs, the key is claimed with two transaction-scoped
  PostgreSQL advisory locks, always taken in this order: L2 on (workspace, mode,
  key, fingerprint), then L1 on (workspace, mode, key). They vanish with the
  transaction — on commit, on rollback, or when the process dies — so there is
  no lease to expire under a slow request.
* A request that cannot take L2 knows the same request (same key and
  fingerprint) is in flight → 409 IDEMPOTENCY_KEY_IN_USE, never a second run.
* Holding L2 but not L1, it knows L1's holder has a *different* fingerprint
  (a same-fingerprint holder would hold L2 too, since both are held until its
  transaction ends). A committed result with our fingerprint may still exist (the
  other request is only about to be refused), so it is replayed; otherwise 422
  IDEMPOTENCY_KEY_REUSED. Taking L2 first closes the race where a same-body
  request finishes between our two attempts and we would wrongly answer 422.
* A request holding both reads the result row (READ COMMITTED sees the previous
  holder's commit, which is visible before its locks are released) and replays
  it, refuses a different fingerprint, or executes.
* SQLite (embedded mode) has no advisory locks; its IMMEDIATE transactions
  serialise writers, so the second request simply sees the first's result.
"""

import datetime as dt
import hashlib
import json
import struct

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse

from instantreply.core.models import IdempotencyRecord
from instantreply.core.timeutil import now

from .errors import ApiError

HEADER = "HTTP_IDEMPOTENCY_KEY"
METHODS = {"POST", "PATCH", "DELETE"}
NEVER_STORED = {
    "INVALID_JSON",
    "INVALID_IDEMPOTENCY_KEY",
    "ROUTE_NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "AUTHENTICATION_REQUIRED",
    "INVALID_API_KEY",
    "INSUFFICIENT_SCOPE",
    "TEST_MODE_ONLY",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "IDEMPOTENCY_KEY_IN_USE",
    "IDEMPOTENCY_KEY_REUSED",
    "RATE_LIMITED",
}


def parse_key(request) -> str | None:
    """The key from the header (bare or as a quoted string), or None if absent.

    Raises INVALID_IDEMPOTENCY_KEY for an empty, over-long or non-printable key."""
    raw = request.META.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key.startswith('"') and key.endswith('"'):
        key = key[1:-1]
    limit = settings.IDEMPOTENCY_MAX_KEY_LENGTH
    if not key:
        raise ApiError("INVALID_IDEMPOTENCY_KEY", "The Idempotency-Key header is empty.")
    if len(key) > limit:
        raise ApiError(
            "INVALID_IDEMPOTENCY_KEY",
            f"The Idempotency-Key is {len(key)} characters long; the maximum is {limit}.",
        )
    if not all(0x20 <= ord(ch) <= 0x7E for ch in key):
        raise ApiError(
            "INVALID_IDEMPOTENCY_KEY",
            "The Idempotency-Key must be printable ASCII (a UUID is recommended).",
        )
    return key


def fingerprint(request, data) -> str:
    query = sorted((k, v) for k, values in request.query_params.lists() for v in values)
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    material = json.dumps([request.method, request.path, query, body])
    return hashlib.sha256(material.encode()).hexdigest()


def _lock_id(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return struct.unpack(">q", digest[:8])[0]


def _claim(request_lock: int, key_lock: int) -> bool | None:
    """Try L2 then, only if it was taken, L1 — in one round trip (CASE does not
    evaluate the branch it does not need). None: L2 is held elsewhere; False: L2
    taken, L1 held elsewhere; True: both taken."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_try_advisory_xact_lock(%s) THEN pg_try_advisory_xact_lock(%s) END",
            [request_lock, key_lock],
        )
        return cursor.fetchone()[0]


def _replay(record: IdempotencyRecord) -> HttpResponse:
    body = record.body_encrypted or record.body
    response = HttpResponse(
        body.encode(), status=record.status_code, content_type=record.content_type
    )
    response["Idempotent-Replayed"] = "true"
    response.replayed_from = record.request_id
    return response


def is_storable(response) -> bool:
    status = response.status_code
    if 200 <= status < 300:
        return True
    if status >= 500:
        return False
    return getattr(response, "error_code", None) not in NEVER_STORED


def run(request, key: str, execute):
    """Execute ``execute()`` (returning a rendered response) at most once per key.

    Must be called inside the request's ``transaction.atomic()`` block."""
    api_key = request.auth
    workspace_id, mode = api_key.workspace_id, api_key.mode
    fp = fingerprint(request, request.data)
    if connection.vendor == "postgresql":
        claimed = _claim(_lock_id(workspace_id, mode, key, fp), _lock_id(workspace_id, mode, key))
        if claimed is None:
            raise _in_use(key)
        if not claimed:
            record = _live_record(workspace_id, api_key.livemode, key, now())
            if record is not None and record.fingerprint == fp:
                return _replay(record)
            raise _reused(key)

    current = now()
    record = IdempotencyRecord.objects.filter(
        workspace_id=workspace_id, livemode=api_key.livemode, key=key
    ).first()
    if record is not None and record.expires_at <= current:
        # Past retention (§5): the key starts a new request.
        record.delete()
        record = None
    if record is not None:
        if record.fingerprint != fp:
            raise _reused(key)
        return _replay(record)

    # ``execute`` rolls its own work back on an error response, so a stored 4xx
    # leaves nothing behind but the stored answer.
    response = execute()
    _store(request, key, fp, response, current)
    return response


def _store(request, key, fp, response, current) -> None:
    if not is_storable(response):
        return
    api_key = request.auth
    body = response.content.decode()
    secret = getattr(response, "holds_secret", False)
    record = IdempotencyRecord(
        workspace_id=api_key.workspace_id,
        livemode=api_key.livemode,
        key=key,
        fingerprint=fp,
        request_id=getattr(request._request, "request_id", ""),
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body="" if secret else body,
        body_encrypted=body if secret else "",
        created_at=current,
        expires_at=current + dt.timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS),
    )
    if connection.vendor == "postgresql":
        # L1 is held: no other request can be storing this key.
        record.save(force_insert=True)
        return
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        # Without advisory locks (SQLite) another request may have stored first.
        raise _in_use(key)


def _live_record(workspace_id, livemode, key, current) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(
        workspace_id=workspace_id, livemode=livemode, key=key, expires_at__gt=current
    ).first()


def _in_use(key: str) -> ApiError:
    return ApiError(
        "IDEMPOTENCY_KEY_IN_USE",
        f"A request with Idempotency-Key '{key}' is still being processed; "
        "retry in a second to receive its result.",
        headers={"Retry-After": "1"},
    )


def _reused(key: str) -> ApiError:
    return ApiError(
        "IDEMPOTENCY_KEY_REUSED",
        f"Idempotency-Key '{key}' was already used with a different method, path, query or "
        "body; use a new key for a different request.",
    )
