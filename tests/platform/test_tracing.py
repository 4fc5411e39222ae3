"""§7 request tracing: capture, redaction, the admin trace view — and that secrets
never reach any of them. The developer trace endpoint and manage.py trace are
tested in tests/developer/test_request_traces.py."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from instantreply.api.tracing import REDACTED, capture_json_text, record_downstream_call
from instantreply.core.models import DownstreamCall, RequestLog
from tests.helpers import ApiClient, request_with_downstream_calls

TOKEN = "EAAG-secret-token-whatsapp"  # the `channel` fixture's access token


def everything_stored_about(request_id: str) -> str:
    log = RequestLog.objects.get(pk=request_id)
    calls = DownstreamCall.objects.filter(request_id=request_id)
    parts = [
        json.dumps(
            [
                log.query,
                log.request_headers,
                log.request_body,
                log.response_headers,
                log.response_body,
                log.path,
            ]
        )
    ]
    parts += [json.dumps([c.url, c.request_body, c.response_body, c.error]) for c in calls]
    return "\n".join(parts)


def test_a_request_and_its_response_are_stored(api_client, api_key, make_contact):
    contact = make_contact()
    response = api_client.patch(
        f"/v1/contacts/{contact.id}?x=1",
        {"name": "Bea"},
        headers={"Idempotency-Key": "trace-key", "X-Custom": "kept"},
    )
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert (log.method, log.path, log.query, log.status) == (
        "PATCH",
        f"/v1/contacts/{contact.id}",
        {"x": "1"},
        200,
    )
    assert log.workspace_id == contact.workspace_id and log.api_key_id == api_key[0].id
    assert log.idempotency_key == "trace-key" and log.replayed is False
    assert log.request_body == {"name": "Bea"}
    assert log.response_body == response.json()
    assert log.request_headers["X-Custom"] == "kept"
    assert log.request_headers["Authorization"] == f"Bearer {REDACTED}"
    assert log.response_headers["X-Request-Id"] == log.id


def test_unauthenticated_and_unknown_route_requests_are_logged_too(anonymous_client):
    response = anonymous_client.get("/v1/nowhere")
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.status == 404 and log.error_code == "ROUTE_NOT_FOUND" and log.workspace_id is None


def test_secret_fields_anywhere_in_a_body_are_redacted(api_client, make_contact):
    contact = make_contact()
    body = {
        "name": "x",
        "access_token": "tok-123456",
        "nested": [{"client_secret": "cs-123456", "ok": "visible"}],
        "secret": "whsec-123456",
        "password": "pw-123456",
    }
    response = api_client.patch(f"/v1/contacts/{contact.id}?access_token=q-123456", body)
    assert response.status_code == 422
    stored = everything_stored_about(response["X-Request-Id"])
    for value in ("tok-123456", "cs-123456", "whsec-123456", "pw-123456", "q-123456"):
        assert value not in stored
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body["nested"][0] == {"client_secret": REDACTED, "ok": "visible"}
    assert log.query == {"access_token": REDACTED}


def test_bodies_are_capped_at_64_kb(api_client, make_contact):
    contact = make_contact()
    response = api_client.patch(f"/v1/contacts/{contact.id}", {"name": "x" * 70_000})
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body_truncated is True
    assert isinstance(log.request_body, str) and len(log.request_body.encode()) <= 65_536


SECRETS = {"access_token": "tok-7777777", "client_secret": "cs-8888888", "password": "pw-9999999"}


def test_a_body_over_the_cap_is_redacted_before_it_is_truncated(api_client, make_contact):
    # Issue 10 item 6: the secrets sit inside the first 64 KiB that are kept.
    body = {**SECRETS, "nested": [{"signing_secret": "ss-6666666"}], "name": "x" * 70_000}
    response = api_client.patch(f"/v1/contacts/{make_contact().id}", body)
    assert response.status_code == 422
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body_truncated is True
    assert isinstance(log.request_body, str) and len(log.request_body.encode()) <= 65_536
    assert log.request_body.startswith(
        '{"access_token": "[REDACTED]", "client_secret": "[REDACTED]", "password": '
        '"[REDACTED]", "nested": [{"signing_secret": "[REDACTED]"}], "name": "xxx'
    )
    stored = everything_stored_about(response["X-Request-Id"])
    for value in (*SECRETS.values(), "ss-6666666"):
        assert value not in stored


@pytest.mark.parametrize("size", [100, 70_000])
def test_a_body_that_is_not_json_is_stored_redacted(api_client, make_contact, size):
    raw = (
        '{"access_token": "tok-7777777", "client_secret": 88888888, "name": NaN, '
        f'"pad": "{"x" * size}"}} password=pw-9999999&ok=1'
    )
    response = api_client.patch(f"/v1/contacts/{make_contact().id}", raw)
    assert response.status_code == 400
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body_truncated is (size > 65_536)
    assert log.request_body.startswith(
        '{"access_token": "[REDACTED]", "client_secret": "[REDACTED]", "name": NaN'
    )
    for value in ("tok-7777777", "88888888", "pw-9999999"):
        assert value not in log.request_body


def test_a_body_that_is_not_json_is_kept_as_text(api_client, make_contact):
    response = api_client.patch(f"/v1/contacts/{make_contact().id}", '{"name": NaN}')
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body == '{"name": NaN}' and log.status == 400


def test_downstream_calls_are_recorded_redacted_under_the_request(api_client):
    response = api_client.get("/v1/contacts")
    request_id = response["X-Request-Id"]
    for n in range(3):
        record_downstream_call(
            service="meta_graph",
            method="POST",
            url=f"https://graph.example/v24.0/123/messages?access_token=tok-{n}&x=1",
            status=200,
            duration_ms=5 + n,
            error=None,
            request_body={"to": "1415", "access_token": f"tok-{n}"},
            response_body={"messages": [{"id": f"wamid.{n}"}]},
            request_id=request_id,
        )
    calls = api_client.get(f"/v1/developer/requests/{request_id}").json()["data"][
        "downstream_calls"
    ]
    assert [c["response_body"]["messages"][0]["id"] for c in calls] == [
        "wamid.0",
        "wamid.1",
        "wamid.2",
    ]
    assert all("tok-" not in json.dumps(c) for c in calls)
    assert calls[0]["request_body"]["access_token"] == REDACTED
    assert set(calls[0]) == {
        "id",
        "service",
        "method",
        "url",
        "status",
        "duration_ms",
        "error",
        "created_at",
        "request_body",
        "response_body",
    }


# -- the admin trace view -------------------------------------


@pytest.fixture
def staff_client(db):
    user = User.objects.create_user(
        "support", "s@example.com", "pw", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    return client


def test_admin_finds_a_request_by_its_req_id_and_shows_its_calls_in_order(staff_client, api_client):
    request_id = request_with_downstream_calls(api_client)
    api_client.get("/v1/usage")  # another request that must not match
    found = staff_client.get("/admin/core/requestlog/", {"q": f"  {request_id} "})
    assert found.status_code == 200
    html = found.content.decode()
    assert request_id in html and "/v1/usage" not in html
    page = staff_client.get(f"/admin/core/requestlog/{request_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "GET /v1/contacts" in html
    assert html.index("https://graph.example/first") < html.index("https://hooks.example/second")
    # request and response headers and bodies, then each call's two bodies, all folded
    assert html.count('<details class="trace-body">') == 8
    assert "tok-admin" not in html and api_client.key not in html
    assert f"Bearer {REDACTED}" in html


def test_admin_trace_view_is_staff_only(api_client, client):
    request_id = api_client.get("/v1/contacts")["X-Request-Id"]
    response = client.get(f"/admin/core/requestlog/{request_id}/change/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# -- secrets, one test per kind ---------------------------------------------------


def test_api_keys_are_never_stored_raw_nor_shown(workspace, make_key, staff_client):
    key, raw = make_key(workspace)
    response = ApiClient(raw).patch(
        "/v1/contacts/cont_00000000000000000000000000000000", {"api_key": raw}
    )
    assert raw not in everything_stored_about(response["X-Request-Id"])
    for page in (
        f"/admin/core/apikey/{key.id}/change/",
        "/admin/core/apikey/",
        f"/admin/core/requestlog/{response['X-Request-Id']}/change/",
    ):
        html = staff_client.get(page).content.decode()
        assert raw not in html and key.hashed_key not in html, page


def test_channel_access_tokens_are_encrypted_and_never_shown(
    channel, api_client, staff_client, caplog
):
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM conversations_channel WHERE id = %s", [channel.id])
        stored = cursor.fetchone()[0]
    assert TOKEN not in stored
    from instantreply.core.crypto import decrypt

    assert decrypt(stored) == TOKEN
    with caplog.at_level(logging.DEBUG):
        listed = api_client.get("/v1/channels")
        one = api_client.get(f"/v1/channels/{channel.id}")
    for response in (listed, one):
        assert TOKEN not in response.content.decode()
        assert TOKEN not in everything_stored_about(response["X-Request-Id"])
    html = staff_client.get(f"/admin/conversations/channel/{channel.id}/change/").content.decode()
    assert TOKEN not in html and stored not in html
    assert TOKEN not in caplog.text


def test_connect_channel_never_echoes_the_token(workspace, caplog):
    out = io.StringIO()
    with caplog.at_level(logging.DEBUG):
        call_command(
            "connect_channel",
            "--workspace",
            workspace.id,
            "--platform",
            "instagram",
            "--name",
            "IG",
            "--external-id",
            "17841400000000001",
            "--access-token",
            "IGQ-very-secret",
            "--json",
            stdout=out,
        )
    assert "IGQ-very-secret" not in out.getvalue() and "IGQ-very-secret" not in caplog.text
    assert json.loads(out.getvalue())["id"].startswith("chan_")


@pytest.mark.postgres
def test_outside_a_transaction_the_log_skips_the_flush_wait_without_leaking_it(transactional_db):
    from instantreply.core import services

    workspace = services.workspace_create(name="Flush", tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"])
    assert not connection.in_atomic_block
    response = ApiClient(raw).get("/v1/contacts", {"limit": 3, "access_token": "q-999"})
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.status == 200 and log.workspace_id == workspace.id
    assert log.query == {"limit": "3", "access_token": REDACTED}
    assert log.response_body == response.json()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # business writes still wait for the flush


@pytest.mark.parametrize(
    "raw, expected",
    [
        # Plain JSON: stored as sent.
        (b'{"a": [1, 2.5, "x"], "b": null}', ('{"a": [1, 2.5, "x"], "b": null}', False)),
        # orjson refuses these; json reads them, so they are stored as sent, as before.
        (b'{"a": 1e400}', ('{"a": 1e400}', False)),
        (
            b'{"n": 123456789012345678901234567890}',
            ('{"n": 123456789012345678901234567890}', False),
        ),
    ],
)
def test_json_bodies_are_kept_as_sent_whichever_parser_validates_them(raw, expected):
    assert capture_json_text(raw) == expected


@pytest.mark.parametrize("raw", [b'{"a": NaN}', b'{"a": 1,}', b'{"a": "\xff"}', b"[1] [2]"])
def test_bodies_that_are_not_json_still_take_the_text_path(raw):
    text, truncated = capture_json_text(raw)
    assert not truncated
    # Stored as a JSON string (the text), never as the raw bytes claimed as JSON.
    assert isinstance(json.loads(text), str)
