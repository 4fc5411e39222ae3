"""Celery app. The request id of the HTTP request that queued a task travels in the
task's headers, so downstream calls made by workers link back to it (§7)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.db import close_old_connections

# A leaf module (no models): this one loads with the ``instantreply`` package,
# before Django's app registry is ready.
from instantreply.api.request_ids import current_request_id, set_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "instantreply.settings")

app = Celery("instantreply")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _carry_request_id(headers=None, **_):
    request_id = current_request_id()
    if request_id and headers is not None and "request_id" not in headers:
        headers["request_id"] = request_id


@task_prerun.connect
def _restore_request_id(task=None, **_):
    set_request_id(getattr(task.request, "request_id", None) if task else None)


@task_postrun.connect
def _clear_request_id(**_):
    set_request_id(None)


@task_postrun.connect
def _close_old_connections(task=None, **_):
    # Connections are reused across tasks (CELERY_DB_REUSE_MAX); like Django after a
    # request, drop one that failed or outlived CONN_MAX_AGE. Not for eager runs,
    # which share the caller's connection and transaction.
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()
