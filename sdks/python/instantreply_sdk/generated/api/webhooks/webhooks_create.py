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
    """Declare ``required_scope`` (reads), ``write_scope`` (writes) and optionally
    ``action_scopes = {"action": scope}``; a scope may be a tuple of alternatives,
    or None for "any valid key".

    Args:
        body (WebhookCreateRequest): Input serializer that refuses unknown fields (§8: nothing
            else is writable).

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
    """Declare ``required_scope`` (reads), ``write_scope`` (writes) and optionally
    ``action_scopes = {"action": scope}``; a scope may be a tuple of alternatives,
    or None for "any valid key".

    Args:
        body (WebhookCreateRequest): Input serializer that refuses unknown fields (§8: nothing
            else is writable).

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
    """Declare ``required_scope`` (reads), ``write_scope`` (writes) and optionally
    ``action_scopes = {"action": scope}``; a scope may be a tuple of alternatives,
    or None for "any valid key".

    Args:
        body (WebhookCreateRequest): Input serializer that refuses unknown fields (§8: nothing
            else is writable).

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
    """Declare ``required_scope`` (reads), ``write_scope`` (writes) and optionally
    ``action_scopes = {"action": scope}``; a scope may be a tuple of alternatives,
    or None for "any valid key".

    Args:
        body (WebhookCreateRequest): Input serializer that refuses unknown fields (§8: nothing
            else is writable).

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
