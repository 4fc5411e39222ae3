"""Official Python client for the InstantReply API.

Generated operations live in ``instantreply_sdk.generated.api`` and models in
``instantreply_sdk.generated.models``; this package adds the client, its retries and
idempotency keys, the typed error and webhook verification.
"""

from .client import InstantReply
from .errors import ErrorDetail, InstantReplyError
from .webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "ErrorDetail",
    "InstantReply",
    "InstantReplyError",
    "WebhookVerificationError",
    "verify_webhook",
]
__version__ = "0.1.0"
