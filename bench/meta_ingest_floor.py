"""The floor of bench/meta_ingest.py: a bare WSGI app (no Django) that does the least
an acknowledgement of Meta's webhook can do — verify X-Hub-Signature-256 over the
raw body, INSERT the raw payload into the same table the product stores events in
(durable commit, like the product), answer 200. Bench-only; served by the same
gunicorn settings as the product in the same run.

Environment: DATABASE_URL, META_APP_SECRET.
"""

import hashlib
import hmac
import json
import os
from datetime import UTC, datetime

from bench.floor_common import connection

_SECRET = os.environ["META_APP_SECRET"].encode()
_SQL = (
    "INSERT INTO meta_inboundevent (body, headers, status, attempts, created_at) "
    "VALUES (%s, %s::jsonb, 'received', 0, %s)"
)


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST" or environ.get("PATH_INFO") != "/meta/webhook":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    given = environ.get("HTTP_X_HUB_SIGNATURE_256", "")
    expected = "sha256=" + hmac.new(_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode()):
        start_response("401 Unauthorized", [("Content-Type", "text/plain")])
        return [b"bad signature"]
    headers = json.dumps({"content-type": environ.get("CONTENT_TYPE", "")})
    connection().execute(_SQL, [body, headers, datetime.now(UTC)])
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "14")])
    return [b"EVENT_RECEIVED"]
