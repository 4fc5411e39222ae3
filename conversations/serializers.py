from rest_framework import serializers

from instantreply.api.serializers import TimestampField
from instantreply.core.timeutil import format_ts

from .models import CHANNEL_STATUSES, PLATFORMS


class ChannelHealthSerializer(serializers.Serializer):
    last_event_at = TimestampField(allow_null=True)
    last_error_code = serializers.CharField(allow_null=True)
    last_error_message = serializers.CharField(allow_null=True)


class ChannelSerializer(serializers.Serializer):
    id = serializers.CharField()
    platform = serializers.ChoiceField(choices=PLATFORMS)
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CHANNEL_STATUSES)
    external_id = serializers.CharField()
    display_handle = serializers.CharField(allow_null=True)
    health = ChannelHealthSerializer()
    connected_at = TimestampField(allow_null=True)
    created_at = TimestampField()


def channel_data(channel) -> dict:
    return {
        "id": channel.id,
        "platform": channel.platform,
        "name": channel.name,
        "status": channel.status,
        "external_id": channel.external_id,
        "display_handle": channel.display_handle,
        "health": {
            "last_event_at": format_ts(channel.last_event_at),
            "last_error_code": channel.last_error_code,
            "last_error_message": channel.last_error_message,
        },
        "connected_at": format_ts(channel.connected_at),
        "created_at": format_ts(channel.created_at),
    }
