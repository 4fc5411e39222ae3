from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.template_list import TemplateList
from ...models.templates_list_category import TemplatesListCategory
from ...models.templates_list_order import TemplatesListOrder
from ...models.templates_list_status import TemplatesListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: TemplatesListCategory | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    language: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TemplatesListOrder | Unset = UNSET,
    status: TemplatesListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_category: str | Unset = UNSET
    if not isinstance(category, Unset):
        json_category = category.value

    params["category"] = json_category

    params["channel_id"] = channel_id

    params["cursor"] = cursor

    params["language"] = language

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
        "url": "/v1/templates",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TemplateList | None:
    if response.status_code == 200:
        response_200 = TemplateList.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TemplateList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    category: TemplatesListCategory | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    language: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TemplatesListOrder | Unset = UNSET,
    status: TemplatesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | TemplateList]:
    """List templates

     WhatsApp message templates, newest first. Filter by `status`, `category`, `channel_id` and
    `language`. Only `approved` templates can be sent.

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        category (TemplatesListCategory | Unset):
        channel_id (str | Unset):
        cursor (str | Unset):
        language (str | Unset):
        limit (int | Unset):
        order (TemplatesListOrder | Unset):
        status (TemplatesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateList]
    """

    kwargs = _get_kwargs(
        category=category,
        channel_id=channel_id,
        cursor=cursor,
        language=language,
        limit=limit,
        order=order,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    category: TemplatesListCategory | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    language: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TemplatesListOrder | Unset = UNSET,
    status: TemplatesListStatus | Unset = UNSET,
) -> ErrorEnvelope | TemplateList | None:
    """List templates

     WhatsApp message templates, newest first. Filter by `status`, `category`, `channel_id` and
    `language`. Only `approved` templates can be sent.

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        category (TemplatesListCategory | Unset):
        channel_id (str | Unset):
        cursor (str | Unset):
        language (str | Unset):
        limit (int | Unset):
        order (TemplatesListOrder | Unset):
        status (TemplatesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateList
    """

    return sync_detailed(
        client=client,
        category=category,
        channel_id=channel_id,
        cursor=cursor,
        language=language,
        limit=limit,
        order=order,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    category: TemplatesListCategory | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    language: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TemplatesListOrder | Unset = UNSET,
    status: TemplatesListStatus | Unset = UNSET,
) -> Response[ErrorEnvelope | TemplateList]:
    """List templates

     WhatsApp message templates, newest first. Filter by `status`, `category`, `channel_id` and
    `language`. Only `approved` templates can be sent.

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        category (TemplatesListCategory | Unset):
        channel_id (str | Unset):
        cursor (str | Unset):
        language (str | Unset):
        limit (int | Unset):
        order (TemplatesListOrder | Unset):
        status (TemplatesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateList]
    """

    kwargs = _get_kwargs(
        category=category,
        channel_id=channel_id,
        cursor=cursor,
        language=language,
        limit=limit,
        order=order,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    category: TemplatesListCategory | Unset = UNSET,
    channel_id: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    language: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: TemplatesListOrder | Unset = UNSET,
    status: TemplatesListStatus | Unset = UNSET,
) -> ErrorEnvelope | TemplateList | None:
    """List templates

     WhatsApp message templates, newest first. Filter by `status`, `category`, `channel_id` and
    `language`. Only `approved` templates can be sent.

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        category (TemplatesListCategory | Unset):
        channel_id (str | Unset):
        cursor (str | Unset):
        language (str | Unset):
        limit (int | Unset):
        order (TemplatesListOrder | Unset):
        status (TemplatesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateList
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            channel_id=channel_id,
            cursor=cursor,
            language=language,
            limit=limit,
            order=order,
            status=status,
        )
    ).parsed
