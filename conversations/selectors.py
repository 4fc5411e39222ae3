import django_filters
from django import forms

from instantreply.api.filters import (
    PLATFORMS,
    ApiFilterSet,
    EnumFilter,
    PrefixedIdFilter,
    SinceFilter,
)
from instantreply.core.tags import TAG_RE

from .models import (
    CHANNEL_STATUSES,
    CONVERSATION_STATUSES,
    MESSAGE_DIRECTIONS,
    MESSAGE_STATUSES,
    Channel,
    Conversation,
    Message,
)
from .services.sending import outbound_count_today


class ChannelFilter(ApiFilterSet):
    platform = EnumFilter(values=PLATFORMS)
    status = EnumFilter(values=CHANNEL_STATUSES)

    class Meta:
        model = Channel
        fields = []


def channel_list(*, base_queryset, params):
    return ChannelFilter(params, queryset=base_queryset).apply()


class TagQueryField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        tag = value.strip().lower()
        if not TAG_RE.match(tag):
            raise forms.ValidationError(
                f"must be 1 to 64 characters of a-z, 0-9, ':', '_', '-' and '.'; got '{value}'"
            )
        return tag


class TagFilter(django_filters.CharFilter):
    """Conversations carrying a tag (matched after the same normalisation as writes)."""

    field_class = TagQueryField

    def filter(self, qs, value):
        if not value:
            return qs
        tag = value
        if _is_postgres(qs):
            return qs.filter(tags__contains=[tag])
        # SQLite has no JSON containment; the quoted element is matched as text,
        # which is exact because tags are restricted to a-z0-9:_-. (no quotes).
        return qs.filter(tags__icontains=f'"{tag}"')


def _is_postgres(qs) -> bool:
    from django.db import connections

    return connections[qs.db].vendor == "postgresql"


class ConversationFilter(ApiFilterSet):
    status = EnumFilter(values=CONVERSATION_STATUSES)
    platform = EnumFilter(values=PLATFORMS, field_name="channel__platform")
    channel_id = PrefixedIdFilter(prefix="chan", field_name="channel_id")
    assignee_id = PrefixedIdFilter(prefix="agt", field_name="assignee_id", allow_none=True)
    tag = TagFilter()
    contact_id = PrefixedIdFilter(prefix="cont", field_name="contact_id")
    updated_since = SinceFilter(field_name="updated_at")

    class Meta:
        model = Conversation
        fields = []


def conversation_queryset(base_queryset):
    return base_queryset.select_related("channel", "contact").prefetch_related("contact__handles")


def conversation_list(*, base_queryset, params):
    return ConversationFilter(params, queryset=conversation_queryset(base_queryset)).apply()


class MessageFilter(ApiFilterSet):
    direction = EnumFilter(values=MESSAGE_DIRECTIONS)
    status = EnumFilter(values=MESSAGE_STATUSES)

    class Meta:
        model = Message
        fields = []


def message_queryset(base_queryset):
    return base_queryset.select_related("trigger")


def message_list(*, base_queryset, params):
    return MessageFilter(params, queryset=message_queryset(base_queryset)).apply()


def outbound_messages_today(workspace) -> int:
    """Live outbound messages accepted today (UTC): the daily quota's counter (§11)."""
    return outbound_count_today(workspace)


def channel_for_meta(platform: str, external_id: str) -> Channel | None:
    """The channel a Meta payload is for: its phone number id, Instagram account id or
    Page id. A disconnected channel receives nothing (Meta may still send to it)."""
    return (
        Channel.objects.filter(platform=platform, external_id=external_id)
        .exclude(status="disconnected")
        .first()
    )


def channel_send_in_flight(channel: Channel) -> bool:
    """A send of the channel is between its claim and Meta's answer, so a status for an
    id we do not know yet may be for it (Meta's webhook can beat our commit)."""
    return Message.objects.filter(channel=channel, direction="outbound", status="sending").exists()
