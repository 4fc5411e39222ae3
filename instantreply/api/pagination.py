"""Keyset cursor pagination (§4).

Design note: rows are ordered by (created_at, id) — both immutable, id unique — and
a page is "the next ``limit`` rows after this (created_at, id)", fetched as
``limit + 1`` rows so ``has_more`` is exact at read time. Because the position
is a value, not an offset, concurrent inserts, updates and deletes cannot shift a
walk: every row that existed at the start and still matches is seen exactly once,
and page N costs an index range scan like page 1. (DRF's CursorPagination breaks
ties by offset and cannot promise this.)

The cursor is ``django.core.signing``-signed JSON holding the position and a
fingerprint of the list path, filters and order, and of the workspace and mode of
the key that received it; any other combination (another workspace's key, the
other mode), or a tampered cursor, is 400 INVALID_CURSOR.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Q

from instantreply.core.rawsql import FixedSelect
from instantreply.core.timeutil import format_ts, parse_ts

from .errors import ApiError

_SALT = "instantreply.pagination.cursor"


_MISMATCH = (
    "The cursor was issued for a different list, filter set or order, or to another "
    "workspace or mode; send the same filters and order, with a key of the same "
    "workspace and mode, as the request that returned it."
)


def _fingerprint(path: str, order: str, filters: dict, owner: tuple[str, bool]) -> str:
    # ``owner`` — the issuing key's workspace and mode — is part of it (§4): a
    # cursor is a position in one tenant's list in one mode, and means nothing to
    # anyone else.
    if not filters:
        return _unfiltered_fingerprint(path, order, owner)
    return _digest(path, order, sorted((k, str(v)) for k, v in filters.items()), owner)


@functools.lru_cache(maxsize=4096)
def _unfiltered_fingerprint(path: str, order: str, owner: tuple[str, bool]) -> str:
    # The most common list request has no filters: its fingerprint is kept.
    return _digest(path, order, [], owner)


def _digest(path: str, order: str, filters: list, owner: tuple[str, bool]) -> str:
    material = json.dumps([path, order, filters, owner])
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def _request_fingerprint(request, order: str, filters: dict) -> str:
    key = request.auth  # every list is behind authentication
    return _fingerprint(request.path, order, filters, (key.workspace_id, key.livemode))


def encode_cursor(
    *,
    path: str,
    order: str,
    filters: dict,
    created_at,
    object_id: str,
    workspace_id: str,
    livemode: bool,
) -> str:
    """The signed cursor for "after this row" in the list at ``path`` with these
    filters and order, as issued to a key of this workspace and mode (what
    ``next_cursor`` holds)."""
    fp = _fingerprint(path, order, filters, (workspace_id, livemode))
    # Not compressed: zlib gains a few bytes on a cursor this short and costs more
    # than the rest of signing it. ``signing.loads`` reads compressed cursors issued
    # before as well.
    return signing.dumps({"t": format_ts(created_at), "i": object_id, "f": fp}, salt=_SALT)


def parse_limit_order(params) -> tuple[int, str]:
    details = []
    # An empty value means "not given", as for every filter.
    raw_limit = params.get("limit") or None
    limit = settings.PAGINATION_DEFAULT_LIMIT
    max_limit = settings.PAGINATION_MAX_LIMIT
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
            if not 1 <= limit <= max_limit:
                raise ValueError
        except ValueError:
            details.append(
                {
                    "field": "limit",
                    "issue": f"must be an integer from 1 to {max_limit}, got '{raw_limit}'",
                }
            )
    order = (params.get("order") or "desc").lower()
    if order not in ("asc", "desc"):
        details.append(
            {"field": "order", "issue": f"must be 'asc' or 'desc', got '{params.get('order')}'"}
        )
    if details:
        raise ApiError(
            "VALIDATION_ERROR",
            "Invalid pagination parameters: "
            + "; ".join(f"{d['field']} {d['issue']}" for d in details)
            + ".",
            details=details,
        )
    return limit, order


def _window(request, filters: dict) -> tuple[int, str, tuple | None]:
    """(limit, order, the (created_at, id) position after which the page starts or
    None): the request's pagination parameters, validated, its cursor verified."""
    limit, order = parse_limit_order(request.query_params)
    raw_cursor = request.query_params.get("cursor")
    if not raw_cursor:
        return limit, order, None
    fp = _request_fingerprint(request, order, filters)
    try:
        payload = signing.loads(raw_cursor, salt=_SALT)
        if payload.get("f") != fp:
            raise ApiError("INVALID_CURSOR", _MISMATCH)
        created_at = parse_ts(payload["t"])
        last_id = str(payload["i"])
    except ApiError:
        raise
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise ApiError("INVALID_CURSOR", "The cursor is malformed or has been altered.")
    return limit, order, (created_at, last_id)


