"""Time helpers: stored and shown at millisecond precision (§1), so a timestamp read
back and sent as a filter matches itself."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return truncate_ms(timezone.now())


def truncate_ms(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=(value.microsecond // 1000) * 1000)


def format_ts(value: dt.datetime | None) -> str | None:
    """``2026-01-01T00:00:10.000Z``: UTC, milliseconds (truncated), a trailing Z."""
    if value is None:
        return None
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    if value.year >= 1000:
        # One C call (list pages format ~60 of these per request): the same text as
        # the strftime form below, which keeps years before 1000 unpadded.
        return value.isoformat(timespec="milliseconds")[:-6] + "Z"
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_ts(raw: str) -> dt.datetime:
    """Parse an RFC 3339 timestamp with an explicit offset; ValueError otherwise."""
    text = raw.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("timestamp needs a time zone (e.g. a trailing Z)")
    return truncate_ms(value.astimezone(dt.UTC))
