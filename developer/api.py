"""Developer endpoints (§11): usage, capabilities, limits, request traces."""

import datetime as dt

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from drf_spectacular.utils import OpenApiParameter, extend_schema

from conversations.selectors import outbound_messages_today
from instantreply.api import ratelimit
from instantreply.api.errors import ApiError
from instantreply.api.permissions import has_scope
from instantreply.api.schema import data_response, error_responses
from instantreply.api.tracing import flush_request_logs
from instantreply.api.views import ApiView, respond
from instantreply.core.models import RequestLog
from instantreply.core.timeutil import format_ts, now
from webhooks.delivery_policy import MAX_ATTEMPTS, RETRY_SCHEDULE_SECONDS, TIMEOUT_SECONDS

from . import registry
from .serializers import (
    CapabilitiesSerializer,
    LimitsSerializer,
    RequestTraceSerializer,
    UsageSerializer,
    trace_data,
)


class UsageView(ApiView):
    @extend_schema(
        operation_id="usage_retrieve",
        summary="Read usage",
        description=(
            "Requests made today and per day over the last `days` (1 to 90, default 30, zeros "
            "included), where the rate limit stands right now, and live messages sent today "
            "against the plan's daily quota."
        ),
        parameters=[OpenApiParameter("days", int, description="1–90, default 30")],
        responses={200: data_response(UsageSerializer), **error_responses(422)},
    )
    def get(self, request):
        raw = request.query_params.get("days", "30")
        try:
            days = int(raw)
            if not 1 <= days <= 90:
                raise ValueError
        except ValueError:
            raise ApiError(
                "VALIDATION_ERROR",
                f"days must be an integer from 1 to 90; got '{raw}'.",
                details=[
                    {"field": "days", "issue": f"must be an integer from 1 to 90; got '{raw}'"}
                ],
            )
        workspace = self.workspace
        today = now().date()
        start = today - dt.timedelta(days=days - 1)
        start_at = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
        flush_request_logs()  # this process's queued logs count too
        counts = dict(
            RequestLog.objects.retained()
            .filter(workspace=workspace, created_at__gte=start_at)
            .annotate(day=TruncDate("created_at", tzinfo=dt.UTC))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        by_day = [
            {
                "date": (start + dt.timedelta(days=i)).isoformat(),
                "count": counts.get(start + dt.timedelta(days=i), 0),
            }
            for i in range(days)
        ]
        state = getattr(self, "rate_limit_state", None) or ratelimit.peek(workspace)
        return respond(
            {
                "tier": workspace.tier,
                "period": {"start": start.isoformat(), "end": today.isoformat()},
                "requests": {
                    "today": counts.get(today, 0),
                    "this_period": sum(counts.values()),
                    "by_day": by_day,
                },
                "rate_limit": {
                    "limit": state.limit,
                    "window_seconds": settings.RATE_LIMIT_WINDOW_SECONDS,
                    "remaining": state.remaining,
                    "resets_at": format_ts(dt.datetime.fromtimestamp(state.reset_at, dt.UTC)),
                    "store_available": state.store_available,
                },
                "messages": {
                    "sent_today": outbound_messages_today(workspace),
                    "daily_quota": settings.TIERS[workspace.tier]["outbound_messages_per_day"],
                },
            }
        )


class CapabilitiesView(ApiView):
    @extend_schema(
        operation_id="capabilities_retrieve",
        summary="Describe the current API key",
        description=(
            "Who is calling and what it may do: the key (never its secret), its workspace and "
            "plan, its scopes, the features of the plan, and every v1 operation with the scope it "
            "needs and whether this key is allowed to call it. The first call to make with a new "
            "key."
        ),
        responses={200: data_response(CapabilitiesSerializer)},
    )
    def get(self, request):
        key = self.api_key
        scopes = key.scopes
        endpoints = [
            {
                "method": e.method,
                "path": e.path,
                "scope": e.scope_text,
                "allowed": has_scope(scopes, e.scope),
            }
            for e in registry.endpoints()
        ]
        return respond(
            {
                "key": {
                    "id": key.id,
                    "name": key.name,
                    "prefix": key.display_prefix,
                    "mode": key.mode,
                    "created_at": format_ts(key.created_at),
                    "last_used_at": format_ts(key.last_used_at),
                },
                "workspace": {"id": self.workspace.id, "name": self.workspace.name},
                "tier": self.workspace.tier,
                "scopes": list(scopes),
                "features": {
                    "whatsapp": True,
                    "instagram": True,
                    "messenger": True,
                    "templates": has_scope(scopes, "templates:read"),
                    "webhooks": has_scope(scopes, "webhooks:read"),
                    "analytics": has_scope(scopes, "analytics:read"),
                },
                "endpoints": endpoints,
            }
        )


class LimitsView(ApiView):
    @extend_schema(
        operation_id="limits_retrieve",
        summary="Read the plan's limits",
        description=(
            "The numbers this workspace works within: requests per minute, webhook endpoints and "
            "outbound messages per day for its plan, page sizes, how long idempotency keys are "
            "kept, and the webhook timeout and retry schedule."
        ),
        responses={200: data_response(LimitsSerializer)},
    )
    def get(self, request):
        tier = settings.TIERS[self.workspace.tier]
        return respond(
            {
                "tier": self.workspace.tier,
                "rate_limit": {"requests_per_minute": tier["requests_per_minute"]},
                "quotas": {
                    "webhook_endpoints": tier["webhook_endpoints"],
                    "outbound_messages_per_day": tier["outbound_messages_per_day"],
                },
                "pagination": {
                    "default_limit": settings.PAGINATION_DEFAULT_LIMIT,
                    "max_limit": settings.PAGINATION_MAX_LIMIT,
                },
                "idempotency": {
                    "retention_hours": settings.IDEMPOTENCY_RETENTION_HOURS,
                    "max_key_length": settings.IDEMPOTENCY_MAX_KEY_LENGTH,
                },
                "webhooks": {
                    "timeout_seconds": TIMEOUT_SECONDS,
                    "max_attempts": MAX_ATTEMPTS,
                    "retry_schedule_seconds": list(RETRY_SCHEDULE_SECONDS),
                },
            }
        )


class RequestTraceView(ApiView):
    @extend_schema(
        operation_id="request_trace_retrieve",
        summary="Trace a request",
        description=(
            "Everything about one request by the `X-Request-Id` of its answer: what arrived "
            "(secrets redacted), what was answered, and every call made to Meta or to a webhook "
            "receiver on its behalf, in order. A key reads its own requests; a `*` key reads any "
            "of its workspace's."
        ),
        responses={200: data_response(RequestTraceSerializer), **error_responses(404)},
    )
    def get(self, request, request_id: str):
        flush_request_logs()  # a trace read right after its request is found
        # A key reads traces of its own mode only (§3): a test key's * reaches no
        # live trace, nor a live key's a test one; both are "not found".
        logs = (
            RequestLog.objects.retained()
            .filter(workspace=self.workspace, api_key__mode=self.api_key.mode)
            .select_related("api_key")
        )
        if not self.api_key.is_wildcard:
            logs = logs.filter(api_key=self.api_key)
        log = logs.get_by_request_id(request_id)
        if log is None:
            self.not_found(request_id, "request trace")
        return respond(trace_data(log))
