"""At-least-once with a real worker process and a real Redis broker: a worker
killed with SIGKILL in the middle of a delivery loses no event."""

import datetime as dt
import os
import signal

import pytest
from standardwebhooks import Webhook

from instantreply.celery import app
from instantreply.core.timeutil import now
from tests.workers import celery_worker, wait_for
from webhooks import services
from webhooks.events import emit
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def real_broker():
    """Publish to Redis instead of running tasks in this process."""
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.conf.task_always_eager = True


def test_a_worker_killed_mid_delivery_loses_no_event(
    transactional_db, workspace, make_endpoint, receiver, real_broker
):
    endpoint = make_endpoint(url=receiver.url)
    receiver.respond((200, {}, b"slow", 5))  # the first attempt hangs while we kill the worker
    with celery_worker(concurrency=1) as worker:
        event = emit(
            workspace_id=workspace.id,
            livemode=True,
            type="contact.created",
            data={"id": "cont_1"},
            object_id="cont_1",
        )
        wait_for(lambda: len(receiver.requests) == 1, timeout=20)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    row = WebhookDelivery.objects.get(endpoint=endpoint)
    assert row.status == "pending" and row.claimed_at is not None

    with celery_worker(concurrency=1):
        # Nothing happens while the claim could still belong to a live worker…
        assert services.dispatch_due()["released"] == 0
        # …and once it is older than any delivery task may run, it is sent again.
        later = now() + dt.timedelta(seconds=services.CLAIM_STALE_SECONDS + 1)
        assert services.dispatch_due(at=later)["released"] == 1
        wait_for(
            lambda: WebhookDelivery.objects.filter(pk=row.pk, status="succeeded").exists(),
            timeout=20,
        )
    assert len(receiver.requests) == 2
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {event.id}
    payload = Webhook(endpoint.plain_secret).verify(
        receiver.requests[1]["body"], receiver.requests[1]["headers"]
    )
    assert payload["id"] == event.id
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
