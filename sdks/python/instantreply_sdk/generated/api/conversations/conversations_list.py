from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_list import ConversationList
from ...models.conversations_list_order import ConversationsListOrder
from ...models.conversations_list_platform import ConversationsListPlatform
from ...models.conversations_list_status import ConversationsListStatus
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    assignee_id: str | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    contact_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationsListOrder | Unset = UNSET,
    platform: ConversationsListPlatform | Unset = UNSET,
    status: ConversationsListStatus | Unset = UNSET,
    tag: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["assignee_id"] = assignee_id

    params["channel_id"] = channel_id

    params["contact_id"] = contact_id

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

    params["tag"] = tag

    params["updated_since"] = updated_since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/conversations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConversationList | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ConversationList.from_dict(response.json())

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
) -> Response[ConversationList | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    assignee_id: str | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    contact_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationsListOrder | Unset = UNSET,
    platform: ConversationsListPlatform | Unset = UNSET,
    status: ConversationsListStatus | Unset = UNSET,
    tag: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> Response[ConversationList | ErrorEnvelope]:
    """List conversations

     Conversations, newest first (`order=asc` for oldest first): one per contact and channel. Filter by
    `status`, `platform`, `channel_id`, `assignee_id` (or `none` for unassigned), `tag`, `contact_id`
    and `updated_since`. Each conversation says whether its messaging window is open, i.e. whether a
    free-form reply is allowed right now.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        assignee_id (str | Unset):
        channel_id (str | Unset):
        contact_id (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (ConversationsListOrder | Unset):
        platform (ConversationsListPlatform | Unset):
        status (ConversationsListStatus | Unset):
        tag (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        assignee_id=assignee_id,
        channel_id=channel_id,
        contact_id=contact_id,
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
        tag=tag,
        updated_since=updated_since,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    assignee_id: str | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    contact_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationsListOrder | Unset = UNSET,
    platform: ConversationsListPlatform | Unset = UNSET,
    status: ConversationsListStatus | Unset = UNSET,
    tag: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> ConversationList | ErrorEnvelope | None:
    """List conversations

     Conversations, newest first (`order=asc` for oldest first): one per contact and channel. Filter by
    `status`, `platform`, `channel_id`, `assignee_id` (or `none` for unassigned), `tag`, `contact_id`
    and `updated_since`. Each conversation says whether its messaging window is open, i.e. whether a
    free-form reply is allowed right now.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        assignee_id (str | Unset):
        channel_id (str | Unset):
        contact_id (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (ConversationsListOrder | Unset):
        platform (ConversationsListPlatform | Unset):
        status (ConversationsListStatus | Unset):
        tag (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationList | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        assignee_id=assignee_id,
        channel_id=channel_id,
        contact_id=contact_id,
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
        tag=tag,
        updated_since=updated_since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    assignee_id: str | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    contact_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationsListOrder | Unset = UNSET,
    platform: ConversationsListPlatform | Unset = UNSET,
    status: ConversationsListStatus | Unset = UNSET,
    tag: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> Response[ConversationList | ErrorEnvelope]:
    """List conversations

     Conversations, newest first (`order=asc` for oldest first): one per contact and channel. Filter by
    `status`, `platform`, `channel_id`, `assignee_id` (or `none` for unassigned), `tag`, `contact_id`
    and `updated_since`. Each conversation says whether its messaging window is open, i.e. whether a
    free-form reply is allowed right now.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        assignee_id (str | Unset):
        channel_id (str | Unset):
        contact_id (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (ConversationsListOrder | Unset):
        platform (ConversationsListPlatform | Unset):
        status (ConversationsListStatus | Unset):
        tag (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        assignee_id=assignee_id,
        channel_id=channel_id,
        contact_id=contact_id,
        cursor=cursor,
        limit=limit,
        order=order,
        platform=platform,
        status=status,
        tag=tag,
        updated_since=updated_since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    assignee_id: str | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    contact_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ConversationsListOrder | Unset = UNSET,
    platform: ConversationsListPlatform | Unset = UNSET,
    status: ConversationsListStatus | Unset = UNSET,
    tag: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> ConversationList | ErrorEnvelope | None:
    """List conversations

     Conversations, newest first (`order=asc` for oldest first): one per contact and channel. Filter by
    `status`, `platform`, `channel_id`, `assignee_id` (or `none` for unassigned), `tag`, `contact_id`
    and `updated_since`. Each conversation says whether its messaging window is open, i.e. whether a
    free-form reply is allowed right now.

    **Scope:** `conversations:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        assignee_id (str | Unset):
        channel_id (str | Unset):
        contact_id (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        order (ConversationsListOrder | Unset):
        platform (ConversationsListPlatform | Unset):
        status (ConversationsListStatus | Unset):
        tag (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationList | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            assignee_id=assignee_id,
            channel_id=channel_id,
            contact_id=contact_id,
            cursor=cursor,
            limit=limit,
            order=order,
            platform=platform,
            status=status,
            tag=tag,
            updated_since=updated_since,
        )
    ).parsed
