"""The signing secret shows up in exactly one place: the creation (or rotation)
response. Not in lists, reads, request logs, admin pages or logs."""

import logging

import pytest

from instantreply.core.models import RequestLog
from webhooks.models import WebhookEndpoint


@pytest.fixture
def created(api_client):
    response = api_client.post(
        "/v1/webhooks", {"url": "https://hooks.example.com/in", "events": ["*"]}
    )
    assert response.status_code == 201
    return response


def test_request_logs_redact_the_secret(api_client, created):
    secret = created.json()["data"]["secret"]
    rotated = api_client.post(f"/v1/webhooks/{created.json()['data']['id']}/rotate_secret")
    new_secret = rotated.json()["data"]["secret"]
    logs = list(RequestLog.objects.filter(path__startswith="/v1/webhooks"))
    assert len(logs) == 2
    for log in logs:
        assert log.response_body["data"]["secret"] == "[REDACTED]"
        dumped = repr(
            (log.request_body, log.response_body, log.request_headers, log.response_headers)
        )
        assert secret not in dumped and new_secret not in dumped


def test_the_trace_endpoint_shows_no_secret(api_client, created):
    secret = created.json()["data"]["secret"]
    trace = api_client.get(f"/v1/developer/requests/{created['X-Request-Id']}")
    assert trace.status_code == 200
    assert secret not in trace.content.decode()


def test_the_admin_change_and_list_pages_show_no_secret(admin_client, created):
    endpoint = WebhookEndpoint.objects.get()
    secret = created.json()["data"]["secret"]
    change = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint.id}/change/")
    listing = admin_client.get("/admin/webhooks/webhookendpoint/")
    assert change.status_code == 200 and listing.status_code == 200
    for page in (change, listing):
        html = page.content.decode()
        assert secret not in html and secret.removeprefix("whsec_") not in html
    assert endpoint.id in change.content.decode()


def test_logs_never_carry_the_secret(
    api_client, caplog, receiver, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.DEBUG):
        response = api_client.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]})
        secret = response.json()["data"]["secret"]
        with django_capture_on_commit_callbacks(execute=True):
            api_client.post(f"/v1/webhooks/{response.json()['data']['id']}/test")
    assert len(receiver.requests) == 1
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert secret not in text and secret.removeprefix("whsec_") not in text


def test_the_admin_trace_finds_the_request_behind_an_event_and_lists_its_deliveries(
    admin_client,
    api_client,
    make_endpoint,
    receiver,
    make_contact,
    django_capture_on_commit_callbacks,
):
    from instantreply.core.admin import related_activity, trace_request_ids
    from webhooks.models import Event, WebhookDelivery

    make_endpoint(url=receiver.url)
    contact = make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(f"/v1/contacts/{contact.id}", {"name": "Traced"})
    request_id = response["X-Request-Id"]
    event = Event.objects.get(type="contact.updated")
    delivery = WebhookDelivery.objects.get(event=event)
    assert trace_request_ids(event.id) == [request_id]
    assert trace_request_ids(delivery.id) == [request_id]
    texts = [row["text"] for row in related_activity(request_id)]
    assert any(event.id in t and "emitted" in t for t in texts)
    assert any(delivery.id in t and "succeeded (HTTP 200)" in t for t in texts)
    page = admin_client.get(f"/admin/core/requestlog/{request_id}/change/")
    assert page.status_code == 200 and delivery.id in page.content.decode()
