"""One base task owns how every retrying task backs off: 2, 4, 8, 16, 32 s with
±25 % jitter, so throttled work does not come back in step."""

import pytest

from conversations.tasks import send_message
from instantreply.core.tasks import RetryingTask
from instantreply.meta.tasks import process_inbound_event
from templates_app.tasks import submit_template


@pytest.mark.parametrize("retries, base", [(0, 2), (1, 4), (2, 8), (3, 16), (4, 32)])
def test_backoff_doubles_with_each_retry_within_its_jitter(retries, base):
    waits = {RetryingTask.backoff_seconds(retries) for _ in range(200)}
    assert min(waits) >= base * 0.75
    assert max(waits) <= base * 1.25
    assert len(waits) > 1  # jittered, not in step


@pytest.mark.parametrize(
    "task, max_retries",
    [(send_message, 5), (submit_template, 4), (process_inbound_event, 5)],
)
def test_every_retrying_task_stands_on_the_one_base(task, max_retries):
    assert isinstance(task, RetryingTask)
    assert task.max_retries == max_retries
    assert task.acks_late is True
