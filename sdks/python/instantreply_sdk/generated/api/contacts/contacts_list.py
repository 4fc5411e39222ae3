from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contact_list import ContactList
from ...models.contacts_list_lead_stage import ContactsListLeadStage
from ...models.contacts_list_order import ContactsListOrder
from ...models.contacts_list_platform import ContactsListPlatform
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    lead_stage: ContactsListLeadStage | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ContactsListOrder | Unset = UNSET,
    platform: ContactsListPlatform | Unset = UNSET,
    q: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["email"] = email

    json_lead_stage: str | Unset = UNSET
    if not isinstance(lead_stage, Unset):
        json_lead_stage = lead_stage.value

    params["lead_stage"] = json_lead_stage

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_platform: str | Unset = UNSET
    if not isinstance(platform, Unset):
        json_platform = platform.value

    params["platform"] = json_platform

    params["q"] = q

    params["updated_since"] = updated_since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/contacts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContactList | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ContactList.from_dict(response.json())

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
) -> Response[ContactList | ErrorEnvelope]:
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
    email: str | Unset = UNSET,
    lead_stage: ContactsListLeadStage | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ContactsListOrder | Unset = UNSET,
    platform: ContactsListPlatform | Unset = UNSET,
    q: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> Response[ContactList | ErrorEnvelope]:
    """List contacts

     The people who have written to the business, newest first. Filter by `lead_stage`, `platform`, exact
    `email`, `q` (a part of the name, email, phone or username) and `updated_since` to sync changes. A
    WhatsApp contact's handle is its `wa_id`: do not assume every contact has a phone number.

    **Scope:** `contacts:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        email (str | Unset):
        lead_stage (ContactsListLeadStage | Unset):
        limit (int | Unset):
        order (ContactsListOrder | Unset):
        platform (ContactsListPlatform | Unset):
        q (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        email=email,
        lead_stage=lead_stage,
        limit=limit,
        order=order,
        platform=platform,
        q=q,
        updated_since=updated_since,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    lead_stage: ContactsListLeadStage | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ContactsListOrder | Unset = UNSET,
    platform: ContactsListPlatform | Unset = UNSET,
    q: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> ContactList | ErrorEnvelope | None:
    """List contacts

     The people who have written to the business, newest first. Filter by `lead_stage`, `platform`, exact
    `email`, `q` (a part of the name, email, phone or username) and `updated_since` to sync changes. A
    WhatsApp contact's handle is its `wa_id`: do not assume every contact has a phone number.

    **Scope:** `contacts:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        email (str | Unset):
        lead_stage (ContactsListLeadStage | Unset):
        limit (int | Unset):
        order (ContactsListOrder | Unset):
        platform (ContactsListPlatform | Unset):
        q (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        email=email,
        lead_stage=lead_stage,
        limit=limit,
        order=order,
        platform=platform,
        q=q,
        updated_since=updated_since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    lead_stage: ContactsListLeadStage | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ContactsListOrder | Unset = UNSET,
    platform: ContactsListPlatform | Unset = UNSET,
    q: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> Response[ContactList | ErrorEnvelope]:
    """List contacts

     The people who have written to the business, newest first. Filter by `lead_stage`, `platform`, exact
    `email`, `q` (a part of the name, email, phone or username) and `updated_since` to sync changes. A
    WhatsApp contact's handle is its `wa_id`: do not assume every contact has a phone number.

    **Scope:** `contacts:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        email (str | Unset):
        lead_stage (ContactsListLeadStage | Unset):
        limit (int | Unset):
        order (ContactsListOrder | Unset):
        platform (ContactsListPlatform | Unset):
        q (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        email=email,
        lead_stage=lead_stage,
        limit=limit,
        order=order,
        platform=platform,
        q=q,
        updated_since=updated_since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    lead_stage: ContactsListLeadStage | Unset = UNSET,
    limit: int | Unset = UNSET,
    order: ContactsListOrder | Unset = UNSET,
    platform: ContactsListPlatform | Unset = UNSET,
    q: str | Unset = UNSET,
    updated_since: str | Unset = UNSET,
) -> ContactList | ErrorEnvelope | None:
    """List contacts

     The people who have written to the business, newest first. Filter by `lead_stage`, `platform`, exact
    `email`, `q` (a part of the name, email, phone or username) and `updated_since` to sync changes. A
    WhatsApp contact's handle is its `wa_id`: do not assume every contact has a phone number.

    **Scope:** `contacts:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        cursor (str | Unset):
        email (str | Unset):
        lead_stage (ContactsListLeadStage | Unset):
        limit (int | Unset):
        order (ContactsListOrder | Unset):
        platform (ContactsListPlatform | Unset):
        q (str | Unset):
        updated_since (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            email=email,
            lead_stage=lead_stage,
            limit=limit,
            order=order,
            platform=platform,
            q=q,
            updated_since=updated_since,
        )
    ).parsed
