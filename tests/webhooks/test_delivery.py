import datetime as dt
import json

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from instantreply.core.models import DownstreamCall
from instantreply.core.timeutil import now
from webhooks import delivery_policy, services
from webhooks.models import WebhookDelivery, WebhookEndpoint


def _verify(secret, request):
    return Webhook(secret).verify(request["body"], request["headers"])


def _dispatch_at(seconds_from_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.dispatch_due(at=now() + dt.timedelta(seconds=seconds_from_now))


def test_a_delivered_event_verifies_with_standardwebhooks_and_carries_the_payload(
    workspace, make_endpoint, receiver, fire
):
    endpoint = make_endpoint(url=receiver.url)
    event = fire("contact.created", data={"id": "cont_1", "name": "Ana"})
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    payload = _verify(endpoint.plain_secret, request)
    assert payload == {
        "id": event.id,
        "type": "contact.created",
        "created_at": payload["created_at"],
        "workspace_id": workspace.id,
        "livemode": True,
        "data": {"id": "cont_1", "name": "Ana"},
    }
    assert payload["created_at"].endswith("Z") and len(payload["created_at"]) == 24
    assert request["headers"]["webhook-id"] == event.id
    assert request["headers"]["user-agent"] == "InstantReply-Webhooks/1"
    assert request["headers"]["webhook-signature"].startswith("v1,")
    row = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (row.status, row.attempt, row.response_status) == ("succeeded", 1, 200)
    assert row.response_body == "ok" and row.duration_ms is not None
    endpoint.refresh_from_db()
    assert endpoint.last_success_at is not None


def test_updated_events_carry_previous_attributes(make_endpoint, receiver, fire):
    endpoint = make_endpoint(url=receiver.url)
    fire("contact.updated", data={"id": "cont_1", "name": "Bo"}, previous={"name": "Ana"})
    payload = _verify(endpoint.plain_secret, receiver.requests[0])
    assert payload["previous_attributes"] == {"name": "Ana"}
    assert payload["data"] == {"id": "cont_1", "name": "Bo"}


def test_a_real_contact_change_reaches_the_endpoint(
    make_endpoint, receiver, make_contact, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url, events=["contact.created"])
    with django_capture_on_commit_callbacks(execute=True):
        contact = make_contact(name="Zoe")
    (body,) = receiver.bodies()
    assert body["type"] == "contact.created" and body["data"]["id"] == contact.id


def test_only_subscribed_enabled_endpoints_of_the_same_mode_and_workspace_receive(
    workspace, other_workspace, make_endpoint, receiver, fire
):
    subscribed = make_endpoint(url=receiver.url, events=["contact.created"])
    make_endpoint(url=receiver.url + "/other-type", events=["message.sent"])
    make_endpoint(url=receiver.url + "/test-mode", livemode=False)
    make_endpoint(url=receiver.url + "/other-ws", ws=other_workspace)
    disabled = make_endpoint(url=receiver.url + "/disabled")
    services.webhook_endpoint_update(endpoint=disabled, changes={"status": "disabled"})
    fire("contact.created")
    assert [r["path"] for r in receiver.requests] == ["/hooks"]
    assert WebhookDelivery.objects.get().endpoint_id == subscribed.id


def test_test_mode_events_go_only_to_test_endpoints(make_endpoint, receiver, fire):
    make_endpoint(url=receiver.url + "/live")
    make_endpoint(url=receiver.url + "/test", livemode=False)
    fire("contact.created", livemode=False)
    assert [r["path"] for r in receiver.requests] == ["/hooks/test"]
    assert receiver.bodies()[0]["livemode"] is False


def test_a_failing_receiver_gets_the_same_webhook_id_until_it_succeeds(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.respond(500, 503, (429, {}, b"slow down", 0))
    event = fire()
    assert len(receiver.requests) == 1
    # Not due yet: nothing is sent before the retry time.
    _dispatch_at(1, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1
    for step in (7, 7 + 360, 7 + 360 + 2200):
        _dispatch_at(step, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 4
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {event.id}
    for request in receiver.requests:
        assert _verify(endpoint.plain_secret, request)["id"] == event.id
    attempts = list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("attempt")
        .values_list("attempt", "status", "response_status")
    )
    assert attempts == [
        (1, "failed", 500),
        (2, "failed", 503),
        (3, "failed", 429),
        (4, "succeeded", 200),
    ]
    assert DownstreamCall.objects.filter(service="webhook").count() == 4
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.consecutive_failures == 0


def test_retries_follow_the_schedule_with_jitter_and_stop_after_eight_attempts(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.default = (500, {}, b"", 0)
    fire()
    elapsed = 0.0
    for attempt, delay in enumerate(delivery_policy.RETRY_SCHEDULE_SECONDS, start=1):
        failed = WebhookDelivery.objects.get(endpoint=endpoint, attempt=attempt)
        waited = (failed.next_attempt_at - failed.attempted_at).total_seconds()
        assert delay * 0.8 - 0.01 <= waited <= delay * 1.2 + 0.01
        elapsed += delay * 1.2 + 1
        _dispatch_at(elapsed, django_capture_on_commit_callbacks)
    _dispatch_at(elapsed + 86_400, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == delivery_policy.MAX_ATTEMPTS == 8
    last = WebhookDelivery.objects.get(endpoint=endpoint, attempt=8)
    assert last.status == "failed" and last.next_attempt_at is None
    assert not WebhookDelivery.objects.filter(status="pending").exists()


def test_a_longer_retry_after_is_honoured(make_endpoint, receiver, fire):
    make_endpoint(url=receiver.url)
    receiver.respond((503, {"Retry-After": "600"}, b"", 0))
    fire()
    first = WebhookDelivery.objects.get(attempt=1)
    assert (first.next_attempt_at - first.attempted_at).total_seconds() == pytest.approx(600, abs=1)
    pending = WebhookDelivery.objects.get(attempt=2)
    assert pending.status == "pending" and pending.next_attempt_at == first.next_attempt_at


def test_410_gone_disables_the_endpoint_and_stops_retries(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.respond(410)
    fire()
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled" and "410" in endpoint.disabled_reason
    assert not WebhookDelivery.objects.filter(status="pending").exists()
    fire()
    _dispatch_at(3600, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1


def test_redirects_are_not_followed(make_endpoint, receiver, fire):
    make_endpoint(url=receiver.url)
    receiver.respond((302, {"Location": receiver.url + "/elsewhere"}, b"", 0))
    fire()
    assert [r["path"] for r in receiver.requests] == ["/hooks"]
    row = WebhookDelivery.objects.get(attempt=1)
    assert row.status == "failed" and row.response_status == 302
    assert "redirect" in row.error


@pytest.mark.parametrize(
    "where",
    [
        # Before any answer: urllib3's pool raises while sending.
        "urllib3.connectionpool.HTTPConnectionPool.urlopen",
        # After the receiver's 200 head arrived: urllib3 raises while reading the body.
        "urllib3.response.HTTPResponse.read1",
    ],
)
def test_a_fault_of_the_http_client_is_recorded_as_a_failed_attempt(
    make_endpoint, receiver, fire, monkeypatch, where
):
    """A fault inside urllib3 (not one of its HTTPErrors) is a failed attempt, retried
    on schedule, not the end of the task (whose other rows would be re-sent when
    their claims go stale)."""
    make_endpoint(url=receiver.url)

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(where, broken)
    fire()
    row = WebhookDelivery.objects.get(attempt=1)
    assert (row.status, row.response_status, row.error) == (
        "failed",
        None,
        "request failed: RuntimeError",
    )
    waited = (row.next_attempt_at - row.attempted_at).total_seconds()
    first_delay = delivery_policy.RETRY_SCHEDULE_SECONDS[0]
    assert first_delay * 0.8 - 0.01 <= waited <= first_delay * 1.2 + 0.01
    assert WebhookDelivery.objects.filter(attempt=2, status="pending").exists()


def test_an_unreachable_receiver_is_recorded_and_retried(make_endpoint, fire):
    endpoint = make_endpoint(url="http://127.0.0.1:18499/nothing-listens")
    fire()
    row = WebhookDelivery.objects.get(attempt=1)
    assert row.status == "failed" and row.response_status is None
    assert row.error.startswith("connection failed")
    assert WebhookDelivery.objects.filter(endpoint=endpoint, attempt=2, status="pending").exists()


def test_five_days_of_failures_with_ten_attempts_disable_the_endpoint(
    make_endpoint, receiver, fire
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.default = (500, {}, b"", 0)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=now() - dt.timedelta(days=5, minutes=1), consecutive_failures=8
    )
    fire()
    endpoint.refresh_from_db()
    assert endpoint.status == "enabled" and endpoint.consecutive_failures == 9
    fire()
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled" and "5 days" in endpoint.disabled_reason
    assert not WebhookDelivery.objects.filter(status="pending").exists()


def test_ten_failures_within_five_days_do_not_disable(make_endpoint, receiver, fire):
    endpoint = make_endpoint(url=receiver.url)
    receiver.default = (500, {}, b"", 0)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=now() - dt.timedelta(days=4), consecutive_failures=20
    )
    fire()
    endpoint.refresh_from_db()
    assert endpoint.status == "enabled"


def test_a_revoked_endpoint_receives_nothing_more(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.respond(500)
    fire()
    assert WebhookDelivery.objects.filter(status="pending").count() == 1
    services.webhook_endpoint_revoke(endpoint=endpoint)
    pending = WebhookDelivery.objects.get(attempt=2)
    assert pending.status == "failed" and pending.error == "canceled: endpoint revoked"
    fire()
    _dispatch_at(86_400, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1


def test_an_attempt_queued_before_revocation_is_not_sent(make_endpoint, receiver, workspace):
    endpoint = make_endpoint(url=receiver.url)
    event = services.Event.objects.create(
        workspace=workspace, type="contact.created", data={}, object_id="cont_x"
    )
    row = WebhookDelivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=now())
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(status="revoked")
    from webhooks.delivery import deliver

    assert deliver(row.id) == "failed"
    assert receiver.requests == []


def test_rotation_signs_with_both_secrets_for_24_hours(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    old_secret = endpoint.plain_secret
    endpoint, new_secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
    assert new_secret != old_secret and new_secret.startswith("whsec_")
    fire()
    request = receiver.requests[0]
    signatures = request["headers"]["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    assert _verify(new_secret, request)
    assert _verify(old_secret, request)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=now() - dt.timedelta(seconds=1)
    )
    fire()
    later = receiver.requests[1]
    assert len(later["headers"]["webhook-signature"].split(" ")) == 1
    assert _verify(new_secret, later)
    with pytest.raises(WebhookVerificationError):
        _verify(old_secret, later)


def test_a_repeated_fan_out_or_delivery_task_does_nothing_twice(
    make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    event = fire()
    from webhooks import tasks
    from webhooks.delivery import deliver

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.fan_out_event([event.id]) == 0
        assert tasks.fan_out_event(event.id) == 0

    assert deliver(WebhookDelivery.objects.get().id) is None
    assert len(receiver.requests) == 1


def test_the_dispatcher_fans_out_events_whose_enqueue_was_lost(
    workspace, make_endpoint, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    from webhooks.models import Event

    # Written without its on_commit fan-out, as if the broker had been down.
    event = Event.objects.create(
        workspace=workspace, type="contact.created", data={"id": "cont_1"}, object_id="cont_1"
    )
    assert _dispatch_at(5, django_capture_on_commit_callbacks)["fanned_out"] == 0
    assert _dispatch_at(60, django_capture_on_commit_callbacks)["fanned_out"] == 1
    assert [b["id"] for b in receiver.bodies()] == [event.id]


def test_the_dispatcher_releases_a_stale_claim_and_sends_again(
    make_endpoint, receiver, workspace, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(url=receiver.url)
    from webhooks.models import Event

    event = Event.objects.create(
        workspace=workspace, type="contact.created", data={}, object_id="c", fanned_out_at=now()
    )
    claimed = now()
    row = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        next_attempt_at=claimed,
        dispatched_at=claimed,
        claimed_at=claimed,
    )
    assert _dispatch_at(30, django_capture_on_commit_callbacks)["released"] == 0
    assert receiver.requests == []
    assert (
        _dispatch_at(services.CLAIM_STALE_SECONDS + 1, django_capture_on_commit_callbacks)[
            "released"
        ]
        == 1
    )
    row.refresh_from_db()
    assert row.status == "succeeded" and len(receiver.requests) == 1


def test_every_attempt_is_a_downstream_call_linked_to_the_originating_request(
    api_client, make_endpoint, receiver, make_contact, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        contact = make_contact()  # its contact.created goes out here, apart from the PATCH
    receiver.respond(500)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(f"/v1/contacts/{contact.id}", {"name": "Renamed"})
    assert response.status_code == 200
    call = DownstreamCall.objects.get(service="webhook", status=500)
    assert call.request_id == response["X-Request-Id"]
    assert call.status == 500 and call.method == "POST" and call.url == receiver.url
    assert call.subject_id == WebhookDelivery.objects.get(attempt=1, status="failed").id
    assert call.request_body["type"] == "contact.updated"
    assert json.dumps(call.request_body).find("Renamed") > 0


def test_a_nul_in_the_receivers_answer_is_recorded_replaced(make_endpoint, receiver, fire):
    """PostgreSQL stores no NUL: the attempt and its downstream call are still
    recorded (the character replaced), not failed and sent again forever."""
    make_endpoint(url=receiver.url)
    receiver.respond((200, {}, b"o\x00k", 0))
    fire()
    row = WebhookDelivery.objects.get(attempt=1)
    assert (row.status, row.response_body) == ("succeeded", "o\ufffdk")
    assert DownstreamCall.objects.get(subject_id=row.id).response_body == "o\ufffdk"
