from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contact_response import ContactResponse
from ...models.error_envelope import ErrorEnvelope
from ...models.patched_contact_update_request import PatchedContactUpdateRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: PatchedContactUpdateRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/contacts/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContactResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ContactResponse.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())

        return response_415

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
) -> Response[ContactResponse | ErrorEnvelope]:
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
    body: PatchedContactUpdateRequest | Unset = UNSET,
) -> Response[ContactResponse | ErrorEnvelope]:
    """Update a contact

     Change `name`, `email`, `lead_stage`, `lead_temperature` or tags. `tags` replaces the whole set;
    `add_tags` and `remove_tags` change it atomically, so two clients tagging at once never lose each
    other's tags (use one style per request). At most 20 tags of 1 to 64 characters from `a-z0-9:_-.`,
    stored in lower case. Any other field is refused with `VALIDATION_ERROR` and nothing is saved. A
    real change emits `contact.updated`.

    **Scope:** `contacts:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (PatchedContactUpdateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedContactUpdateRequest | Unset = UNSET,
) -> ContactResponse | ErrorEnvelope | None:
    """Update a contact

     Change `name`, `email`, `lead_stage`, `lead_temperature` or tags. `tags` replaces the whole set;
    `add_tags` and `remove_tags` change it atomically, so two clients tagging at once never lose each
    other's tags (use one style per request). At most 20 tags of 1 to 64 characters from `a-z0-9:_-.`,
    stored in lower case. Any other field is refused with `VALIDATION_ERROR` and nothing is saved. A
    real change emits `contact.updated`.

    **Scope:** `contacts:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (PatchedContactUpdateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactResponse | ErrorEnvelope
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedContactUpdateRequest | Unset = UNSET,
) -> Response[ContactResponse | ErrorEnvelope]:
    """Update a contact

     Change `name`, `email`, `lead_stage`, `lead_temperature` or tags. `tags` replaces the whole set;
    `add_tags` and `remove_tags` change it atomically, so two clients tagging at once never lose each
    other's tags (use one style per request). At most 20 tags of 1 to 64 characters from `a-z0-9:_-.`,
    stored in lower case. Any other field is refused with `VALIDATION_ERROR` and nothing is saved. A
    real change emits `contact.updated`.

    **Scope:** `contacts:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (PatchedContactUpdateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedContactUpdateRequest | Unset = UNSET,
) -> ContactResponse | ErrorEnvelope | None:
    """Update a contact

     Change `name`, `email`, `lead_stage`, `lead_temperature` or tags. `tags` replaces the whole set;
    `add_tags` and `remove_tags` change it atomically, so two clients tagging at once never lose each
    other's tags (use one style per request). At most 20 tags of 1 to 64 characters from `a-z0-9:_-.`,
    stored in lower case. Any other field is refused with `VALIDATION_ERROR` and nothing is saved. A
    real change emits `contact.updated`.

    **Scope:** `contacts:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (PatchedContactUpdateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
