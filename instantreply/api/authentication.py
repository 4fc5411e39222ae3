"""Bearer API keys (§3): ``ir_live_<40 base62>`` / ``ir_test_<40 base62>``.

Lookup is by the indexed prefix (first 12 random characters); the SHA-256 of the
whole key is compared in constant time. ``last_used_at`` is written at most once a
minute per key, by a conditional UPDATE, so a busy key causes no write storm.
"""

import datetime as dt
import hmac
import time

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.dispatch import receiver
from rest_framework import authentication, exceptions

from instantreply.core.keys import KEY_RE, PREFIX_LENGTH, hash_key, key_changed
from instantreply.core.models import ApiKey, Workspace
from instantreply.core.timeutil import now

from . import ratelimit


def resolve_key(raw: str) -> ApiKey | None:
    match = KEY_RE.match(raw)
    if not match:
        return None
    mode, random_part = match.groups()
    key = _cached_lookup(random_part[:PREFIX_LENGTH], mode)
    if key is None or not hmac.compare_digest(key.hashed_key, hash_key(raw)):
        return None
    if key.revoked_at is not None:
        return None
    return key


# (prefix, mode) → (time.monotonic() deadline, key with its workspace).
_cache: dict[tuple[str, str], tuple[float, ApiKey]] = {}
_CACHE_MAX_KEYS = 10_000


def _cached_lookup(prefix: str, mode: str) -> ApiKey | None:
    """Design note: the key lookup was the largest single cost of an authenticated
    request after the trace (bench/platform_throughput.py), so each process keeps
    what it read for API_KEY_CACHE_SECONDS (default 0 = off). What the
    cache holds is the stored hash and state, never a verdict: every request still
    compares its key's hash in constant time and checks ``revoked_at``. The price,
    in §3 terms: a key revoked (or its workspace's tier changed) from *another*
    process is refused (or limited anew) within API_KEY_CACHE_SECONDS; revoking or
    deleting through this process takes effect at once (``forget_key``). Unknown
    prefixes are not cached, so a new key works at once."""
    ttl = settings.API_KEY_CACHE_SECONDS
    if ttl <= 0:
        return _lookup(prefix, mode)
    current = time.monotonic()
    entry = _cache.get((prefix, mode))
    if entry is not None and entry[0] > current:
        return entry[1]
    key = _lookup(prefix, mode)
    if key is not None:
        if len(_cache) >= _CACHE_MAX_KEYS:
            _cache.clear()
        _cache[(prefix, mode)] = (current + ttl, key)
    return key


def forget_key(key: ApiKey | None = None) -> None:
    """Drop a key from this process's lookup caches (every key when None)."""
    if key is None:
        _cache.clear()
        _generation_cache.clear()
    else:
        _cache.pop((key.prefix, key.mode), None)
        _generation_cache.pop((key.prefix, key.mode), None)


# (prefix, mode) → (key with its workspace, the key generation read before the lookup).
_generation_cache: dict[tuple[str, str], tuple[ApiKey, str]] = {}


def resolve_key_and_count(raw: str) -> tuple[ApiKey | None, ratelimit.RateLimitState | None]:
    """The valid key for ``raw`` (None: unknown, malformed or revoked) and, when this
    call already counted the request against the key's workspace, the rate-limit state.

    Design note: with a Redis rate limiter, a process keeps the keys it looked up,
    each with the key generation (core.keys.GENERATION_KEY) read *before* its
    database read. A request whose key is cached makes one round trip for both
    checks: the rate limiter's counter call also returns the current generation.
    If it still matches, nothing about any key or workspace has changed since the
    lookup, and the cached row is what the database holds; any revocation, deletion
    or save announces a new generation, so the very next request in every process
    reads the database again (§3). No trust without the store: when the limiter
    cannot be reached, or is not plain Redis, every request reads the database.
    The one cost of a stale entry: its request has been counted for the workspace
    before the key turns out revoked. Like the other cache, it holds the stored hash
    and state, never a verdict."""
    match = KEY_RE.match(raw)
    if not match:
        return None, None
    if not ratelimit.shares_key_generation():
        return resolve_key(raw), None
    mode, random_part = match.groups()
    prefix = random_part[:PREFIX_LENGTH]
    hashed = hash_key(raw)
    entry = _generation_cache.get((prefix, mode))
    state = None
    if entry is not None and hmac.compare_digest(entry[0].hashed_key, hashed):
        cached, generation = entry
        state = ratelimit.hit(cached.workspace)
        if state.store_available and state.key_generation == generation:
            return (cached if cached.revoked_at is None else None), state
        generation = state.key_generation if state.store_available else None
    else:
        generation = ratelimit.key_generation()
    key = _lookup(prefix, mode)
    if key is None:
        _generation_cache.pop((prefix, mode), None)
        return None, None
    if generation is not None:
        if len(_generation_cache) >= _CACHE_MAX_KEYS:
            _generation_cache.clear()
        _generation_cache[(prefix, mode)] = (key, generation)
    if not hmac.compare_digest(key.hashed_key, hashed) or key.revoked_at is not None:
        return None, None
    if state is not None and state.limit != ratelimit.limit_for(key.workspace):
        state = None  # the tier changed: count against the new limit instead
    return key, state


