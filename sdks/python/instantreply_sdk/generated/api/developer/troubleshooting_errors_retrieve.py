from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.error_explanation_response import ErrorExplanationResponse
from ...types import Response


def _get_kwargs(
    code: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/developer/troubleshooting/errors/{code}".format(
            code=quote(str(code), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ErrorExplanationResponse | None:
    if response.status_code == 200:
        response_200 = ErrorExplanationResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | ErrorExplanationResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | ErrorExplanationResponse]:
    """Explain an error code

     One code of the catalogue, such as `OUTSIDE_MESSAGING_WINDOW` or Meta's `131047`: what it means, who
    is at fault, whether retrying helps, the next steps and related codes. A code that is not in the
    catalogue is `UNKNOWN_ERROR_CODE`.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ErrorExplanationResponse]
    """

    kwargs = _get_kwargs(
        code=code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | ErrorExplanationResponse | None:
    """Explain an error code

     One code of the catalogue, such as `OUTSIDE_MESSAGING_WINDOW` or Meta's `131047`: what it means, who
    is at fault, whether retrying helps, the next steps and related codes. A code that is not in the
    catalogue is `UNKNOWN_ERROR_CODE`.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ErrorExplanationResponse
    """

    return sync_detailed(
        code=code,
        client=client,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | ErrorExplanationResponse]:
    """Explain an error code

     One code of the catalogue, such as `OUTSIDE_MESSAGING_WINDOW` or Meta's `131047`: what it means, who
    is at fault, whether retrying helps, the next steps and related codes. A code that is not in the
    catalogue is `UNKNOWN_ERROR_CODE`.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ErrorExplanationResponse]
    """

    kwargs = _get_kwargs(
        code=code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | ErrorExplanationResponse | None:
    """Explain an error code

     One code of the catalogue, such as `OUTSIDE_MESSAGING_WINDOW` or Meta's `131047`: what it means, who
    is at fault, whether retrying helps, the next steps and related codes. A code that is not in the
    catalogue is `UNKNOWN_ERROR_CODE`.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ErrorExplanationResponse
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
        )
    ).parsed
