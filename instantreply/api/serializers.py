"""Serializer building blocks shared by every app."""

from rest_framework import serializers

from instantreply.core.timeutil import format_ts


class TimestampField(serializers.DateTimeField):
    """RFC 3339, UTC, exactly three fractional digits and a Z (§1)."""

    def to_representation(self, value):
        return format_ts(value)


class StrictSerializer(serializers.Serializer):
    """Input serializer that refuses unknown fields (§8: nothing else is writable)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["is not a writable field"] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField would turn 123 or true into text."""

    default_error_messages = {"not_a_string": "must be a string, got {kind}"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string", kind=type(data).__name__)
        return super().to_internal_value(data)


class LowerEnumField(serializers.ChoiceField):
    """Exact lower-case enum value in bodies (§1)."""

    def __init__(self, values, **kwargs):
        super().__init__(choices=[(v, v) for v in values], **kwargs)
        self.error_messages["invalid_choice"] = (
            "must be one of " + ", ".join(values) + "; got '{input}'"
        )


class StrictBooleanField(serializers.BooleanField):
    """true or false, and only those: DRF's BooleanField would take "yes", 1 or "on"."""

    default_error_messages = {"not_a_boolean": "must be true or false, got {kind}"}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_a_boolean", kind=type(data).__name__)
        return data
