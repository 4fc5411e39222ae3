from rest_framework import serializers

from instantreply.api.serializers import (
    LowerEnumField,
    StrictCharField,
    StrictSerializer,
    TimestampField,
)
from instantreply.core.timeutil import format_ts

from .models import DELIVERY_STATUSES, ENDPOINT_STATUSES, EVENT_TYPES
from .selectors import endpoint_event_types

SUBSCRIBABLE = ("*", *EVENT_TYPES)


# -- output --------------------------------------------------------------------------
class WebhookEndpointSerializer(serializers.Serializer):
    """Output shape (documentation); ``endpoint_data`` builds it fast."""

    id = serializers.CharField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE))
    description = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=ENDPOINT_STATUSES)
    livemode = serializers.BooleanField()
    created_at = TimestampField()
    last_success_at = TimestampField(allow_null=True)
    last_failure_at = TimestampField(allow_null=True)


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="whsec_… — shown only in this response")


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.CharField()
    event_id = serializers.CharField()
    event_type = serializers.ChoiceField(choices=EVENT_TYPES)
    attempt = serializers.IntegerField()
    status = serializers.ChoiceField(choices=DELIVERY_STATUSES)
    response_status = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    response_body = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    created_at = TimestampField()
    next_attempt_at = TimestampField(allow_null=True)


class EventSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=EVENT_TYPES)
    created_at = TimestampField()
    workspace_id = serializers.CharField()
    livemode = serializers.BooleanField()
    data = serializers.DictField()
    previous_attributes = serializers.DictField(
        required=False, help_text="only on *.updated events: the changed fields' old values"
    )


def endpoint_data(endpoint, *, secret: str | None = None) -> dict:
    out = {
        "id": endpoint.id,
        "url": endpoint.url,
        # What it receives: its subscription bounded by its recorded read scopes.
        "events": endpoint_event_types(endpoint),
        "description": endpoint.description,
        "status": endpoint.status,
        "livemode": endpoint.livemode,
        "created_at": format_ts(endpoint.created_at),
        "last_success_at": format_ts(endpoint.last_success_at),
        "last_failure_at": format_ts(endpoint.last_failure_at),
    }
    if secret is not None:
        out["secret"] = secret
    return out


def delivery_data(delivery, *, event_type: str | None = None) -> dict:
    return {
        "id": delivery.id,
        "event_id": delivery.event_id,
        "event_type": event_type or getattr(delivery, "event_type", None) or delivery.event.type,
        "attempt": delivery.attempt,
        "status": delivery.status,
        "response_status": delivery.response_status,
        "duration_ms": delivery.duration_ms,
        "response_body": delivery.response_body,
        "error": delivery.error,
        "created_at": format_ts(delivery.created_at),
        "next_attempt_at": format_ts(delivery.next_attempt_at),
    }


def event_payload(event) -> dict:
    """The §9 payload: exactly what receivers get and what /v1/events shows."""
    out = {
        "id": event.id,
        "type": event.type,
        "created_at": format_ts(event.created_at),
        "workspace_id": event.workspace_id,
        "livemode": event.livemode,
        "data": event.data,
    }
    if event.type.endswith(".updated"):
        out["previous_attributes"] = event.previous_attributes or {}
    return out


# -- input ---------------------------------------------------------------------------
class EventListField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), allow_empty=False, max_length=50, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        unknown = [v for v in values if v not in SUBSCRIBABLE]
        if unknown:
            raise serializers.ValidationError(
                f"unknown event type(s) {', '.join(repr(v) for v in unknown)}; "
                f"use '*' or any of {', '.join(EVENT_TYPES)}"
            )
        if "*" in values:
            return ["*"]
        return list(dict.fromkeys(values))


class WebhookCreateSerializer(StrictSerializer):
    url = StrictCharField(max_length=4096, trim_whitespace=False)
    events = EventListField()
    description = StrictCharField(max_length=500, required=False, allow_null=True, allow_blank=True)


class WebhookUpdateSerializer(StrictSerializer):
    url = StrictCharField(max_length=4096, trim_whitespace=False)
    events = EventListField()
    description = StrictCharField(max_length=500, allow_null=True, allow_blank=True)
    status = LowerEnumField(("enabled", "disabled"))


class ResendSerializer(StrictSerializer):
    event_id = StrictCharField(max_length=64)
