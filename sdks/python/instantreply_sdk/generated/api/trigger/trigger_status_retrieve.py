from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.trigger_response import TriggerResponse
from ...types import Response


def _get_kwargs(
    trigger_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/trigger/status/{trigger_id}".format(
            trigger_id=quote(str(trigger_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TriggerResponse | None:
    if response.status_code == 200:
        response_200 = TriggerResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[ErrorEnvelope | TriggerResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | TriggerResponse]:
    """Explain what happened to a send

     The state of one outbound message (a `trg_` id, or the message's `msg_` id) in plain English: a one-
    sentence summary, who is at fault (none, instantreply, meta, business, recipient or unknown),
    whether retrying can help, the next step, Meta's error when there is one, and the timeline of every
    status report.

    **Scope:** `conversations:read or messages:write`.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        trigger_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TriggerResponse]
    """

    kwargs = _get_kwargs(
        trigger_id=trigger_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | TriggerResponse | None:
    """Explain what happened to a send

     The state of one outbound message (a `trg_` id, or the message's `msg_` id) in plain English: a one-
    sentence summary, who is at fault (none, instantreply, meta, business, recipient or unknown),
    whether retrying can help, the next step, Meta's error when there is one, and the timeline of every
    status report.

    **Scope:** `conversations:read or messages:write`.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        trigger_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TriggerResponse
    """

    return sync_detailed(
        trigger_id=trigger_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | TriggerResponse]:
    """Explain what happened to a send

     The state of one outbound message (a `trg_` id, or the message's `msg_` id) in plain English: a one-
    sentence summary, who is at fault (none, instantreply, meta, business, recipient or unknown),
    whether retrying can help, the next step, Meta's error when there is one, and the timeline of every
    status report.

    **Scope:** `conversations:read or messages:write`.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        trigger_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TriggerResponse]
    """

    kwargs = _get_kwargs(
        trigger_id=trigger_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | TriggerResponse | None:
    """Explain what happened to a send

     The state of one outbound message (a `trg_` id, or the message's `msg_` id) in plain English: a one-
    sentence summary, who is at fault (none, instantreply, meta, business, recipient or unknown),
    whether retrying can help, the next step, Meta's error when there is one, and the timeline of every
    status report.

    **Scope:** `conversations:read or messages:write`.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        trigger_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TriggerResponse
    """

    return (
        await asyncio_detailed(
            trigger_id=trigger_id,
            client=client,
        )
    ).parsed
