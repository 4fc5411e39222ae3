from rest_framework import serializers

from instantreply.api.serializers import (
    LowerEnumField,
    StrictCharField,
    StrictSerializer,
    TimestampField,
)
from instantreply.api.tags import TagListField, validate_tag_ops
from instantreply.core.timeutil import format_ts

from .models import LEAD_STAGES, LEAD_TEMPERATURES


class HandleSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=["whatsapp", "instagram", "messenger"])
    external_id = serializers.CharField()
    username = serializers.CharField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    """Output shape (documentation); ``contact_data`` builds it fast."""

    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    handles = HandleSerializer(many=True)
    lead_stage = serializers.ChoiceField(choices=LEAD_STAGES)
    lead_temperature = serializers.ChoiceField(choices=LEAD_TEMPERATURES, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    livemode = serializers.BooleanField()
    created_at = TimestampField()
    updated_at = TimestampField()
    last_seen_at = TimestampField(allow_null=True)


def handle_data(handle) -> dict:
    return {
        "platform": handle.platform,
        "external_id": handle.external_id,
        "username": handle.username,
    }


def contact_data(contact, handles: list[dict] | None = None) -> dict:
    """``handles``: the contact's handles already as dicts (list pages fetch them for
    the whole page at once); otherwise read from ``contact.handles``."""
    if handles is None:
        handles = [handle_data(h) for h in contact.handles.all()]
    return {
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "handles": handles,
        "lead_stage": contact.lead_stage,
        "lead_temperature": contact.lead_temperature,
        "tags": list(contact.tags),
        "livemode": contact.livemode,
        "created_at": format_ts(contact.created_at),
        "updated_at": format_ts(contact.updated_at),
        "last_seen_at": format_ts(contact.last_seen_at),
    }


class ContactUpdateSerializer(StrictSerializer):
    name = StrictCharField(max_length=200, allow_null=True, allow_blank=False)
    email = serializers.EmailField(max_length=254, allow_null=True)
    lead_stage = LowerEnumField(LEAD_STAGES)
    lead_temperature = LowerEnumField(LEAD_TEMPERATURES, allow_null=True)
    tags = TagListField()
    add_tags = TagListField()
    remove_tags = TagListField()

    def validate(self, attrs):
        validate_tag_ops(attrs)
        return attrs
