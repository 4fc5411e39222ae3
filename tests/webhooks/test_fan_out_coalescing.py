"""Fan-out publishes coalesced through the shared cache (services.enqueue_fan_out):
events committed while a fan-out task is queued publish no task of their own, that
task takes them, and a full batch queues the next one. The tasks run here in this
process, from the publishes a spy records (no broker)."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from webhooks import services, tasks
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.redis


@pytest.fixture
def published(monkeypatch):
    """Publishes go to this list instead of the broker, as with a real worker."""
    calls: list[list[str]] = []
    conf = tasks.fan_out_event.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    monkeypatch.setattr(tasks.fan_out_event, "delay", lambda ids: calls.append(list(ids)))
    mark = services.fan_out_queued_mark()
    cache.delete(mark)
    yield calls
    cache.delete(mark)
    conf.task_always_eager = eager


def _run_queued(published: list[list[str]]) -> None:
    """What a worker does: run each queued task (tasks may queue more)."""
    while published:
        tasks.fan_out_event.run(published.pop(0))


def test_events_committed_while_a_task_is_queued_publish_nothing_and_are_delivered(
    make_endpoint, receiver, fire, published
):
    make_endpoint(url=receiver.url)
    events = [fire() for _ in range(3)]
    assert published == [[events[0].id]]
    _run_queued(published)
    assert sorted(b["id"] for b in receiver.bodies()) == sorted(e.id for e in events)
    # The task cleared the mark: the next commit queues a task again.
    later = fire()
    assert published == [[later.id]]


def test_a_full_batch_queues_the_next_task(make_endpoint, receiver, fire, published, monkeypatch):
    make_endpoint(url=receiver.url)
    monkeypatch.setattr(services, "FAN_OUT_BATCH", 2)
    events = [fire() for _ in range(5)]
    assert len(published) == 1
    _run_queued(published)
    assert sorted(b["id"] for b in receiver.bodies()) == sorted(e.id for e in events)
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 5


def test_without_a_shared_cache_every_commit_publishes(make_endpoint, receiver, fire, published):
    make_endpoint(url=receiver.url)
    with override_settings(REDIS_URL=None):
        events = [fire() for _ in range(3)]
    assert published == [[e.id] for e in events]
