"""API key material and scopes (§3): what a key looks like, how one is made and
stored, and the scopes it may hold. The HTTP layer (instantreply/api) resolves
keys with these; core's services create and revoke them."""

import hashlib
import re
import secrets
import string

from django.dispatch import Signal

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


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_key(mode: str) -> tuple[str, str, str]:
    """Returns (raw key, lookup prefix, hash)."""
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(40))
    raw = f"ir_{mode}_{random_part}"
    return raw, random_part[:PREFIX_LENGTH], hash_key(raw)
