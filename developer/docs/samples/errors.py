import os
import time

import requests

BASE_URL = "__BASE_URL__"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['INSTANTREPLY_API_KEY']}"


class InstantReplyError(Exception):
    def __init__(self, status, error):
        super().__init__(f"{error['code']}: {error['message']} (request {error['request_id']})")
        self.status = status
        self.code = error["code"]
        self.request_id = error["request_id"]  # quote it to support
        self.details = error["details"]  # [{"field": ..., "issue": ...}] for 422s
        self.doc_url = error["doc_url"]


def call(method, path, attempts=4, **kwargs):
    """GETs are safe to retry; retry a POST/PATCH/DELETE only with an Idempotency-Key."""
    for attempt in range(attempts):
        response = session.request(method, f"{BASE_URL}{path}", timeout=10, **kwargs)
        transient = response.status_code == 429 or response.status_code >= 500
        if transient and attempt + 1 < attempts:
            time.sleep(float(response.headers.get("Retry-After", 2**attempt)))
            continue
        payload = response.json()
        if response.status_code >= 400:
            raise InstantReplyError(response.status_code, payload["error"])
        return payload


try:
    call("GET", "/v1/contacts/cont_00000000000000000000000000000000")
except InstantReplyError as error:
    print(error.status, error.code, error.request_id)
    print(error)
    print("details:", error.details, "docs:", error.doc_url)
