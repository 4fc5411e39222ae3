"""Prefixed, time-ordered ids (§1): ``cont_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e``.

UUIDv7 (from the maintained ``uuid6`` package; Python 3.11 has none) puts the
millisecond timestamp first, so ids sort roughly by creation time.
"""

import datetime as dt
import re

from django.db import models
from uuid6 import uuid7

PREFIXES = {
    "workspace": "ws",
    "api_key": "key",
    "agent": "agt",
    "channel": "chan",
    "conversation": "conv",
    "message": "msg",
    "contact": "cont",
    "trigger": "trg",
    "template": "tpl",
    "webhook_endpoint": "wh",
    "event": "evt",
    "webhook_delivery": "whd",
    "downstream_call": "dc",
    "request": "req",
}

_ID_RE = re.compile(r"^([a-z]+)_([0-9a-f]{32})$")


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid7().hex}"


def has_prefix(value: str, prefix: str) -> bool:
    match = _ID_RE.match(value or "")
    return bool(match) and match.group(1) == prefix


def time_of_id(value: str) -> dt.datetime | None:
    """The creation time a UUIDv7 id carries (its first 48 bits, in ms), or None
    for a value that is not one."""
    match = _ID_RE.match(value or "")
    if not match or match.group(2)[12] != "7":
        return None
    try:
        return dt.datetime.fromtimestamp(int(match.group(2)[:12], 16) / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


class PrefixedIdField(models.CharField):
    """Primary key that generates ``<prefix>_<uuid7 hex>`` on creation."""

    def __init__(self, prefix: str, *args, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("editable", False)
        kwargs["default"] = _IdFactory(prefix)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs


class _IdFactory:
    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self) -> str:
        return new_id(self.prefix)
