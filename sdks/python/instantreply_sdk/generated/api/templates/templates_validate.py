from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.validation_report_response import ValidationReportResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    market: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["market"] = market

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/templates/{id}/validate".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ValidationReportResponse | None:
    if response.status_code == 200:
        response_200 = ValidationReportResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | ValidationReportResponse]:
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
    market: str | Unset = UNSET,
) -> Response[ErrorEnvelope | ValidationReportResponse]:
    """Check a template before submitting

     No side effects. Predicts whether Meta will treat the template as marketing, with the phrases that
    make it promotional and suggestions to keep it utility, and what the difference costs per message
    and per 1,000 in the `market` (ISO country; default from the channel's phone number). `problems`
    lists what submit would refuse (e.g. examples that do not match the variables yet).

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        market (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ValidationReportResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        market=market,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    market: str | Unset = UNSET,
) -> ErrorEnvelope | ValidationReportResponse | None:
    """Check a template before submitting

     No side effects. Predicts whether Meta will treat the template as marketing, with the phrases that
    make it promotional and suggestions to keep it utility, and what the difference costs per message
    and per 1,000 in the `market` (ISO country; default from the channel's phone number). `problems`
    lists what submit would refuse (e.g. examples that do not match the variables yet).

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        market (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ValidationReportResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        market=market,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    market: str | Unset = UNSET,
) -> Response[ErrorEnvelope | ValidationReportResponse]:
    """Check a template before submitting

     No side effects. Predicts whether Meta will treat the template as marketing, with the phrases that
    make it promotional and suggestions to keep it utility, and what the difference costs per message
    and per 1,000 in the `market` (ISO country; default from the channel's phone number). `problems`
    lists what submit would refuse (e.g. examples that do not match the variables yet).

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        market (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ValidationReportResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        market=market,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    market: str | Unset = UNSET,
) -> ErrorEnvelope | ValidationReportResponse | None:
    """Check a template before submitting

     No side effects. Predicts whether Meta will treat the template as marketing, with the phrases that
    make it promotional and suggestions to keep it utility, and what the difference costs per message
    and per 1,000 in the `market` (ISO country; default from the channel's phone number). `problems`
    lists what submit would refuse (e.g. examples that do not match the variables yet).

    **Scope:** `templates:read`; a key with the same resource's `:write` scope may read too.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        market (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ValidationReportResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            market=market,
        )
    ).parsed
