"""The base every retrying task stands on, and core's own periodic task.

Design note (retries): a task retries only what cannot have had an effect yet (Meta
refused the connection, throttled us, answered 5xx before acting; the database was
briefly unreachable). Retries back off exponentially, 2, 4, 8, 16, 32 s …, with
±25 % jitter so throttled work does not return in step, and stop after
``max_retries``; the caller then records a permanent outcome. One place owns that
schedule, so every task's retry behaviour reads the same and is tested once.
"""

import random

from celery import Task, shared_task

from . import maintenance


class RetryingTask(Task):
    """Base class: ``@shared_task(base=RetryingTask, bind=True, max_retries=N)``."""

    abstract = True
    acks_late = True
    max_retries = 5
    backoff_base_seconds = 2.0
    backoff_jitter = 0.25

    @classmethod
    def backoff_seconds(cls, retries: int) -> float:
        base = cls.backoff_base_seconds * 2.0**retries
        return round(base * random.uniform(1 - cls.backoff_jitter, 1 + cls.backoff_jitter), 2)

    @property
    def may_retry(self) -> bool:
        return self.request.retries < self.max_retries

    def retry_later(self, exc: BaseException):
        """Raises Celery's Retry with this task's backoff (or ``exc`` once exhausted)."""
        raise self.retry(countdown=self.backoff_seconds(self.request.retries), exc=exc)


@shared_task(name="core.purge_expired")
def purge_expired() -> dict:
    return maintenance.purge_expired()
