import base64
import hashlib
import hmac
import os
import sys
import time


def verify_webhook(secret, headers, raw_body, tolerance_seconds=300):
    """headers: the delivery's headers (lower-case names); raw_body: the exact bytes
    received, before any JSON parsing."""
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance_seconds:
        return False  # too old (or from the future): treat it as a replay
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # During a secret rotation two signatures arrive, space separated: one must match.
    for candidate in headers["webhook-signature"].split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


# e.g. in Django: verify_webhook(secret, {k.lower(): v for k, v in request.headers.items()}, request.body)
ok = verify_webhook(
    os.environ["WEBHOOK_SECRET"],
    {
        "webhook-id": os.environ["WEBHOOK_ID"],
        "webhook-timestamp": os.environ["WEBHOOK_TIMESTAMP"],
        "webhook-signature": os.environ["WEBHOOK_SIGNATURE"],
    },
    os.environ["WEBHOOK_BODY"].encode(),
)
print("valid" if ok else "invalid")
sys.exit(0 if ok else 1)
