from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.webhook_create_request import WebhookCreateRequest
from ...models.webhook_endpoint_with_secret_response import WebhookEndpointWithSecretResponse
from ...types import Response


def _get_kwargs(
    *,
    body: WebhookCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | WebhookEndpointWithSecretResponse | None:
    if response.status_code == 201:
        response_201 = WebhookEndpointWithSecretResponse.from_dict(response.json())

        return response_201

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
) -> Response[ErrorEnvelope | WebhookEndpointWithSecretResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookCreateRequest,
) -> Response[ErrorEnvelope | WebhookEndpointWithSecretResponse]:
    """Register a webhook endpoint

     Events of the chosen types (or `["*"]`) are posted to `url`, signed the Standard Webhooks way. The
    201 answer is the only one that ever holds the signing `secret`: store it. The URL must be https and
    must not resolve to a private or reserved address (`INVALID_WEBHOOK_URL`); the plan limits the
    number of endpoints (`LIMIT_EXCEEDED`).

    **Scope:** `webhooks:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (WebhookCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookEndpointWithSecretResponse]
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
    body: WebhookCreateRequest,
) -> ErrorEnvelope | WebhookEndpointWithSecretResponse | None:
    """Register a webhook endpoint

     Events of the chosen types (or `["*"]`) are posted to `url`, signed the Standard Webhooks way. The
    201 answer is the only one that ever holds the signing `secret`: store it. The URL must be https and
    must not resolve to a private or reserved address (`INVALID_WEBHOOK_URL`); the plan limits the
    number of endpoints (`LIMIT_EXCEEDED`).

    **Scope:** `webhooks:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (WebhookCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookEndpointWithSecretResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookCreateRequest,
) -> Response[ErrorEnvelope | WebhookEndpointWithSecretResponse]:
    """Register a webhook endpoint

     Events of the chosen types (or `["*"]`) are posted to `url`, signed the Standard Webhooks way. The
    201 answer is the only one that ever holds the signing `secret`: store it. The URL must be https and
    must not resolve to a private or reserved address (`INVALID_WEBHOOK_URL`); the plan limits the
    number of endpoints (`LIMIT_EXCEEDED`).

    **Scope:** `webhooks:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (WebhookCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookEndpointWithSecretResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WebhookCreateRequest,
) -> ErrorEnvelope | WebhookEndpointWithSecretResponse | None:
    """Register a webhook endpoint

     Events of the chosen types (or `["*"]`) are posted to `url`, signed the Standard Webhooks way. The
    201 answer is the only one that ever holds the signing `secret`: store it. The URL must be https and
    must not resolve to a private or reserved address (`INVALID_WEBHOOK_URL`); the plan limits the
    number of endpoints (`LIMIT_EXCEEDED`).

    **Scope:** `webhooks:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        body (WebhookCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookEndpointWithSecretResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
