"""Retries and idempotency keys below every generated operation (an httpx transport),
so each call of the generated API gets them without wrapping."""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import json
import random
import time
import uuid
from datetime import UTC, datetime

import httpx

WRITE_METHODS = frozenset({"POST", "PATCH", "DELETE"})
# 429: over the rate limit; 503: the API (or a required service) is briefly down;
# 409 IDEMPOTENCY_KEY_IN_USE: the first request with this key is still running. None
# of them ran the request, and each says when to come back (Retry-After).
RETRY_STATUSES = frozenset({429, 503})
# The key a caller chose for the writes of a block (InstantReply.idempotency_key).
chosen_key: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "instantreply_idempotency_key", default=None
)
# Raised when the request may or may not have reached the server; retrying is safe
# because every write carries its Idempotency-Key (reads are safe anyway).
RETRY_EXCEPTIONS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds, from either form (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_code(content: bytes) -> str | None:
    try:
        return json.loads(content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


class RetryPolicy:
    """What the sync and async transports share: the key, which answers are retried,
    and how long to wait before the next attempt."""

    def __init__(self, *, max_retries: int, max_retry_wait: float) -> None:
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait

    def prepare(self, request: httpx.Request) -> None:
        if request.method in WRITE_METHODS and "Idempotency-Key" not in request.headers:
            # One key per call, reused by every retry of it: the API runs the write
            # once and answers the retries with the stored result.
            request.headers["Idempotency-Key"] = chosen_key.get() or str(uuid.uuid4())

    def backoff(self, attempt: int) -> float:
        # Exponential with jitter, so many clients cut off together do not come back
        # in step.
        return min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0)

    def needs_body(self, response: httpx.Response, attempt: int) -> bool:
        """Whether the error code decides (a 409 is retried only when the key is in use)."""
        return attempt < self.max_retries and response.status_code == 409

    def wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying ``response``, or None to return it."""
        if attempt >= self.max_retries:
            return None
        if response.status_code == 409:
            if _error_code(response.content) != "IDEMPOTENCY_KEY_IN_USE":
                return None
        elif response.status_code not in RETRY_STATUSES:
            return None
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            wait = self.backoff(attempt)
        # A wait longer than the caller allows is theirs to decide: the error is raised.
        return wait if wait <= self.max_retry_wait else None


class RetryTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, policy: RetryPolicy) -> None:
        self._inner = inner
        self._policy = policy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._policy.prepare(request)
        attempt = 0
        while True:
            try:
                response = self._inner.handle_request(request)
            except RETRY_EXCEPTIONS:
                if attempt >= self._policy.max_retries:
                    raise
                time.sleep(self._policy.backoff(attempt))
                attempt += 1
                continue
            if self._policy.needs_body(response, attempt):
                response.read()
            wait = self._policy.wait(response, attempt)
            if wait is None:
                return response
            response.close()
            time.sleep(wait)
            attempt += 1

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self._inner = inner
        self._policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._policy.prepare(request)
        attempt = 0
        while True:
            try:
                response = await self._inner.handle_async_request(request)
            except RETRY_EXCEPTIONS:
                if attempt >= self._policy.max_retries:
                    raise
                await asyncio.sleep(self._policy.backoff(attempt))
                attempt += 1
                continue
            if self._policy.needs_body(response, attempt):
                await response.aread()
            wait = self._policy.wait(response, attempt)
            if wait is None:
                return response
            await response.aclose()
            await asyncio.sleep(wait)
            attempt += 1

    async def aclose(self) -> None:
        await self._inner.aclose()
