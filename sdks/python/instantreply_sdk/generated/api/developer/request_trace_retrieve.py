from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.request_trace_response import RequestTraceResponse
from ...types import Response


def _get_kwargs(
    request_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/developer/requests/{request_id}".format(
            request_id=quote(str(request_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RequestTraceResponse | None:
    if response.status_code == 200:
        response_200 = RequestTraceResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | RequestTraceResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | RequestTraceResponse]:
    """Trace a request

     Everything about one request by the `X-Request-Id` of its answer: what arrived (secrets redacted),
    what was answered, and every call made to Meta or to a webhook receiver on its behalf, in order. A
    key reads its own requests; a `*` key reads any of its workspace's.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RequestTraceResponse]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RequestTraceResponse | None:
    """Trace a request

     Everything about one request by the `X-Request-Id` of its answer: what arrived (secrets redacted),
    what was answered, and every call made to Meta or to a webhook receiver on its behalf, in order. A
    key reads its own requests; a `*` key reads any of its workspace's.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RequestTraceResponse
    """

    return sync_detailed(
        request_id=request_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | RequestTraceResponse]:
    """Trace a request

     Everything about one request by the `X-Request-Id` of its answer: what arrived (secrets redacted),
    what was answered, and every call made to Meta or to a webhook receiver on its behalf, in order. A
    key reads its own requests; a `*` key reads any of its workspace's.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RequestTraceResponse]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RequestTraceResponse | None:
    """Trace a request

     Everything about one request by the `X-Request-Id` of its answer: what arrived (secrets redacted),
    what was answered, and every call made to Meta or to a webhook receiver on its behalf, in order. A
    key reads its own requests; a `*` key reads any of its workspace's.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RequestTraceResponse
    """

    return (
        await asyncio_detailed(
            request_id=request_id,
            client=client,
        )
    ).parsed
