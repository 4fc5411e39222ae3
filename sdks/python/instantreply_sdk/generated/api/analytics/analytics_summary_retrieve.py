import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.analytics_summary_response import AnalyticsSummaryResponse
from ...models.analytics_summary_retrieve_platform import AnalyticsSummaryRetrievePlatform
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    channel_id: str | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
    platform: AnalyticsSummaryRetrievePlatform | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["channel_id"] = channel_id

    json_end_date: str | Unset = UNSET
    if not isinstance(end_date, Unset):
        json_end_date = end_date.isoformat()
    params["end_date"] = json_end_date

    json_platform: str | Unset = UNSET
    if not isinstance(platform, Unset):
        json_platform = platform.value

    params["platform"] = json_platform

    json_start_date: str | Unset = UNSET
    if not isinstance(start_date, Unset):
        json_start_date = start_date.isoformat()
    params["start_date"] = json_start_date

    params["timezone"] = timezone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/summary",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AnalyticsSummaryResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AnalyticsSummaryResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[AnalyticsSummaryResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    channel_id: str | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
    platform: AnalyticsSummaryRetrievePlatform | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> Response[AnalyticsSummaryResponse | ErrorEnvelope]:
    """Summarise conversations and messages

     Counts for a date range in your timezone: conversations started and closed, messages in and out,
    failures and the delivery rate, new contacts, the median and 90th-percentile first response time,
    and a row for every day (zeros included) and every platform. `start_date` and `end_date` are
    inclusive and go together (default: the 30 days ending today); only the key's mode (live or test) is
    counted. Only one of the two dates, a range the wrong way round or longer than allowed is
    `INVALID_DATE_RANGE`; an unknown `timezone` is `VALIDATION_ERROR`.

    **Scope:** `analytics:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        channel_id (str | Unset):
        end_date (datetime.date | Unset):
        platform (AnalyticsSummaryRetrievePlatform | Unset):
        start_date (datetime.date | Unset):
        timezone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummaryResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        channel_id=channel_id,
        end_date=end_date,
        platform=platform,
        start_date=start_date,
        timezone=timezone,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    channel_id: str | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
    platform: AnalyticsSummaryRetrievePlatform | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> AnalyticsSummaryResponse | ErrorEnvelope | None:
    """Summarise conversations and messages

     Counts for a date range in your timezone: conversations started and closed, messages in and out,
    failures and the delivery rate, new contacts, the median and 90th-percentile first response time,
    and a row for every day (zeros included) and every platform. `start_date` and `end_date` are
    inclusive and go together (default: the 30 days ending today); only the key's mode (live or test) is
    counted. Only one of the two dates, a range the wrong way round or longer than allowed is
    `INVALID_DATE_RANGE`; an unknown `timezone` is `VALIDATION_ERROR`.

    **Scope:** `analytics:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        channel_id (str | Unset):
        end_date (datetime.date | Unset):
        platform (AnalyticsSummaryRetrievePlatform | Unset):
        start_date (datetime.date | Unset):
        timezone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummaryResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        channel_id=channel_id,
        end_date=end_date,
        platform=platform,
        start_date=start_date,
        timezone=timezone,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    channel_id: str | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
    platform: AnalyticsSummaryRetrievePlatform | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> Response[AnalyticsSummaryResponse | ErrorEnvelope]:
    """Summarise conversations and messages

     Counts for a date range in your timezone: conversations started and closed, messages in and out,
    failures and the delivery rate, new contacts, the median and 90th-percentile first response time,
    and a row for every day (zeros included) and every platform. `start_date` and `end_date` are
    inclusive and go together (default: the 30 days ending today); only the key's mode (live or test) is
    counted. Only one of the two dates, a range the wrong way round or longer than allowed is
    `INVALID_DATE_RANGE`; an unknown `timezone` is `VALIDATION_ERROR`.

    **Scope:** `analytics:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        channel_id (str | Unset):
        end_date (datetime.date | Unset):
        platform (AnalyticsSummaryRetrievePlatform | Unset):
        start_date (datetime.date | Unset):
        timezone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummaryResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        channel_id=channel_id,
        end_date=end_date,
        platform=platform,
        start_date=start_date,
        timezone=timezone,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    channel_id: str | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
    platform: AnalyticsSummaryRetrievePlatform | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> AnalyticsSummaryResponse | ErrorEnvelope | None:
    """Summarise conversations and messages

     Counts for a date range in your timezone: conversations started and closed, messages in and out,
    failures and the delivery rate, new contacts, the median and 90th-percentile first response time,
    and a row for every day (zeros included) and every platform. `start_date` and `end_date` are
    inclusive and go together (default: the 30 days ending today); only the key's mode (live or test) is
    counted. Only one of the two dates, a range the wrong way round or longer than allowed is
    `INVALID_DATE_RANGE`; an unknown `timezone` is `VALIDATION_ERROR`.

    **Scope:** `analytics:read`; a key with the same resource's `:write` scope may read too.

    **Retries:** a read changes nothing and is always safe to retry.

    Args:
        channel_id (str | Unset):
        end_date (datetime.date | Unset):
        platform (AnalyticsSummaryRetrievePlatform | Unset):
        start_date (datetime.date | Unset):
        timezone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummaryResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            channel_id=channel_id,
            end_date=end_date,
            platform=platform,
            start_date=start_date,
            timezone=timezone,
        )
    ).parsed
