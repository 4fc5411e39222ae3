from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.trigger_request_request import TriggerRequestRequest
from ...models.trigger_response import TriggerResponse
from ...types import Response


def _get_kwargs(
    *,
    body: TriggerRequestRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/trigger",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TriggerResponse | None:
    if response.status_code == 202:
        response_202 = TriggerResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[ErrorEnvelope | TriggerResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TriggerRequestRequest,
) -> Response[ErrorEnvelope | TriggerResponse]:
    """Send a template to a customer

     A business-initiated WhatsApp message: an approved template sent to a `phone` number (E.164) or a
    `contact_id`, whatever the messaging window. The contact and conversation are created when new (test
    keys create test ones). `metadata` comes back as sent, for your own references. 202 with the
    trigger; follow it at its `status_url`. Template, quota and channel rules are those of a reply.

    **Scope:** `messages:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (TriggerRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TriggerResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TriggerRequestRequest,
) -> ErrorEnvelope | TriggerResponse | None:
    """Send a template to a customer

     A business-initiated WhatsApp message: an approved template sent to a `phone` number (E.164) or a
    `contact_id`, whatever the messaging window. The contact and conversation are created when new (test
    keys create test ones). `metadata` comes back as sent, for your own references. 202 with the
    trigger; follow it at its `status_url`. Template, quota and channel rules are those of a reply.

    **Scope:** `messages:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (TriggerRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TriggerResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TriggerRequestRequest,
) -> Response[ErrorEnvelope | TriggerResponse]:
    """Send a template to a customer

     A business-initiated WhatsApp message: an approved template sent to a `phone` number (E.164) or a
    `contact_id`, whatever the messaging window. The contact and conversation are created when new (test
    keys create test ones). `metadata` comes back as sent, for your own references. 202 with the
    trigger; follow it at its `status_url`. Template, quota and channel rules are those of a reply.

    **Scope:** `messages:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (TriggerRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TriggerResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TriggerRequestRequest,
) -> ErrorEnvelope | TriggerResponse | None:
    """Send a template to a customer

     A business-initiated WhatsApp message: an approved template sent to a `phone` number (E.164) or a
    `contact_id`, whatever the messaging window. The contact and conversation are created when new (test
    keys create test ones). `metadata` comes back as sent, for your own references. 202 with the
    trigger; follow it at its `status_url`. Template, quota and channel rules are those of a reply.

    **Scope:** `messages:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (TriggerRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TriggerResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
