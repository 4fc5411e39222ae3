"""API key material and scopes (§3): what a key looks like, how one is made and
stored, and the scopes it may hold. The HTTP layer (instantreply/api) resolves
keys with these; core's services create and revoke them."""

import hashlib
import logging
import re
import secrets
import string

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("instantreply.keys")

KEY_RE = re.compile(r"^ir_(live|test)_([0-9A-Za-z]{40})$")
PREFIX_LENGTH = 12
_ALPHABET = string.ascii_letters + string.digits

ALL_SCOPES = [
    "conversations:read",
    "conversations:write",
    "messages:write",
    "contacts:read",
    "contacts:write",
    "channels:read",
    "templates:read",
    "templates:write",
    "webhooks:read",
    "webhooks:write",
    "analytics:read",
]

# Sent when a key stops being what a process may have remembered of it: revoked,
# deleted, or (key=None) possibly every key, as when a workspace is deleted. The
# HTTP layer's lookup cache listens, so core never reaches up into it.
key_changed = Signal()

# The Redis key (on the rate limiter's store) whose value changes whenever any key or
# workspace changes: processes that cache key lookups compare it on every request,
# in the rate limiter's round trip (instantreply/api/authentication.py).
GENERATION_KEY = "instantreply:api-keys:generation"
# The rate-limit store URLs the generation lives on; with any other, no process caches.
KEY_GENERATION_SCHEMES = ("redis://", "rediss://")
_generation_clients: dict = {}


def announce_key_change() -> None:
    """Give every process's key cache a new generation to compare against: now, and
    again once the surrounding transaction commits.

    Design note: a process that finds its cached generation stale reads the key
    from the database again. The first write makes every cache stale at once; a
    process that re-reads between it and the commit still sees the old row, and the
    write after commit makes that re-read stale too. A random token, not a
    counter: a Redis that lost its data cannot count back up to a cached value."""
    _set_generation()
    transaction.on_commit(_set_generation)


def _set_generation() -> None:
    url = settings.RATE_LIMIT_STORAGE_URL
    if not url.startswith(KEY_GENERATION_SCHEMES):
        return  # no shared store: no process caches key lookups (see authentication)
    try:
        client = _generation_clients.get(url)
        if client is None:
            import redis

            client = _generation_clients[url] = redis.Redis.from_url(
                url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        client.set(GENERATION_KEY, secrets.token_hex(8))
    except Exception:
        # Processes whose own Redis calls fail do not trust their caches either.
        logger.exception("could not announce an API key change to the key caches")


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_key(mode: str) -> tuple[str, str, str]:
    """Returns (raw key, lookup prefix, hash)."""
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(40))
    raw = f"ir_{mode}_{random_part}"
    return raw, random_part[:PREFIX_LENGTH], hash_key(raw)
