from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from instantreply.api.serializers import TimestampField
from instantreply.core.models import DownstreamCall
from instantreply.core.timeutil import format_ts


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class _UsagePeriod(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class _UsageRequests(serializers.Serializer):
    today = serializers.IntegerField()
    this_period = serializers.IntegerField()
    by_day = DayCountSerializer(many=True)


class _UsageRateLimit(serializers.Serializer):
    limit = serializers.IntegerField()
    window_seconds = serializers.IntegerField()
    remaining = serializers.IntegerField()
    resets_at = TimestampField()
    store_available = serializers.BooleanField()


class _UsageMessages(serializers.Serializer):
    sent_today = serializers.IntegerField()
    daily_quota = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    tier = serializers.CharField()
    period = _UsagePeriod()
    requests = _UsageRequests()
    rate_limit = _UsageRateLimit()
    messages = _UsageMessages()


class _KeyInfo(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    mode = serializers.ChoiceField(choices=["live", "test"])
    created_at = TimestampField()
    last_used_at = TimestampField(allow_null=True)


class _WorkspaceInfo(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class _Features(serializers.Serializer):
    whatsapp = serializers.BooleanField()
    instagram = serializers.BooleanField()
    messenger = serializers.BooleanField()
    templates = serializers.BooleanField()
    webhooks = serializers.BooleanField()
    analytics = serializers.BooleanField()


class _EndpointInfo(serializers.Serializer):
    method = serializers.CharField()
    path = serializers.CharField()
    scope = serializers.CharField(allow_null=True)
    allowed = serializers.BooleanField()


class CapabilitiesSerializer(serializers.Serializer):
    key = _KeyInfo()
    workspace = _WorkspaceInfo()
    tier = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    features = _Features()
    endpoints = _EndpointInfo(many=True)


class _RateLimitInfo(serializers.Serializer):
    requests_per_minute = serializers.IntegerField()


class _Quotas(serializers.Serializer):
    webhook_endpoints = serializers.IntegerField()
    outbound_messages_per_day = serializers.IntegerField()


class _PaginationInfo(serializers.Serializer):
    default_limit = serializers.IntegerField()
    max_limit = serializers.IntegerField()


class _IdempotencyInfo(serializers.Serializer):
    retention_hours = serializers.IntegerField()
    max_key_length = serializers.IntegerField()


class _WebhookInfo(serializers.Serializer):
    timeout_seconds = serializers.IntegerField()
    max_attempts = serializers.IntegerField()
    retry_schedule_seconds = serializers.ListField(child=serializers.IntegerField())


class LimitsSerializer(serializers.Serializer):
    tier = serializers.CharField()
    rate_limit = _RateLimitInfo()
    quotas = _Quotas()
    pagination = _PaginationInfo()
    idempotency = _IdempotencyInfo()
    webhooks = _WebhookInfo()


# Its own component name: as "_Message" it became the model "Message" in generated
# clients, colliding with the conversation message (openapi-python-client then dropped
# RequestTrace and its response).
@extend_schema_serializer(component_name="TraceHttpMessage")
class _Message(serializers.Serializer):
    headers = serializers.DictField(child=serializers.CharField())
    body = serializers.JSONField(allow_null=True)
    body_truncated = serializers.BooleanField()


class DownstreamCallSerializer(serializers.Serializer):
    id = serializers.CharField()
    service = serializers.ChoiceField(choices=["meta_graph", "webhook"])
    method = serializers.CharField()
    url = serializers.CharField()
    status = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    created_at = TimestampField()
    request_body = serializers.JSONField(allow_null=True)
    response_body = serializers.JSONField(allow_null=True)


class RequestTraceSerializer(serializers.Serializer):
    id = serializers.CharField()
    method = serializers.CharField()
    path = serializers.CharField()
    query = serializers.DictField()
    status = serializers.IntegerField()
    duration_ms = serializers.IntegerField()
    api_key_id = serializers.CharField(allow_null=True)
    idempotency_key = serializers.CharField(allow_null=True)
    replayed = serializers.BooleanField()
    created_at = TimestampField()
    request = _Message()
    response = _Message()
    downstream_calls = DownstreamCallSerializer(many=True)


def downstream_call_data(call) -> dict:
    return {
        "id": call.id,
        "service": call.service,
        "method": call.method,
        "url": call.url,
        "status": call.status,
        "duration_ms": call.duration_ms,
        "error": call.error,
        "created_at": format_ts(call.created_at),
        "request_body": call.request_body,
        "response_body": call.response_body,
    }


def trace_data(log) -> dict:
    calls = DownstreamCall.objects.retained().for_request(log.id)
    return {
        "id": log.id,
        "method": log.method,
        "path": log.path,
        "query": log.query,
        "status": log.status,
        "duration_ms": log.duration_ms,
        "api_key_id": log.api_key_id,
        "idempotency_key": log.idempotency_key,
        "replayed": log.replayed,
        "created_at": format_ts(log.created_at),
        "request": {
            "headers": log.request_headers,
            "body": log.request_body_value,
            "body_truncated": log.request_body_truncated,
        },
        "response": {
            "headers": log.response_headers,
            "body": log.response_body,
            "body_truncated": log.response_body_truncated,
        },
        "downstream_calls": [downstream_call_data(c) for c in calls],
    }
