"""The client: the generated API's AuthenticatedClient with retries, idempotency keys
and typed errors, plus a cursor walk over any list operation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import httpx

from ._transport import AsyncRetryTransport, RetryPolicy, RetryTransport, chosen_key
from .errors import InstantReplyError
from .generated.client import AuthenticatedClient
from .generated.types import UNSET, Unset

DEFAULT_BASE_URL = "https://api.instantreply.co"


def _raise_for_error(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise InstantReplyError.from_response(response)


async def _raise_for_error_async(response: httpx.Response) -> None:
    if response.status_code >= 400:
        await response.aread()
        raise InstantReplyError.from_response(response)


class InstantReply:
    """An API client for one key.

    Call any generated operation with ``client.call(operation, ...)`` (``await
    client.acall(...)`` in asyncio code), or pass ``client.api`` as the generated
    functions' ``client=``: non-2xx answers raise ``InstantReplyError`` after retries,
    so a call returns the 2xx model.

    Every POST, PATCH and DELETE carries a fresh ``Idempotency-Key`` (unless you set
    one) that its retries reuse. Retried: 429, 503 and 409 ``IDEMPOTENCY_KEY_IN_USE``
    (after ``Retry-After``, when it is at most ``max_retry_wait`` seconds), and network
    errors (exponential backoff), up to ``max_retries`` times.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        policy = RetryPolicy(max_retries=max_retries, max_retry_wait=max_retry_wait)
        common = {
            "base_url": base_url,
            "headers": {"Authorization": f"Bearer {api_key}"},
            "timeout": httpx.Timeout(timeout),
        }
        self.api = AuthenticatedClient(base_url=base_url, token=api_key)
        self.api.set_httpx_client(
            httpx.Client(
                **common,
                transport=RetryTransport(transport or httpx.HTTPTransport(), policy),
                event_hooks={"response": [_raise_for_error]},
            )
        )
        # The generated asyncio_* functions get the same retries, keys and errors.
        self.api.set_async_httpx_client(
            httpx.AsyncClient(
                **common,
                transport=AsyncRetryTransport(
                    async_transport or httpx.AsyncHTTPTransport(), policy
                ),
                event_hooks={"response": [_raise_for_error_async]},
            )
        )

    def call(self, operation: ModuleType, /, *args: Any, **kwargs: Any) -> Any:
        """``operation.sync(client=..., ...)`` for a generated operation module."""
        return operation.sync(*args, client=self.api, **kwargs)

    async def acall(self, operation: ModuleType, /, *args: Any, **kwargs: Any) -> Any:
        """``await operation.asyncio(client=..., ...)``."""
        return await operation.asyncio(*args, client=self.api, **kwargs)

    def paginate(self, operation: ModuleType, /, *args: Any, **filters: Any) -> Iterator[Any]:
        """Every item of a list operation, page after page until ``next_cursor`` is null.

        The same filters go with every cursor, as the API requires.
        """
        cursor: str | Unset = UNSET
        while True:
            page = self.call(operation, *args, **filters, cursor=cursor)
            yield from page.data
            if page.pagination.next_cursor is None:
                return
            cursor = page.pagination.next_cursor

    @contextmanager
    def idempotency_key(self, key: str) -> Iterator[None]:
        """Writes inside the block carry ``key`` instead of a fresh one: keep it with
        the job when a retry may come from another process (after a crash, say).
        One key per logical operation."""
        token = chosen_key.set(key)
        try:
            yield
        finally:
            chosen_key.reset(token)

    async def apaginate(
        self, operation: ModuleType, /, *args: Any, **filters: Any
    ) -> AsyncIterator[Any]:
        """``paginate`` for asyncio code."""
        cursor: str | Unset = UNSET
        while True:
            page = await self.acall(operation, *args, **filters, cursor=cursor)
            for item in page.data:
                yield item
            if page.pagination.next_cursor is None:
                return
            cursor = page.pagination.next_cursor

    def close(self) -> None:
        self.api.get_httpx_client().close()

    async def aclose(self) -> None:
        await self.api.get_async_httpx_client().aclose()

    def __enter__(self) -> InstantReply:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
