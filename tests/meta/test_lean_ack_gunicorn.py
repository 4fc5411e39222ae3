"""The lean /meta/webhook ack through gunicorn (the production server and worker
class): a signed POST is stored exactly once, traced and processed; a bad
signature still gets the envelope and stores nothing."""

import json

import pytest
import requests

from instantreply.core.models import RequestLog
from instantreply.meta.models import InboundEvent
from tests.platform.test_gunicorn_bodies import server  # noqa: F401 - the fixture

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_a_signed_post_through_gunicorn_is_stored_once_traced_and_processed(
    server,  # noqa: F811
    wa_channel,
):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.GUNICORN1"))
    response = requests.post(
        f"{server}/meta/webhook",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.content == b"EVENT_RECEIVED"
    event = InboundEvent.objects.get()
    assert bytes(event.body) == body
    assert event.request_id == response.headers["X-Request-Id"]
    # Processing was queued at the ack and ran (tasks run in the server's process).
    assert event.status == "processed"
    log = RequestLog.objects.get(pk=response.headers["X-Request-Id"])
    assert (log.path, log.status) == ("/meta/webhook", 200)
    stored = {k.lower(): v for k, v in log.request_headers.items()}
    assert stored["x-hub-signature-256"] == "[REDACTED]"


def test_a_bad_signature_through_gunicorn_gets_the_envelope(server):  # noqa: F811
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.GUNICORNBAD")).encode()
    response = requests.post(
        f"{server}/meta/webhook",
        data=body,
        headers={"X-Hub-Signature-256": "sha256=" + "0" * 64, "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert response.json()["error"]["request_id"] == response.headers["X-Request-Id"]
    assert InboundEvent.objects.count() == 0
