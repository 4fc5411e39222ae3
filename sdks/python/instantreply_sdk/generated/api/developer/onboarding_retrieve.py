from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.onboarding_response import OnboardingResponse
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/developer/onboarding",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OnboardingResponse | None:
    if response.status_code == 200:
        response_200 = OnboardingResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | OnboardingResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | OnboardingResponse]:
    """Check onboarding progress

     The steps from a new key to a first delivered message (create a key, make a call, connect a channel,
    register a webhook, send a message, use an idempotency key, submit a template), each marked done
    from what really happened in the workspace, and the next step to take.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OnboardingResponse]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | OnboardingResponse | None:
    """Check onboarding progress

     The steps from a new key to a first delivered message (create a key, make a call, connect a channel,
    register a webhook, send a message, use an idempotency key, submit a template), each marked done
    from what really happened in the workspace, and the next step to take.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OnboardingResponse
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | OnboardingResponse]:
    """Check onboarding progress

     The steps from a new key to a first delivered message (create a key, make a call, connect a channel,
    register a webhook, send a message, use an idempotency key, submit a template), each marked done
    from what really happened in the workspace, and the next step to take.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OnboardingResponse]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | OnboardingResponse | None:
    """Check onboarding progress

     The steps from a new key to a first delivered message (create a key, make a call, connect a channel,
    register a webhook, send a message, use an idempotency key, submit a template), each marked done
    from what really happened in the workspace, and the next step to take.

    **Scope:** any valid key.

    **Retries:** a read changes nothing and is always safe to retry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OnboardingResponse
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
