import os
import time
import uuid

import requests

BASE_URL = "__BASE_URL__"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['INSTANTREPLY_API_KEY']}"


def post_with_retries(path, body, idempotency_key=None, attempts=5):
    """Retries the same request with the same Idempotency-Key: the API runs it once
    and answers every retry with the stored result (Idempotent-Replayed: true)."""
    key = idempotency_key or str(uuid.uuid4())
    for attempt in range(attempts):
        last = attempt + 1 == attempts
        try:
            response = session.post(
                f"{BASE_URL}{path}", json=body, headers={"Idempotency-Key": key}, timeout=10
            )
        except (requests.ConnectionError, requests.Timeout):
            if last:
                raise
            time.sleep(2**attempt)
            continue
        in_use = (
            response.status_code == 409
            and response.json()["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
        )
        if (in_use or response.status_code == 429 or response.status_code >= 500) and not last:
            time.sleep(float(response.headers.get("Retry-After", 2**attempt)))
            continue
        return response


path = f"/v1/conversations/{os.environ['CONVERSATION_ID']}/messages"
body = {"text": "Thanks, Ana! Your order ships today."}
key = str(uuid.uuid4())
first = post_with_retries(path, body, key)
retry = post_with_retries(path, body, key)  # e.g. after a lost response
print(first.status_code, first.json()["data"]["id"], first.json()["data"]["status"])
print(
    retry.status_code,
    retry.json()["data"]["id"],
    "replayed:",
    retry.headers.get("Idempotent-Replayed"),
)
