"""Per-workspace request rate limits by plan tier (§6), through the maintained
``limits`` library: Redis in production (shared by every web process), memory in
the embedded mode.

Fail open: if the store is unreachable the request is served, the failure is
logged, and the store is not tried again for a few seconds (so a dead Redis costs
one fast connection error every few seconds, not one per request).
"""

import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from limits import RateLimitItemPerMinute, storage, strategies
from limits.storage import RedisStorage

from instantreply.core.keys import GENERATION_KEY, KEY_GENERATION_SCHEMES

logger = logging.getLogger("instantreply.ratelimit")

RETRY_STORE_AFTER_SECONDS = 5.0


@dataclass
class RateLimitState:
    limit: int
    remaining: int
    reset_at: int  # unix seconds
    allowed: bool
    store_available: bool
    # The API key generation read in the same round trip (Redis only; see
    # authentication.py); None when not read.
    key_generation: str | None = None
    first_in_window: bool = False  # known only when the store answered

    @property
    def seconds_to_reset(self) -> int:
        return max(0, self.reset_at - int(time.time()))

    def headers(self) -> dict[str, str]:
        window = settings.RATE_LIMIT_WINDOW_SECONDS
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
            "RateLimit-Policy": f'"requests";q={self.limit};w={window}',
            "RateLimit": f'"requests";r={self.remaining};t={self.seconds_to_reset}',
        }


class _Limiter:
    def __init__(self, url: str):
        self.url = url
        options = {}
        if url.startswith(("redis://", "rediss://")):
            options = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
        self.storage = storage.storage_from_string(url, **options)
        self.strategy = strategies.FixedWindowRateLimiter(self.storage)
        # A plain Redis store (not cluster/sentinel) is counted in one round trip.
        self.redis = self.storage.get_connection() if type(self.storage) is RedisStorage else None
        self.script = None  # the counter script, registered on first use
        # The schemes core.keys announces key changes on (redis+unix, valkey: not).
        self.carries_key_generation = self.redis is not None and url.startswith(
            KEY_GENERATION_SCHEMES
        )
        self.down_until = 0.0
        self.last_error: str | None = None


_lock = threading.Lock()
_limiter: _Limiter | None = None


def _get() -> _Limiter:
    global _limiter
    url = settings.RATE_LIMIT_STORAGE_URL
    if _limiter is None or _limiter.url != url:
        with _lock:
            if _limiter is None or _limiter.url != url:
                _limiter = _Limiter(url)
    return _limiter


def _reset_at(reset_time: float) -> int:
    """Unix second at which the window resets: the store's expiry rounded up, but
    never past a full window from now (a window that has only just begun must not
    report `t=61` on a 60-second window, §6)."""
    return min(math.ceil(reset_time), int(time.time()) + settings.RATE_LIMIT_WINDOW_SECONDS)


def limit_for(workspace) -> int:
    return settings.TIERS[workspace.tier]["requests_per_minute"]


def _fail_open(limit: int, limiter: _Limiter, exc: Exception | None) -> RateLimitState:
    if exc is not None:
        limiter.down_until = time.monotonic() + RETRY_STORE_AFTER_SECONDS
        limiter.last_error = str(exc)
        logger.warning("rate-limit store unreachable, serving without limits: %s", exc)
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    return RateLimitState(limit, limit, int(time.time()) + window, True, False)


def hit(workspace) -> RateLimitState:
    """Count one request for the workspace and return the window's state (with the
    API key generation when the store is Redis)."""
    return _hit(limit_for(workspace), "ws", workspace.id)


