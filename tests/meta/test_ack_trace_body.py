"""A /meta/webhook POST's request log does not repeat a body the trace keeps as it
arrived: the row leaves it to the stored event (``RequestLog.request_body_in_event``)
and every trace reader shows the event's body, as the row would have held it."""

import io
import json

import pytest
from django.contrib.admin.utils import quote
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from developer.serializers import trace_data
from instantreply.core.models import RequestLog
from instantreply.meta.models import InboundEvent

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text
from .test_lean_ack import Served, wsgi_post

pytestmark = pytest.mark.django_db


def _post(app: str, payload) -> tuple[bytes, dict, RequestLog]:
    body, headers = signed(payload)
    served = Served()
    answer = wsgi_post(served.app if app == "lean" else WSGIHandler(), body, headers)
    assert answer.status_code == 200
    assert served.full_path_calls == []
    return body, headers, RequestLog.objects.get(pk=answer["X-Request-Id"])


@pytest.mark.parametrize("app", ["lean", "full"])
def test_a_json_body_is_read_from_the_event_not_stored_twice(wa_channel, app):
    body, _, log = _post(app, whatsapp_text(WA_PHONE_ID, wamid=f"wamid.ONCE.{app}"))
    assert (log.request_body, log.request_body_in_event, log.request_body_truncated) == (
        None,
        True,
        False,
    )
    assert log.request_body_value == json.loads(body)
    assert trace_data(log)["request"]["body"] == json.loads(body)


@pytest.mark.parametrize(
    "body",
    [
        # A secret-like key: the row keeps the body redacted, never the event's.
        json.dumps({"object": "page", "access_token": "EAAG-not-for-the-log"}).encode(),
        # An escape that could spell one.
        b'{"object": "page", "note": "\\u0061"}',
        b"not json at all",
    ],
    ids=["secret-key", "escape", "not-json"],
)
def test_a_body_the_trace_does_not_keep_as_it_arrived_stays_in_the_row(wa_channel, body):
    _, _, log = _post("lean", body)
    assert log.request_body_in_event is False
    assert log.request_body is not None
    assert log.request_body_value == log.request_body
    assert "EAAG-not-for-the-log" not in json.dumps(log.request_body_value)


def test_the_admin_trace_page_and_manage_py_trace_show_the_events_body(wa_channel, admin_client):
    body, headers, log = _post("lean", whatsapp_text(WA_PHONE_ID, wamid="wamid.SHOWN"))
    page = admin_client.get(f"/admin/core/requestlog/{quote(log.id)}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "wamid.SHOWN" in html
    assert headers["X-Hub-Signature-256"].split("=", 1)[1] not in html
    out = io.StringIO()
    call_command("trace", log.id, "--json", stdout=out)
    assert json.loads(out.getvalue())["request"]["body"] == json.loads(body)


def test_once_the_event_is_gone_the_body_reads_as_null(wa_channel):
    _, _, log = _post("lean", whatsapp_text(WA_PHONE_ID, wamid="wamid.GONE"))
    InboundEvent.objects.filter(request_id=log.id).delete()
    log = RequestLog.objects.get(pk=log.id)
    assert log.request_body_value is None
    assert trace_data(log)["request"]["body"] is None


def test_a_refused_post_keeps_its_body_in_its_own_trace(wa_channel):
    """A bad signature stores no event, so its trace (the first failure per address
    is traced) holds the body itself: nothing to read back from."""
    body = json.dumps(whatsapp_text(WA_PHONE_ID, wamid="wamid.REFUSED")).encode()
    served = Served()
    answer = wsgi_post(served.app, body, {"X-Hub-Signature-256": "sha256=" + "0" * 64})
    assert answer.status_code == 401
    assert InboundEvent.objects.count() == 0
    log = RequestLog.objects.get(pk=answer["X-Request-Id"])
    assert (log.status, log.request_body_in_event) == (401, False)
    assert log.request_body_value == json.loads(body)
