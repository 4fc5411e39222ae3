"""Meta's webhook signature: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
body keyed with the app secret>`` (the same scheme for WhatsApp, Instagram and
Messenger). Computed over the raw bytes before any parsing, compared in constant
time so the comparison leaks nothing about the expected value."""

import hashlib
import hmac

from django.conf import settings

HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(body: bytes, secret: str | None = None) -> str:
    """The header value Meta would send for ``body`` (used by the simulator and tests)."""
    key = (secret if secret is not None else settings.META_APP_SECRET).encode()
    return _PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def is_valid(body: bytes, header_value: str | None, secret: str | None = None) -> bool:
    if not header_value or not header_value.startswith(_PREFIX):
        return False
    expected = sign(body, secret)
    return hmac.compare_digest(expected.encode(), header_value.strip().lower().encode())
