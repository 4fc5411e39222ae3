"""§10's acknowledgement path queues as little as it can: with a cache every process
shares (Redis), the posts behind a processing task that is queued and not yet
started queue nothing, and that task processes them all (instantreply/meta/tasks.py,
``queue_processing``). No event is left waiting for the sweep."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from conversations.models import Message
from instantreply.meta import inbound, tasks
from instantreply.meta.models import InboundEvent

from .conftest import WA_PHONE_ID
from .payloads import signed, whatsapp_text

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def queued(monkeypatch):
    """The processing tasks the posts queue, held instead of run: (event_id, drain)."""
    calls: list[tuple[int, bool]] = []
    monkeypatch.setattr(
        tasks.process_inbound_event,
        "delay",
        lambda event_id, drain=False: calls.append((event_id, drain)),
    )
    cache.delete(tasks.QUEUED_MARK)
    yield calls
    cache.delete(tasks.QUEUED_MARK)


def _post(n: int, django_capture_on_commit_callbacks) -> int:
    body, headers = signed(whatsapp_text(WA_PHONE_ID, wamid=f"wamid.ACK{n}"))
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/meta/webhook", data=body, content_type="application/json", headers=headers
        )
    assert response.status_code == 200
    return InboundEvent.objects.latest("id").id


def _run(calls):
    """Run the held tasks (as a worker would), and any they queue in turn."""
    while calls:
        event_id, drain = calls.pop(0)
        tasks.process_inbound_event.run(event_id, drain=drain)


def test_posts_behind_a_queued_task_queue_nothing_and_it_processes_them_all(
    wa_channel, queued, django_capture_on_commit_callbacks
):
    ids = [_post(n, django_capture_on_commit_callbacks) for n in range(4)]
    assert queued == [(ids[0], True)]
    _run(queued)
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert Message.objects.count() == 4


def test_a_started_task_lets_the_next_post_queue_again(
    wa_channel, queued, django_capture_on_commit_callbacks
):
    first = _post(1, django_capture_on_commit_callbacks)
    _run(queued)
    second = _post(2, django_capture_on_commit_callbacks)
    assert queued == [(second, True)]
    _run(queued)
    assert InboundEvent.objects.get(pk=first).status == "processed"
    assert InboundEvent.objects.get(pk=second).status == "processed"


def test_a_full_batch_queues_the_next_one(
    wa_channel, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(inbound, "BATCH_SIZE", 2)
    ids = [_post(n, django_capture_on_commit_callbacks) for n in range(7)]
    assert len(queued) == 1
    event_id, drain = queued.pop()
    tasks.process_inbound_event.run(event_id, drain=drain)
    # Its own event and two more; the rest waits for the task it queued.
    assert InboundEvent.objects.filter(status="processed").count() == 3
    assert queued == [(ids[0], True)]
    _run(queued)
    assert InboundEvent.objects.filter(status="processed").count() == 7


def test_a_lost_publish_lets_the_next_post_try_again(
    wa_channel, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broken_delay(event_id, drain=False):
        attempts.append(event_id)
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.process_inbound_event, "delay", broken_delay)
    cache.delete(tasks.QUEUED_MARK)
    first = _post(1, django_capture_on_commit_callbacks)
    second = _post(2, django_capture_on_commit_callbacks)
    assert attempts == [first, second]
    assert InboundEvent.objects.filter(status="received").count() == 2


def test_without_a_shared_cache_every_post_queues_its_own_task(
    wa_channel, queued, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = None  # the embedded mode: each process has a cache of its own
    ids = [_post(n, django_capture_on_commit_callbacks) for n in range(3)]
    assert queued == [(event_id, False) for event_id in ids]


def test_with_a_check_interval_the_posts_of_an_interval_share_one_check(
    settings, wa_channel, queued, django_capture_on_commit_callbacks, monkeypatch
):
    """META_QUEUE_CHECK_MS > 0 (production): the first post after a quiet spell is
    checked at once; the posts within the interval after a check wait, and one
    check, with the latest event, covers them all; its task processes them all."""
    settings.META_QUEUE_CHECK_MS = 60_000  # no second check due; flush() stands for it
    monkeypatch.setattr(tasks.queue_processing_soon, "_last", float("-inf"))
    checks = []
    real = tasks.queue_processing_soon.fn
    monkeypatch.setattr(
        tasks.queue_processing_soon,
        "fn",
        lambda event_id: checks.append(event_id) or real(event_id),
    )
    ids = [_post(n, django_capture_on_commit_callbacks) for n in range(3)]
    assert checks == [ids[0]]
    assert queued == [(ids[0], True)]
    tasks.queue_processing_soon.flush()
    # The task the first check queued has not started: its mark is still set.
    assert checks == [ids[0], ids[-1]]
    assert queued == [(ids[0], True)]
    _run(queued)
    assert Message.objects.count() == 3
    # After a check, the next post waits for the next one (its own interval).
    later = _post(3, django_capture_on_commit_callbacks)
    assert checks == [ids[0], ids[-1]]
    tasks.queue_processing_soon.flush()
    assert checks == [ids[0], ids[-1], later]
    _run(queued)
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_the_checker_thread_checks_after_its_interval(
    settings, wa_channel, queued, django_capture_on_commit_callbacks
):
    settings.META_QUEUE_CHECK_MS = 5
    event_id = _post(0, django_capture_on_commit_callbacks)
    for _ in range(400):
        if queued:
            break
        time.sleep(0.01)
    assert queued == [(event_id, True)]


def test_without_a_shared_cache_there_is_no_interval(settings):
    settings.META_QUEUE_CHECK_MS = 50
    settings.REDIS_URL = ""
    assert tasks.queue_processing_soon.interval_ms() == 0
