"""Retention (§5, §7): idempotency results after 24 h; GET request logs after 7
days, other request logs and downstream calls after REQUEST_LOG_RETENTION_DAYS
(default 30).

On PostgreSQL the trace store is partitioned by day (core/partitions.py): the purge
creates the days ahead and drops the partitions wholly past their cutoff; it never
deletes rows from a day partition (the day a cutoff falls in waits until it is
wholly past, its expired rows hidden from every read by ``retained()``). Only the
DEFAULT partition, empty in normal operation, is deleted from, in bounded batches.
The cutoffs are the same as on SQLite, where expired rows are deleted at each run."""

from . import partitions
from .models import DownstreamCall, IdempotencyRecord, RequestLog, retention_cutoffs
from .timeutil import now


def idempotency_records_purge() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now()).delete()
    return deleted


def purge_expired() -> dict:
    current = now()
    get_cutoff, all_cutoff = retention_cutoffs(current)
    if partitions.enabled():
        logs, calls = _purge_partitioned(current, get_cutoff, all_cutoff)
    else:
        gets, _ = RequestLog.objects.filter(
            method__in=partitions.READ_METHODS, created_at__lt=get_cutoff
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
    logs += partitions.delete_from_default(
        partitions.REQUEST_LOGS,
        f"(method IN ({', '.join('%s' for _ in methods)}) AND created_at < %s) OR created_at < %s",
        [*methods, get_cutoff, all_cutoff],
    )
    calls = partitions.drop_expired(partitions.DOWNSTREAM_CALLS, all_cutoff)
    calls += partitions.delete_from_default(
        partitions.DOWNSTREAM_CALLS, "created_at < %s", [all_cutoff]
    )
    return logs, calls