def _page(request, rows: list, limit: int, order: str, filters: dict) -> tuple[list, dict]:
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more:
        last = rows[-1]
        next_cursor = encode_cursor(
            path=request.path,
            order=order,
            filters=filters,
            created_at=last.created_at,
            object_id=last.id,
            workspace_id=request.auth.workspace_id,
            livemode=request.auth.livemode,
        )
    return rows, {"has_more": has_more, "next_cursor": next_cursor}


def paginate(request, queryset, *, filters: dict) -> tuple[list, dict]:
    """Returns (rows, pagination block). ``filters`` are the validated, normalised
    filter values of this request; the cursor is bound to them."""
    limit, order, after = _window(request, filters)
    if after is not None:
        created_at, last_id = after
        if order == "asc":
            queryset = queryset.filter(
                Q(created_at__gt=created_at) | Q(created_at=created_at, id__gt=last_id),
                created_at__gte=created_at,
            )
        else:
            queryset = queryset.filter(
                Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=last_id),
                created_at__lte=created_at,
            )
    ordering = ("created_at", "id") if order == "asc" else ("-created_at", "-id")
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    return _page(request, rows, limit, order, filters)


def paginate_unfiltered(request, model, api_key) -> tuple[list, dict]:
    """``paginate(request, model.objects.for_key(api_key), filters={})`` — the same
    rows, order, cursor and errors — for a list request without filters, the most
    common one, with fixed SQL text instead of a QuerySet compiled anew on every
    request (bench/platform_throughput.py). The rows are read-only named tuples of
    the model's fields (``instantreply.core.rawsql``), not model instances.
    ``model`` has ``workspace``, ``created_at``, ``id`` and maybe ``livemode``, as
    ``for_key`` expects."""
    limit, order, after = _window(request, {})
    plan = FixedSelect.of(model)
    where = ["workspace_id = %s"]
    params: list = [api_key.workspace_id]
    if plan.has_livemode:
        where.append("livemode = %s")
        params.append(api_key.livemode)
    if after is not None:
        created_at, last_id = after
        op = ">" if order == "asc" else "<"
        where.append(
            f"(created_at {op} %s OR (created_at = %s AND id {op} %s)) AND created_at {op}= %s"
        )
        at = connection.ops.adapt_datetimefield_value(created_at)
        params += [at, at, last_id, at]
    direction = "ASC" if order == "asc" else "DESC"
    rows = plan.fetch(
        f"WHERE {' AND '.join(where)} ORDER BY created_at {direction}, id {direction} LIMIT %s",
        [*params, limit + 1],
    )
    return _page(request, rows, limit, order, {})


def paginate_sequence(request, items: list, *, key, filters: dict) -> tuple[list, dict]:
    """§4 pagination over a fixed, in-memory sequence (the error catalogue): ``items``
    in their canonical ascending order, ``key(item)`` unique and stable. The cursor
    holds the last key seen, signed and bound to path, filters and order like a
    keyset cursor, so the same client loop walks every list."""
    limit, order = parse_limit_order(request.query_params)
    ordered = items if order == "asc" else list(reversed(items))
    fp = _request_fingerprint(request, order, filters)
    start = 0
    raw_cursor = request.query_params.get("cursor")
    if raw_cursor:
        try:
            payload = signing.loads(raw_cursor, salt=_SALT)
            position = str(payload["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
            raise ApiError("INVALID_CURSOR", "The cursor is malformed or has been altered.")
        if payload.get("f") != fp:
            raise ApiError("INVALID_CURSOR", _MISMATCH)
        keys = [key(item) for item in ordered]
        if position not in keys:
            raise ApiError("INVALID_CURSOR", "The cursor points at an entry that no longer exists.")
        start = keys.index(position) + 1
    page = ordered[start : start + limit]
    has_more = start + limit < len(ordered)
    next_cursor = signing.dumps({"k": key(page[-1]), "f": fp}, salt=_SALT) if has_more else None
    return page, {"has_more": has_more, "next_cursor": next_cursor}
