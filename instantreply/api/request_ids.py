"""The id of the request (or of the request that queued a task) being served, for
logs, error envelopes and downstream-call traces (§7).

A leaf module on purpose: the logging configuration and the Celery app load it
before Django's app registry is ready, so it imports no model."""

import contextvars
import logging

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> None:
    _request_id.set(value)


def bind_request_id(value: str) -> contextvars.Token:
    """Set the id for the code that follows; pass the token to ``unbind_request_id``."""
    return _request_id.set(value)


def unbind_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def request_id_of(request) -> str | None:
    if request is None:
        return current_request_id()
    django_request = getattr(request, "_request", request)
    return getattr(django_request, "request_id", None) or current_request_id()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True
