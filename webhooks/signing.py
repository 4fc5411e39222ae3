"""Standard Webhooks signing (§9): ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">`` keyed by the base64-decoded part of a ``whsec_`` secret."""

import base64
import hashlib
import hmac
import secrets as _secrets

PREFIX = "whsec_"
SECRET_BYTES = 32


def generate_secret() -> str:
    return PREFIX + base64.b64encode(_secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    message = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """Space-separated signatures, one per active secret (two during a rotation)."""
    return " ".join(signature(s, msg_id, timestamp, body) for s in secrets)
