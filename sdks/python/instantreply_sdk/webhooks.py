"""Webhook signature verification on the Standard Webhooks reference library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

__all__ = ["WebhookVerificationError", "verify_webhook"]


def verify_webhook(payload: bytes | str, headers: Mapping[str, str], secret: str) -> Any:
    """The event of a delivery whose signature checks out with ``secret`` (``whsec_...``).

    Pass the raw body as received (before any JSON parsing) and the request headers
    (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``, any case). Raises
    ``WebhookVerificationError`` for a wrong or missing signature, or a timestamp more
    than five minutes away; during a secret rotation either secret's signature passes.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    return Webhook(secret).verify(payload, lowered)
