import json

import pytest
from django.core.management import CommandError, call_command

from webhooks.models import Event, WebhookDelivery


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("replay_webhook_event", *args, stdout=out)
    return out.getvalue()


def test_replay_sends_the_event_again_to_every_subscribed_endpoint(
    workspace, make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    first = make_endpoint(url=receiver.url + "/a")
    second = make_endpoint(url=receiver.url + "/b", events=["contact.created"])
    make_endpoint(url=receiver.url + "/c", events=["message.sent"])
    event = fire()
    assert len(receiver.requests) == 2
    with django_capture_on_commit_callbacks(execute=True):
        result = json.loads(_run(event.id, "--json"))
    assert result["id"] == event.id
    assert {d["endpoint_id"] for d in result["deliveries"]} == {first.id, second.id}
    assert len(receiver.requests) == 4
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {event.id}
    assert WebhookDelivery.objects.filter(endpoint=first, attempt=2, status="succeeded").exists()


def test_replay_to_one_endpoint(
    workspace, make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    target = make_endpoint(url=receiver.url + "/a", events=["message.sent"])
    make_endpoint(url=receiver.url + "/b")
    event = fire()
    with django_capture_on_commit_callbacks(execute=True):
        result = json.loads(_run(event.id, "--endpoint", target.id, "--json"))
    assert [d["endpoint_id"] for d in result["deliveries"]] == [target.id]
    assert [r["path"] for r in receiver.requests] == ["/hooks/b", "/hooks/a"]


def test_replay_refuses_unknown_ids_and_endpoints_of_another_workspace(
    workspace, other_workspace, make_endpoint
):
    foreign = make_endpoint(ws=other_workspace)
    event = Event.objects.create(
        workspace=workspace, type="contact.created", data={}, object_id="c"
    )
    with pytest.raises(CommandError, match="no event"):
        _run("evt_00000000000000000000000000000000")
    with pytest.raises(CommandError, match="not in the workspace"):
        _run(event.id, "--endpoint", foreign.id)
    assert not WebhookDelivery.objects.exists()


def test_admin_re_enables_endpoints_and_replays_deliveries(
    admin_client, make_endpoint, receiver, fire, django_capture_on_commit_callbacks
):
    from webhooks import services
    from webhooks.models import WebhookEndpoint

    endpoint = make_endpoint(url=receiver.url)
    receiver.respond(410)
    fire()
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled"
    response = admin_client.post(
        "/admin/webhooks/webhookendpoint/",
        {"action": "enable", "_selected_action": [endpoint.id]},
    )
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).status == "enabled"
    first = WebhookDelivery.objects.get(endpoint=endpoint, attempt=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/webhooks/webhookdelivery/",
            {"action": "replay", "_selected_action": [first.id]},
        )
    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.get(endpoint=endpoint, attempt=2).status == "succeeded"
    services.webhook_endpoint_revoke(endpoint=endpoint)
    admin_client.post(
        "/admin/webhooks/webhookendpoint/", {"action": "enable", "_selected_action": [endpoint.id]}
    )
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).status == "revoked"
