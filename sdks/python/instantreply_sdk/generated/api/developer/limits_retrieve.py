from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.limits_response import LimitsResponse
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/developer/limits",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | LimitsResponse | None:
    if response.status_code == 200:
        response_200 = LimitsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | LimitsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | LimitsResponse]:
    """Read the plan's limits

     The numbers this workspace works within: requests per minute, webhook endpoints and outbound
    messages per day for its plan, page sizes, how long idempotency keys are kept, and the webhook
    timeout and retry schedule.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LimitsResponse]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | LimitsResponse | None:
    """Read the plan's limits

     The numbers this workspace works within: requests per minute, webhook endpoints and outbound
    messages per day for its plan, page sizes, how long idempotency keys are kept, and the webhook
    timeout and retry schedule.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LimitsResponse
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | LimitsResponse]:
    """Read the plan's limits

     The numbers this workspace works within: requests per minute, webhook endpoints and outbound
    messages per day for its plan, page sizes, how long idempotency keys are kept, and the webhook
    timeout and retry schedule.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LimitsResponse]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | LimitsResponse | None:
    """Read the plan's limits

     The numbers this workspace works within: requests per minute, webhook endpoints and outbound
    messages per day for its plan, page sizes, how long idempotency keys are kept, and the webhook
    timeout and retry schedule.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LimitsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
