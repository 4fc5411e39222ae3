"""GET /v1/analytics/summary (§8 Analytics, scope analytics:read)."""

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from instantreply.api.errors import ApiError
from instantreply.api.filters import PLATFORMS
from instantreply.api.schema import data_response, error_responses
from instantreply.api.views import ApiView, respond
from instantreply.core.ids import has_prefix
from instantreply.core.timeutil import now

from .analytics import SummaryQuery, analytics_summary

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Conversations(serializers.Serializer):
    started = serializers.IntegerField()
    closed = serializers.IntegerField()
    active_now = serializers.IntegerField()


class _Messages(serializers.Serializer):
    inbound = serializers.IntegerField()
    outbound = serializers.IntegerField()
    failed = serializers.IntegerField()
    delivery_rate = serializers.FloatField(
        allow_null=True,
        help_text="delivered-or-read ÷ outbound that reached sent or failed; null when none",
    )


class _Contacts(serializers.Serializer):
    new = serializers.IntegerField()


class _FirstResponse(serializers.Serializer):
    median = serializers.FloatField()
    p90 = serializers.FloatField()


class _Day(serializers.Serializer):
    date = serializers.DateField()
    conversations_started = serializers.IntegerField()
    inbound = serializers.IntegerField()
    outbound = serializers.IntegerField()
    failed = serializers.IntegerField()


class _Platform(serializers.Serializer):
    platform = serializers.ChoiceField(choices=list(PLATFORMS))
    inbound = serializers.IntegerField()
    outbound = serializers.IntegerField()


class AnalyticsSummarySerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    timezone = serializers.CharField()
    conversations = _Conversations()
    messages = _Messages()
    contacts = _Contacts()
    first_response_seconds = _FirstResponse(
        allow_null=True,
        help_text="From an inbound message that opened or re-opened a conversation to the "
        "first outbound reply; null when there were no replies.",
    )
    by_day = _Day(many=True)
    by_platform = _Platform(many=True)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def _zone(raw: str) -> tuple[dt.tzinfo, str]:
    name = raw.strip()
    if name in _known_zones():
        return zoneinfo.ZoneInfo(name), name
    raise ApiError(
        "VALIDATION_ERROR",
        f"GET /v1/analytics/summary: timezone must be an IANA time zone name such as "
        f"'UTC' or 'America/New_York'; got '{raw}'.",
        details=[{"field": "timezone", "issue": f"unknown IANA time zone '{raw}'"}],
    )


def _range_error(message: str, field: str | None, issue: str) -> ApiError:
    return ApiError(
        "INVALID_DATE_RANGE",
        f"GET /v1/analytics/summary: {message}",
        details=[{"field": field, "issue": issue}],
    )


def _parse_date(params, field: str) -> dt.date:
    raw = params.get(field, "")
    try:
        if not _DATE.match(raw):
            raise ValueError
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise _range_error(
            f"{field} must be a date as YYYY-MM-DD; got '{raw}'.",
            field,
            f"must be a date as YYYY-MM-DD; got '{raw}'",
        )
    # Local midnights of years 1 and 9999 overflow once shifted to UTC.
    if not 1900 <= value.year <= 9998:
        raise _range_error(
            f"{field} must be a date between 1900-01-01 and 9998-12-31; got '{raw}'.",
            field,
            f"must be between 1900-01-01 and 9998-12-31; got '{raw}'",
        )
    return value


def _dates(params, zone) -> tuple[dt.date, dt.date]:
    has_start, has_end = "start_date" in params, "end_date" in params
    if not has_start and not has_end:
        end = now().astimezone(zone).date()
        return end - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1), end
    if has_start != has_end:
        missing = "end_date" if has_start else "start_date"
        raise _range_error(
            f"send both start_date and end_date, or neither (the last {DEFAULT_RANGE_DAYS} "
            f"days); {missing} is missing.",
            missing,
            "is required when the other bound of the range is given",
        )
    start, end = _parse_date(params, "start_date"), _parse_date(params, "end_date")
    if end < start:
        raise _range_error(
            f"end_date {end} is before start_date {start}.",
            "end_date",
            "must be on or after start_date",
        )
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise _range_error(
            f"the range {start}..{end} spans {days} days; at most {MAX_RANGE_DAYS} are allowed.",
            "end_date",
            f"range must span at most {MAX_RANGE_DAYS} days (inclusive); got {days}",
        )
    return start, end


def _platform(params) -> str | None:
    raw = params.get("platform")
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value not in PLATFORMS:
        raise ApiError(
            "INVALID_PLATFORM",
            f"Platform '{raw}' is not supported on v1; use {', '.join(PLATFORMS)}.",
            details=[{"field": "platform", "issue": f"must be one of {', '.join(PLATFORMS)}"}],
        )
    return value


def _channel_id(params) -> str | None:
    raw = params.get("channel_id")
    if raw is None or raw == "":
        return None
    if not has_prefix(raw, "chan"):
        raise ApiError(
            "VALIDATION_ERROR",
            f"GET /v1/analytics/summary: channel_id must be an id starting with 'chan_'; "
            f"got '{raw}'.",
            details=[
                {
                    "field": "channel_id",
                    "issue": f"must be an id starting with 'chan_'; got '{raw}'",
                }
            ],
        )
    return raw


class AnalyticsSummaryView(ApiView):
    required_scope = "analytics:read"

    @extend_schema(
        operation_id="analytics_summary_retrieve",
        summary="Summarise conversations and messages",
        description=(
            "Counts for a date range in your timezone: conversations started and closed, messages "
            "in and out, failures and the delivery rate, new contacts, the median and "
            "90th-percentile first response time, and a row for every day (zeros included) and "
            "every platform. `start_date` and `end_date` are inclusive and go together (default: "
            "the 30 days ending today); only the key's mode (live or test) is counted. Only one "
            "of the two dates, a range the wrong way round or longer than allowed is "
            "`INVALID_DATE_RANGE`; an unknown `timezone` is `VALIDATION_ERROR`."
        ),
        parameters=[
            OpenApiParameter(
                "start_date",
                OpenApiTypes.DATE,
                description="First day (inclusive) in `timezone`; send with end_date. "
                "Default: 30 days ending today.",
            ),
            OpenApiParameter(
                "end_date",
                OpenApiTypes.DATE,
                description="Last day (inclusive); at most 366 days after start_date.",
            ),
            OpenApiParameter("timezone", str, description="IANA zone, default UTC"),
            OpenApiParameter("channel_id", str, description="Only this channel (chan_…)"),
            OpenApiParameter("platform", str, enum=list(PLATFORMS)),
        ],
        responses={200: data_response(AnalyticsSummarySerializer), **error_responses(422)},
    )
    def get(self, request):
        params = request.query_params
        zone, zone_name = _zone(params.get("timezone") or "UTC")
        start, end = _dates(params, zone)
        query = SummaryQuery(
            workspace_id=self.workspace.id,
            livemode=self.api_key.livemode,
            start_date=start,
            end_date=end,
            zone=zone,
            zone_name=zone_name,
            channel_id=_channel_id(params),
            platform=_platform(params),
        )
        platforms = (query.platform,) if query.platform else PLATFORMS
        return respond(analytics_summary(query, platforms=platforms))
