from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.error_explanation_list import ErrorExplanationList
from ...models.troubleshooting_errors_list_order import TroubleshootingErrorsListOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TroubleshootingErrorsListOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/developer/troubleshooting/errors",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ErrorExplanationList | None:
    if response.status_code == 200:
        response_200 = ErrorExplanationList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | ErrorExplanationList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TroubleshootingErrorsListOrder | Unset = UNSET,
) -> Response[ErrorEnvelope | ErrorExplanationList]:
    """List error codes

     Every code this API answers with and the common Meta codes a send can fail with, each with its
    explanation, who is at fault, whether a retry helps and what to do next.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (TroubleshootingErrorsListOrder | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ErrorExplanationList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        order=order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TroubleshootingErrorsListOrder | Unset = UNSET,
) -> ErrorEnvelope | ErrorExplanationList | None:
    """List error codes

     Every code this API answers with and the common Meta codes a send can fail with, each with its
    explanation, who is at fault, whether a retry helps and what to do next.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (TroubleshootingErrorsListOrder | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ErrorExplanationList
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        limit=limit,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TroubleshootingErrorsListOrder | Unset = UNSET,
) -> Response[ErrorEnvelope | ErrorExplanationList]:
    """List error codes

     Every code this API answers with and the common Meta codes a send can fail with, each with its
    explanation, who is at fault, whether a retry helps and what to do next.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (TroubleshootingErrorsListOrder | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ErrorExplanationList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TroubleshootingErrorsListOrder | Unset = UNSET,
) -> ErrorEnvelope | ErrorExplanationList | None:
    """List error codes

     Every code this API answers with and the common Meta codes a send can fail with, each with its
    explanation, who is at fault, whether a retry helps and what to do next.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (TroubleshootingErrorsListOrder | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ErrorExplanationList
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            limit=limit,
            order=order,
        )
    ).parsed
