from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.event_list import EventList
from ...models.events_list_order import EventsListOrder
from ...models.events_list_type import EventsListType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    created_after: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: EventsListOrder | Unset = UNSET,
    type_: EventsListType | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["created_after"] = created_after

    params["cursor"] = cursor

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | EventList | None:
    if response.status_code == 200:
        response_200 = EventList.from_dict(response.json())

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
) -> Response[ErrorEnvelope | EventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    created_after: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: EventsListOrder | Unset = UNSET,
    type_: EventsListType | Unset = UNSET,
) -> Response[ErrorEnvelope | EventList]:
    """List events

     The last 30 days of events (the same payloads webhooks deliver), newest first, so you can reconcile
    anything a receiver missed. Filter by `type` and `created_after`. Only the types whose objects this
    key may read are listed (`contact.*` needs `contacts:read`, and so on).

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        created_after (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (EventsListOrder | Unset):
        type_ (EventsListType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventList]
    """

    kwargs = _get_kwargs(
        created_after=created_after,
        cursor=cursor,
        limit=limit,
        order=order,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    created_after: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: EventsListOrder | Unset = UNSET,
    type_: EventsListType | Unset = UNSET,
) -> ErrorEnvelope | EventList | None:
    """List events

     The last 30 days of events (the same payloads webhooks deliver), newest first, so you can reconcile
    anything a receiver missed. Filter by `type` and `created_after`. Only the types whose objects this
    key may read are listed (`contact.*` needs `contacts:read`, and so on).

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        created_after (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (EventsListOrder | Unset):
        type_ (EventsListType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventList
    """

    return sync_detailed(
        client=client,
        created_after=created_after,
        cursor=cursor,
        limit=limit,
        order=order,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    created_after: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: EventsListOrder | Unset = UNSET,
    type_: EventsListType | Unset = UNSET,
) -> Response[ErrorEnvelope | EventList]:
    """List events

     The last 30 days of events (the same payloads webhooks deliver), newest first, so you can reconcile
    anything a receiver missed. Filter by `type` and `created_after`. Only the types whose objects this
    key may read are listed (`contact.*` needs `contacts:read`, and so on).

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        created_after (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (EventsListOrder | Unset):
        type_ (EventsListType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventList]
    """

    kwargs = _get_kwargs(
        created_after=created_after,
        cursor=cursor,
        limit=limit,
        order=order,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    created_after: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: EventsListOrder | Unset = UNSET,
    type_: EventsListType | Unset = UNSET,
) -> ErrorEnvelope | EventList | None:
    """List events

     The last 30 days of events (the same payloads webhooks deliver), newest first, so you can reconcile
    anything a receiver missed. Filter by `type` and `created_after`. Only the types whose objects this
    key may read are listed (`contact.*` needs `contacts:read`, and so on).

    **Scope:** `webhooks:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        created_after (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (EventsListOrder | Unset):
        type_ (EventsListType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventList
    """

    return (
        await asyncio_detailed(
            client=client,
            created_after=created_after,
            cursor=cursor,
            limit=limit,
            order=order,
            type_=type_,
        )
    ).parsed