def client_address(request) -> str | None:
    """The client address that failed authentication is limited by (§6):
    REMOTE_ADDR, or — behind TRUSTED_PROXY_COUNT proxies that each append the
    address they received the request from — the X-Forwarded-For entry that many
    places from the right (DRF's NUM_PROXIES rule). With no trusted proxy the
    header is never read: any client could write anything in it. None when the
    request has no address at all (a login made in code); django-axes reads this
    too (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    client = hops[-min(proxies, len(hops))]
    # Fewer hops than proxies: the leftmost one came from the client itself.
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return remote


def hit_failed_authentication(request) -> RateLimitState:
    """Count a request that failed authentication against its client address.

    Design note: such requests cost no tenant anything, so without a limit a
    flood of bad keys could fill the request log (issue 10). They are counted per
    address in the same store as the plans' limits, answered 429 over
    UNAUTHENTICATED_REQUESTS_PER_MINUTE, and only the first of each address's
    window is traced in full (``untraced`` tells TraceMiddleware to skip the
    rest): one trace per client per minute is enough for support. With the store
    down nothing is known about the address, so nothing is traced and nothing
    refused (fail open, as for the plans)."""
    django_request = getattr(request, "_request", request)
    state = _hit(
        settings.UNAUTHENTICATED_REQUESTS_PER_MINUTE,
        "unauthenticated",
        client_address(request) or "unknown",
    )
    if not state.first_in_window:
        django_request.untraced = True
    return state


def _hit(limit: int, *identifiers) -> RateLimitState:
    limiter = _get()
    if time.monotonic() < limiter.down_until:
        return _fail_open(limit, limiter, None)
    item = RateLimitItemPerMinute(limit)
    key = item.key_for(*identifiers)
    try:
        if limiter.redis is not None:
            count, reset_time, generation = _redis_incr(limiter, key, item.get_expiry())
        else:
            generation = None
            # What FixedWindowRateLimiter.hit + get_window_stats do: the atomic
            # increment returns the count itself.
            count = limiter.storage.incr(key, item.get_expiry())
            reset_time = limiter.storage.get_expiry(key)
    except Exception as exc:  # any store failure: fail open (§6)
        return _fail_open(limit, limiter, exc)
    return RateLimitState(
        limit,
        max(0, limit - count),
        _reset_at(reset_time),
        count <= limit,
        True,
        key_generation=generation,
        first_in_window=count == 1,
    )


def _redis_incr(limiter: _Limiter, key: str, expiry: int) -> tuple[int, float, str]:
    """FixedWindowRateLimiter.hit + get_window_stats on limits' own key, in one
    round trip instead of two: create the window with its expiry if it does not
    exist, increment, read the TTL — atomic, like limits' Lua increment, so a window
    cannot lose its expiry between the steps. The same call reads the API key
    generation, which is what lets a process trust its key cache. One script call
    rather than a MULTI pipeline: one reply to parse instead of six."""
    if limiter.script is None:
        limiter.script = limiter.redis.register_script(_INCR_SCRIPT)
    count, ttl, generation = limiter.script(
        keys=[limiter.storage.prefixed_key(key), GENERATION_KEY], args=[expiry]
    )
    return int(count), max(int(ttl), 0) + time.time(), _text(generation)


_INCR_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCRBY', KEYS[1], 1)
return {count, redis.call('TTL', KEYS[1]), redis.call('GET', KEYS[2]) or ''}
"""


def _text(value) -> str:
    # "" stands for "never announced" (or a store that lost its data): still a value
    # a cache can be checked against.
    return value.decode() if isinstance(value, bytes) else (value or "")


def key_generation() -> str | None:
    """The API key generation on its own (a cache miss reads it before the database),
    or None when the store is not plain Redis or cannot be reached."""
    limiter = _get()
    if not limiter.carries_key_generation or time.monotonic() < limiter.down_until:
        return None
    try:
        return _text(limiter.redis.get(GENERATION_KEY))
    except Exception as exc:
        _fail_open(0, limiter, exc)
        return None


def shares_key_generation() -> bool:
    """Whether the store carries the API key generation (plain Redis)."""
    return _get().carries_key_generation


def peek(workspace) -> RateLimitState:
    """The window's state without counting a request (for /v1/usage)."""
    limit = limit_for(workspace)
    limiter = _get()
    if time.monotonic() < limiter.down_until:
        return _fail_open(limit, limiter, None)
    item = RateLimitItemPerMinute(limit)
    try:
        stats = limiter.strategy.get_window_stats(item, "ws", workspace.id)
    except Exception as exc:
        return _fail_open(limit, limiter, exc)
    return RateLimitState(limit, max(0, stats.remaining), _reset_at(stats.reset_time), True, True)


def reset_all() -> None:
    """Tests: forget counters and the down-marker."""
    limiter = _get()
    limiter.down_until = 0.0
    try:
        limiter.storage.reset()
    except Exception:
        pass
