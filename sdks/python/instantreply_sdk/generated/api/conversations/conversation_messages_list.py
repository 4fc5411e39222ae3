from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_messages_list_direction import ConversationMessagesListDirection
from ...models.conversation_messages_list_order import ConversationMessagesListOrder
from ...models.conversation_messages_list_status import ConversationMessagesListStatus
from ...models.error_envelope import ErrorEnvelope
from ...models.message_list import MessageList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    cursor: str | Unset = UNSET,
    direction: ConversationMessagesListDirection | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationMessagesListOrder | Unset = UNSET,
    status: ConversationMessagesListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction.value

    params["direction"] = json_direction

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
        "url": "/v1/conversations/{id}/messages".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | MessageList | None:
    if response.status_code == 200:
        response_200 = MessageList.from_dict(response.json())

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
) -> Response[ErrorEnvelope | MessageList]:
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
    direction: ConversationMessagesListDirection | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationMessagesListOrder | Unset = UNSET,
    status: ConversationMessagesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | MessageList]:
    """List a conversation's messages

     The messages of one conversation, newest first, inbound and outbound. Filter by `direction` and
    `status`. Each outbound message carries its `trigger_id`: ask `GET /v1/trigger/status/{trigger_id}`
    what became of it.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        direction (ConversationMessagesListDirection | Unset):
        limit (int | Unset):
        order (ConversationMessagesListOrder | Unset):
        status (ConversationMessagesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MessageList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        direction=direction,
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
    direction: ConversationMessagesListDirection | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationMessagesListOrder | Unset = UNSET,
    status: ConversationMessagesListStatus | Unset = UNSET,
) -> ErrorEnvelope | MessageList | None:
    """List a conversation's messages

     The messages of one conversation, newest first, inbound and outbound. Filter by `direction` and
    `status`. Each outbound message carries its `trigger_id`: ask `GET /v1/trigger/status/{trigger_id}`
    what became of it.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        direction (ConversationMessagesListDirection | Unset):
        limit (int | Unset):
        order (ConversationMessagesListOrder | Unset):
        status (ConversationMessagesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MessageList
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        direction=direction,
        limit=limit,
        order=order,
        status=status,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    direction: ConversationMessagesListDirection | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationMessagesListOrder | Unset = UNSET,
    status: ConversationMessagesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | MessageList]:
    """List a conversation's messages

     The messages of one conversation, newest first, inbound and outbound. Filter by `direction` and
    `status`. Each outbound message carries its `trigger_id`: ask `GET /v1/trigger/status/{trigger_id}`
    what became of it.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        direction (ConversationMessagesListDirection | Unset):
        limit (int | Unset):
        order (ConversationMessagesListOrder | Unset):
        status (ConversationMessagesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MessageList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        direction=direction,
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
    direction: ConversationMessagesListDirection | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationMessagesListOrder | Unset = UNSET,
    status: ConversationMessagesListStatus | Unset = UNSET,
) -> ErrorEnvelope | MessageList | None:
    """List a conversation's messages

     The messages of one conversation, newest first, inbound and outbound. Filter by `direction` and
    `status`. Each outbound message carries its `trigger_id`: ask `GET /v1/trigger/status/{trigger_id}`
    what became of it.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        id (str):
        cursor (str | Unset):
        direction (ConversationMessagesListDirection | Unset):
        limit (int | Unset):
        order (ConversationMessagesListOrder | Unset):
        status (ConversationMessagesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MessageList
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            direction=direction,
            limit=limit,
            order=order,
            status=status,
        )
    ).parsed
