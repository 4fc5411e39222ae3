import os
import sys

from instantreply_sdk import WebhookVerificationError, verify_webhook

# e.g. in Django: verify_webhook(request.body, request.headers, secret)
headers = {
    "webhook-id": os.environ["WEBHOOK_ID"],
    "webhook-timestamp": os.environ["WEBHOOK_TIMESTAMP"],
    "webhook-signature": os.environ["WEBHOOK_SIGNATURE"],
}
try:
    event = verify_webhook(
        os.environ["WEBHOOK_BODY"].encode(), headers, os.environ["WEBHOOK_SECRET"]
    )
except WebhookVerificationError as error:
    print("invalid:", error)
    sys.exit(1)
print("valid")
