from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.template_response import TemplateResponse
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/templates/{id}/resume".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TemplateResponse | None:
    if response.status_code == 200:
        response_200 = TemplateResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TemplateResponse]:
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
) -> Response[ErrorEnvelope | TemplateResponse]:
    """Accept Meta's new category

     Accepts the category Meta moved a template to: a template the cost guard paused (`paused_reason:
    category_changed`, see `pause_on_category_change`) is approved again and can be sent, at the new
    category's rate. 409 TEMPLATE_NOT_EDITABLE for any other template.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateResponse]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | TemplateResponse | None:
    """Accept Meta's new category

     Accepts the category Meta moved a template to: a template the cost guard paused (`paused_reason:
    category_changed`, see `pause_on_category_change`) is approved again and can be sent, at the new
    category's rate. 409 TEMPLATE_NOT_EDITABLE for any other template.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateResponse
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | TemplateResponse]:
    """Accept Meta's new category

     Accepts the category Meta moved a template to: a template the cost guard paused (`paused_reason:
    category_changed`, see `pause_on_category_change`) is approved again and can be sent, at the new
    category's rate. 409 TEMPLATE_NOT_EDITABLE for any other template.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateResponse]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | TemplateResponse | None:
    """Accept Meta's new category

     Accepts the category Meta moved a template to: a template the cost guard paused (`paused_reason:
    category_changed`, see `pause_on_category_change`) is approved again and can be sent, at the new
    category's rate. 409 TEMPLATE_NOT_EDITABLE for any other template.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