@receiver(key_changed, dispatch_uid="api.forget_changed_key")
def _forget_changed_key(sender, key=None, **kwargs) -> None:
    # The cache exists only once this module is imported, and so does this receiver:
    # no process can hold a cached key that a revocation or deletion fails to drop.
    forget_key(key)


def _lookup(prefix: str, mode: str) -> ApiKey | None:
    """The key and its workspace in one query. Every authenticated request runs
    this, so the SQL is fixed text run on a plain cursor, with the fields' own
    converters applied (what the ORM and a RawQuerySet do, without building a
    query or mapping columns each time: bench/platform_throughput.py)."""
    plan = _LOOKUP_PLANS.get(connection.vendor) or _lookup_plan()
    sql, key_fields, converters = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, mode])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, field_converters in converters:
        for converter in field_converters:
            values[index] = converter(values[index], column, connection)
    count = len(key_fields)
    key = ApiKey.from_db(connection.alias, key_fields, values[:count])
    key.workspace = Workspace.from_db(
        connection.alias, ["id", "name", "tier"], (key.workspace_id, *values[count:])
    )
    return key


def _lookup_plan():
    key_table, ws_table = ApiKey._meta.db_table, Workspace._meta.db_table
    fields = list(ApiKey._meta.concrete_fields)
    columns = ", ".join(f"k.{connection.ops.quote_name(f.column)}" for f in fields)
    sql = (
        f"SELECT {columns}, w.name, w.tier "
        f"FROM {key_table} k JOIN {ws_table} w ON w.id = k.workspace_id "
        "WHERE k.prefix = %s AND k.mode = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(key_table)
        field_converters = connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        )
        if field_converters:
            converters.append((index, column, field_converters))
    plan = (sql, [f.attname for f in fields], converters)
    _LOOKUP_PLANS[connection.vendor] = plan
    return plan


_LOOKUP_PLANS: dict[str, tuple] = {}


def touch_last_used(key: ApiKey) -> None:
    current = now()
    window = dt.timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS)
    if key.last_used_at is not None and current - key.last_used_at < window:
        return
    # Conditional: of concurrent requests, one row update wins; the rest change nothing.
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=current - window)
    ).update(last_used_at=current)
    key.last_used_at = current


# WSGI environ key: (raw key, resolve_key_and_count's answer) when the lean list path
# (lean.py) checked and counted the request before handing it to the full path.
RESOLVED_KEY = "instantreply.resolved_key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <key>' with an ir_live_ or ir_test_ key."
            )
        resolved = request._request.META.get(RESOLVED_KEY)
        if resolved is not None and resolved[0] == parts[1]:
            # Counted once already, by the lean path that handed this request over.
            key, state = resolved[1], resolved[2]
        else:
            key, state = resolve_key_and_count(parts[1])
        if key is None:
            raise exceptions.AuthenticationFailed(
                "The API key is unknown, malformed or revoked. Keys look like ir_live_… or ir_test_…."
            )
        touch_last_used(key)
        # Counted already, in the round trip that validated the cached key.
        request._request.rate_limit_state = state
        return (key, key)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
