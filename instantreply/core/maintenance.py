"""Retention (§5, §7): idempotency results after 24 h; GET request logs after 7
days, other request logs after REQUEST_LOG_RETENTION_DAYS (default 30)."""

import datetime as dt

from django.conf import settings

from .models import DownstreamCall, IdempotencyRecord, RequestLog
from .timeutil import now


def idempotency_records_purge() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now()).delete()
    return deleted


def purge_expired() -> dict:
    current = now()
    get_cutoff = current - dt.timedelta(days=settings.REQUEST_LOG_GET_RETENTION_DAYS)
    all_cutoff = current - dt.timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS)
    gets, _ = RequestLog.objects.filter(
        method__in=["GET", "HEAD"], created_at__lt=get_cutoff
    ).delete()
    others, _ = RequestLog.objects.filter(created_at__lt=all_cutoff).delete()
    calls, _ = DownstreamCall.objects.filter(created_at__lt=all_cutoff).delete()
    return {
        "idempotency_keys": idempotency_records_purge(),
        "request_logs": gets + others,
        "downstream_calls": calls,
    }
