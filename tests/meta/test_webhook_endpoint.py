"""GET/POST /meta/webhook: the handshake, signatures, storage and the 200."""

import json

import pytest
from django.test import Client

from instantreply.core.models import RequestLog
from instantreply.meta.models import InboundEvent
from tests.helpers import error_of

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text

pytestmark = pytest.mark.django_db


def post(body: bytes, headers: dict | None = None):
    return Client().post(
        "/meta/webhook", data=body, content_type="application/json", headers=headers or {}
    )


def test_handshake_echoes_the_challenge_for_the_right_token(settings):
    response = Client().get(
        "/meta/webhook",
        {
            "hub.mode": "subscribe",
            "hub.verify_token": settings.META_VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Request-Id"].startswith("req_")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {
            "hub.mode": "unsubscribe",
            "hub.verify_token": "dev-meta-verify-token",
            "hub.challenge": "1",
        },
        {},
    ],
)
def test_handshake_with_a_wrong_token_or_mode_is_403(params):
    response = Client().get("/meta/webhook", params)
    assert response.status_code == 403
    assert error_of(response)["code"] == "INVALID_VERIFY_TOKEN"


def test_a_signed_post_is_stored_raw_and_acknowledged(wa_channel):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.STORE1"))
    response = post(body, headers)
    assert response.status_code == 200
    event = InboundEvent.objects.get()
    assert bytes(event.body) == body
    assert event.request_id == response["X-Request-Id"]
    assert event.headers["content-type"] == "application/json"
    assert "x-hub-signature-256" not in event.headers


def test_the_request_log_redacts_the_signature(wa_channel):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.LOG1"))
    response = post(body, headers)
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.path == "/meta/webhook"
    assert log.status == 200
    stored = {k.lower(): v for k, v in log.request_headers.items()}
    assert stored["x-hub-signature-256"] == "[REDACTED]"
    assert headers["X-Hub-Signature-256"] not in json.dumps(log.request_headers)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "md5=abc"},
        {"X-Hub-Signature-256": ""},
    ],
    ids=["missing", "wrong", "wrong-scheme", "empty"],
)
def test_a_post_without_a_valid_signature_is_401_and_stores_nothing(headers):
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.BAD1")).encode()
    response = post(body, headers)
    assert response.status_code == 401
    assert error_of(response)["code"] == "INVALID_SIGNATURE"
    assert InboundEvent.objects.count() == 0


def test_a_signature_of_another_body_is_401():
    _, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.ORIGINAL"))
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.TAMPERED")).encode()
    response = post(body, headers)
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_signature_made_with_another_secret_is_401():
    from instantreply.meta import signatures

    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.OTHERSECRET")).encode()
    response = post(body, {"X-Hub-Signature-256": signatures.sign(body, "another-app-secret")})
    assert response.status_code == 401


def test_a_body_over_one_mebibyte_is_413():
    body = b'{"object": "page", "pad": "' + b"x" * 1_048_600 + b'"}'
    response = post(body, signed(body)[1])
    assert response.status_code == 413
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"
    assert InboundEvent.objects.count() == 0


def test_other_methods_are_405_with_allow():
    response = Client().put("/meta/webhook", data=b"{}", content_type="application/json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
    assert response["Allow"] == "GET, POST"


def test_unknown_meta_paths_get_the_envelope():
    response = Client().get("/meta/other")
    assert response.status_code == 404
    assert error_of(response)["code"] == "ROUTE_NOT_FOUND"


def test_processing_is_queued_after_commit(wa_channel, django_capture_on_commit_callbacks):
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.QUEUED1"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(body, headers)
    event = InboundEvent.objects.get()
    assert event.status == "received"
    assert len(callbacks) == 1
    callbacks[0]()
    event.refresh_from_db()
    assert event.status == "processed"
    assert event.object_type == "whatsapp_business_account"


def test_a_broker_failure_still_acknowledges_the_stored_event(
    wa_channel, monkeypatch, django_capture_on_commit_callbacks
):
    from instantreply.meta import tasks

    def broken_delay(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.process_inbound_event, "delay", broken_delay)
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid="wamid.NOBROKER"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body, headers)
    assert response.status_code == 200
    assert InboundEvent.objects.get().status == "received"
