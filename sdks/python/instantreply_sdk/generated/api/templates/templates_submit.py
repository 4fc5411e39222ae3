from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.template_submit_request import TemplateSubmitRequest
from ...models.template_submitted_response import TemplateSubmittedResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: TemplateSubmitRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/templates/{id}/submit".format(
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
) -> ErrorEnvelope | TemplateSubmittedResponse | None:
    if response.status_code == 202:
        response_202 = TemplateSubmittedResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TemplateSubmittedResponse]:
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
    body: TemplateSubmitRequest | Unset = UNSET,
) -> Response[ErrorEnvelope | TemplateSubmittedResponse]:
    """Submit a template to Meta

     Moves a `draft` or `rejected` template to `submitting` at once (so a second submit can never reach
    Meta twice) and answers 202 with `category_check`, the classifier's verdict on the submitted content
    as validate gives it: a utility template that reads as marketing is likely to be approved as
    marketing (Meta re-categorises it) and charged at that rate. A worker then sends it to Meta, and the
    status becomes `pending`, then `approved` or `rejected` when Meta decides
    (`template.status_updated`). Another status is `TEMPLATE_NOT_EDITABLE`; examples that do not match
    the body's variables are `VALIDATION_ERROR` on `examples`.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (TemplateSubmitRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateSubmittedResponse]
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
    body: TemplateSubmitRequest | Unset = UNSET,
) -> ErrorEnvelope | TemplateSubmittedResponse | None:
    """Submit a template to Meta

     Moves a `draft` or `rejected` template to `submitting` at once (so a second submit can never reach
    Meta twice) and answers 202 with `category_check`, the classifier's verdict on the submitted content
    as validate gives it: a utility template that reads as marketing is likely to be approved as
    marketing (Meta re-categorises it) and charged at that rate. A worker then sends it to Meta, and the
    status becomes `pending`, then `approved` or `rejected` when Meta decides
    (`template.status_updated`). Another status is `TEMPLATE_NOT_EDITABLE`; examples that do not match
    the body's variables are `VALIDATION_ERROR` on `examples`.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (TemplateSubmitRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateSubmittedResponse
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
    body: TemplateSubmitRequest | Unset = UNSET,
) -> Response[ErrorEnvelope | TemplateSubmittedResponse]:
    """Submit a template to Meta

     Moves a `draft` or `rejected` template to `submitting` at once (so a second submit can never reach
    Meta twice) and answers 202 with `category_check`, the classifier's verdict on the submitted content
    as validate gives it: a utility template that reads as marketing is likely to be approved as
    marketing (Meta re-categorises it) and charged at that rate. A worker then sends it to Meta, and the
    status becomes `pending`, then `approved` or `rejected` when Meta decides
    (`template.status_updated`). Another status is `TEMPLATE_NOT_EDITABLE`; examples that do not match
    the body's variables are `VALIDATION_ERROR` on `examples`.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (TemplateSubmitRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateSubmittedResponse]
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
    body: TemplateSubmitRequest | Unset = UNSET,
) -> ErrorEnvelope | TemplateSubmittedResponse | None:
    """Submit a template to Meta

     Moves a `draft` or `rejected` template to `submitting` at once (so a second submit can never reach
    Meta twice) and answers 202 with `category_check`, the classifier's verdict on the submitted content
    as validate gives it: a utility template that reads as marketing is likely to be approved as
    marketing (Meta re-categorises it) and charged at that rate. A worker then sends it to Meta, and the
    status becomes `pending`, then `approved` or `rejected` when Meta decides
    (`template.status_updated`). Another status is `TEMPLATE_NOT_EDITABLE`; examples that do not match
    the body's variables are `VALIDATION_ERROR` on `examples`.

    **Scope:** `templates:write`.

    **Idempotency:** send an `Idempotency-Key` header (any unique string up to 255 characters). A retry
    with the same key and body within 24 hours gets the first answer again, marked `Idempotent-Replayed:
    true`, and never acts twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`.

    Args:
        id (str):
        body (TemplateSubmitRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateSubmittedResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
