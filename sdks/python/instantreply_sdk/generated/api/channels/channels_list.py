from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.channel_list import ChannelList
from ...models.channels_list_order import ChannelsListOrder
from ...models.channels_list_platform import ChannelsListPlatform
from ...models.channels_list_status import ChannelsListStatus
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ChannelsListOrder | Unset = UNSET,
    platform: ChannelsListPlatform | Unset = UNSET,
    status: ChannelsListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_platform: str | Unset = UNSET
    if not isinstance(platform, Unset):
        json_platform = platform.value

    params["platform"] = json_platform

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/channels",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChannelList | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ChannelList.from_dict(response.json())

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
) -> Response[ChannelList | ErrorEnvelope]:
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
    order: ChannelsListOrder | Unset = UNSET,
    platform: ChannelsListPlatform | Unset = UNSET,
    status: ChannelsListStatus | Unset = UNSET,
) -> Response[ChannelList | ErrorEnvelope]:
    """List channels

     The WhatsApp numbers, Instagram accounts and Facebook Pages connected to the workspace, with their
    health (the last event received and the last error Meta reported). Filter by `platform` or `status`;
    an unknown platform is `INVALID_PLATFORM`. Channels are connected by an operator; the API reads
    them.

    **Scope:** `channels:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (ChannelsListOrder | Unset):
        platform (ChannelsListPlatform | Unset):
        status (ChannelsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
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
    order: ChannelsListOrder | Unset = UNSET,
    platform: ChannelsListPlatform | Unset = UNSET,
    status: ChannelsListStatus | Unset = UNSET,
) -> ChannelList | ErrorEnvelope | None:
    """List channels

     The WhatsApp numbers, Instagram accounts and Facebook Pages connected to the workspace, with their
    health (the last event received and the last error Meta reported). Filter by `platform` or `status`;
    an unknown platform is `INVALID_PLATFORM`. Channels are connected by an operator; the API reads
    them.

    **Scope:** `channels:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (ChannelsListOrder | Unset):
        platform (ChannelsListPlatform | Unset):
        status (ChannelsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelList | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ChannelsListOrder | Unset = UNSET,
    platform: ChannelsListPlatform | Unset = UNSET,
    status: ChannelsListStatus | Unset = UNSET,
) -> Response[ChannelList | ErrorEnvelope]:
    """List channels

     The WhatsApp numbers, Instagram accounts and Facebook Pages connected to the workspace, with their
    health (the last event received and the last error Meta reported). Filter by `platform` or `status`;
    an unknown platform is `INVALID_PLATFORM`. Channels are connected by an operator; the API reads
    them.

    **Scope:** `channels:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (ChannelsListOrder | Unset):
        platform (ChannelsListPlatform | Unset):
        status (ChannelsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ChannelsListOrder | Unset = UNSET,
    platform: ChannelsListPlatform | Unset = UNSET,
    status: ChannelsListStatus | Unset = UNSET,
) -> ChannelList | ErrorEnvelope | None:
    """List channels

     The WhatsApp numbers, Instagram accounts and Facebook Pages connected to the workspace, with their
    health (the last event received and the last error Meta reported). Filter by `platform` or `status`;
    an unknown platform is `INVALID_PLATFORM`. Channels are connected by an operator; the API reads
    them.

    **Scope:** `channels:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        order (ChannelsListOrder | Unset):
        platform (ChannelsListPlatform | Unset):
        status (ChannelsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelList | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            limit=limit,
            order=order,
            platform=platform,
            status=status,
        )
    ).parsed
