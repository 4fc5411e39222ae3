from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.webhook_delivery_list import WebhookDeliveryList
from ...models.webhooks_deliveries_list_order import WebhooksDeliveriesListOrder
from ...models.webhooks_deliveries_list_status import WebhooksDeliveriesListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    cursor: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: WebhooksDeliveriesListOrder | Unset = UNSET,
    status: WebhooksDeliveriesListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["event_id"] = event_id

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{id}/deliveries".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | WebhookDeliveryList | None:
    if response.status_code == 200:
        response_200 = WebhookDeliveryList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
) -> Response[ErrorEnvelope | WebhookDeliveryList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: WebhooksDeliveriesListOrder | Unset = UNSET,
    status: WebhooksDeliveriesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | WebhookDeliveryList]:
    """List delivery attempts

     Every attempt to deliver events to this endpoint, newest first: the response status, time taken, the
    first 4 KB of the receiver's answer and when the next retry is due. Filter by `status` or
    `event_id`.

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        event_id (str | Unset):
        limit (int | Unset):
        order (WebhooksDeliveriesListOrder | Unset):
        status (WebhooksDeliveriesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        event_id=event_id,
        limit=limit,
        order=order,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: WebhooksDeliveriesListOrder | Unset = UNSET,
    status: WebhooksDeliveriesListStatus | Unset = UNSET,
) -> ErrorEnvelope | WebhookDeliveryList | None:
    """List delivery attempts

     Every attempt to deliver events to this endpoint, newest first: the response status, time taken, the
    first 4 KB of the receiver's answer and when the next retry is due. Filter by `status` or
    `event_id`.

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        event_id (str | Unset):
        limit (int | Unset):
        order (WebhooksDeliveriesListOrder | Unset):
        status (WebhooksDeliveriesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookDeliveryList
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        event_id=event_id,
        limit=limit,
        order=order,
        status=status,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: WebhooksDeliveriesListOrder | Unset = UNSET,
    status: WebhooksDeliveriesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | WebhookDeliveryList]:
    """List delivery attempts

     Every attempt to deliver events to this endpoint, newest first: the response status, time taken, the
    first 4 KB of the receiver's answer and when the next retry is due. Filter by `status` or
    `event_id`.

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        event_id (str | Unset):
        limit (int | Unset):
        order (WebhooksDeliveriesListOrder | Unset):
        status (WebhooksDeliveriesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        event_id=event_id,
        limit=limit,
        order=order,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: WebhooksDeliveriesListOrder | Unset = UNSET,
    status: WebhooksDeliveriesListStatus | Unset = UNSET,
) -> ErrorEnvelope | WebhookDeliveryList | None:
    """List delivery attempts

     Every attempt to deliver events to this endpoint, newest first: the response status, time taken, the
    first 4 KB of the receiver's answer and when the next retry is due. Filter by `status` or
    `event_id`.

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        event_id (str | Unset):
        limit (int | Unset):
        order (WebhooksDeliveriesListOrder | Unset):
        status (WebhooksDeliveriesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookDeliveryList
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            event_id=event_id,
            limit=limit,
            order=order,
            status=status,
        )
    ).parsed
