"""Retention (§5, §7): idempotency results after 24 h; GET request logs after 7
days, other request logs after REQUEST_LOG_RETENTION_DAYS (default 30).

On PostgreSQL the trace store is partitioned by day (core/partitions.py): the purge
creates the days ahead, drops the partitions wholly past their cutoff, then deletes
the remainder (the day the cutoff falls in, the DEFAULT partition) in bounded
batches. The cutoffs are the same as on SQLite, where rows are deleted as before."""

import datetime as dt

from django.conf import settings

from . import partitions
from .models import DownstreamCall, IdempotencyRecord, RequestLog
from .timeutil import now


def idempotency_records_purge() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now()).delete()
    return deleted


def purge_expired() -> dict:
    current = now()
    get_cutoff = current - dt.timedelta(days=settings.REQUEST_LOG_GET_RETENTION_DAYS)
    all_cutoff = current - dt.timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS)
    if partitions.enabled():
        logs, calls = _purge_partitioned(current, get_cutoff, all_cutoff)
    else:
        gets, _ = RequestLog.objects.filter(
            method__in=["GET", "HEAD"], created_at__lt=get_cutoff
        ).delete()
        others, _ = RequestLog.objects.filter(created_at__lt=all_cutoff).delete()
        calls, _ = DownstreamCall.objects.filter(created_at__lt=all_cutoff).delete()
        logs = gets + others
    return {
        "idempotency_keys": idempotency_records_purge(),
        "request_logs": logs,
        "downstream_calls": calls,
    }


def _purge_partitioned(current, get_cutoff, all_cutoff) -> tuple[int, int]:
    partitions.ensure_ahead(current.date())
    logs = partitions.drop_expired(partitions.REQUEST_LOGS, all_cutoff, reads_cutoff=get_cutoff)
    methods = list(partitions.READ_METHODS)
    logs += partitions.delete_in_batches(
        partitions.REQUEST_LOGS,
        f"method IN ({', '.join('%s' for _ in methods)}) AND created_at < %s",
        [*methods, get_cutoff],
        before=get_cutoff,
        halves=("_reads",),
    )
    logs += partitions.delete_in_batches(
        partitions.REQUEST_LOGS, "created_at < %s", [all_cutoff], before=all_cutoff
    )
    calls = partitions.drop_expired(partitions.DOWNSTREAM_CALLS, all_cutoff)
    calls += partitions.delete_in_batches(
        partitions.DOWNSTREAM_CALLS, "created_at < %s", [all_cutoff], before=all_cutoff
    )
    return logs, calls
