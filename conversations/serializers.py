import datetime as dt

from rest_framework import serializers

from instantreply.api.errors import doc_url, lookup
from instantreply.api.serializers import (
    LowerEnumField,
    StrictCharField,
    StrictSerializer,
    TimestampField,
)
from instantreply.api.tags import TagListField, validate_tag_ops
from instantreply.api.values import nul_characters
from instantreply.core.timeutil import format_ts, now

from .models import (
    CHANNEL_STATUSES,
    CONVERSATION_STATUSES,
    MESSAGE_DIRECTIONS,
    MESSAGE_STATUSES,
    MESSAGE_TAGS,
    MESSAGE_TYPES,
    PLATFORMS,
    SENDER_TYPES,
)
from .timeline import timeline_in_order

STANDARD_WINDOW = dt.timedelta(hours=24)
HUMAN_AGENT_WINDOW = dt.timedelta(days=7)
TEXT_LIMITS = {"whatsapp": 4096, "messenger": 2000, "instagram": 1000}
PLATFORM_NAMES = {"whatsapp": "WhatsApp", "instagram": "Instagram", "messenger": "Messenger"}
FAULTS = ("none", "instantreply", "meta", "business", "recipient", "unknown")


# -- channels ------------------------------------------------------------------------
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


# -- agents ----------------------------------------------------------------------------
class AgentSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    created_at = TimestampField()


def agent_data(agent) -> dict:
    return {
        "id": agent.id,
        "name": agent.name,
        "email": agent.email,
        "created_at": format_ts(agent.created_at),
    }


# -- conversations ---------------------------------------------------------------------
class ConversationHandleSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=PLATFORMS)
    external_id = serializers.CharField()
    username = serializers.CharField(allow_null=True)


class ConversationContactSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    handle = ConversationHandleSerializer(allow_null=True)


class MessagingWindowSerializer(serializers.Serializer):
    open = serializers.BooleanField()
    closes_at = TimestampField(allow_null=True)
    human_agent_closes_at = TimestampField(allow_null=True)
    requires_template = serializers.BooleanField()


class ConversationSerializer(serializers.Serializer):
    """Output shape (documentation); ``conversation_data`` builds it fast."""

    id = serializers.CharField()
    channel_id = serializers.CharField()
    platform = serializers.ChoiceField(choices=PLATFORMS)
    contact = ConversationContactSerializer()
    status = serializers.ChoiceField(choices=CONVERSATION_STATUSES)
    assignee_id = serializers.CharField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    last_message_preview = serializers.CharField(allow_null=True)
    last_message_at = TimestampField(allow_null=True)
    last_inbound_at = TimestampField(allow_null=True)
    closed_at = TimestampField(allow_null=True)
    messaging_window = MessagingWindowSerializer()
    unread_count = serializers.IntegerField()
    message_count = serializers.IntegerField()
    livemode = serializers.BooleanField()
    created_at = TimestampField()
    updated_at = TimestampField()


def window_closes_at(platform: str, last_inbound_at, *, human_agent: bool = False):
    if last_inbound_at is None:
        return None
    if human_agent and platform != "whatsapp":
        return last_inbound_at + HUMAN_AGENT_WINDOW
    return last_inbound_at + STANDARD_WINDOW


def messaging_window(platform: str, last_inbound_at, at=None) -> dict:
    at = at or now()
    closes_at = window_closes_at(platform, last_inbound_at)
    is_open = closes_at is not None and at < closes_at
    human = (
        None
        if platform == "whatsapp"
        else window_closes_at(platform, last_inbound_at, human_agent=True)
    )
    return {
        "open": is_open,
        "closes_at": format_ts(closes_at),
        "human_agent_closes_at": format_ts(human),
        "requires_template": platform == "whatsapp" and not is_open,
    }


def _contact_handle(contact, platform: str):
    # Iterating the (usually prefetched) handles avoids a query per conversation.
    for handle in contact.handles.all():
        if handle.platform == platform:
            return {
                "platform": handle.platform,
                "external_id": handle.external_id,
                "username": handle.username,
            }
    return None


def conversation_data(conversation, at=None) -> dict:
    platform = conversation.channel.platform
    contact = conversation.contact
    return {
        "id": conversation.id,
        "channel_id": conversation.channel_id,
        "platform": platform,
        "contact": {
            "id": contact.id,
            "name": contact.name,
            "handle": _contact_handle(contact, platform),
        },
        "status": conversation.status,
        "assignee_id": conversation.assignee_id,
        "tags": list(conversation.tags),
        "last_message_preview": conversation.last_message_preview,
        "last_message_at": format_ts(conversation.last_message_at),
        "last_inbound_at": format_ts(conversation.last_inbound_at),
        "closed_at": format_ts(conversation.closed_at),
        "messaging_window": messaging_window(platform, conversation.last_inbound_at, at),
        "unread_count": conversation.unread_count,
        "message_count": conversation.message_count,
        "livemode": conversation.livemode,
        "created_at": format_ts(conversation.created_at),
        "updated_at": format_ts(conversation.updated_at),
    }


class ConversationUpdateSerializer(StrictSerializer):
    status = LowerEnumField(CONVERSATION_STATUSES)
    assignee_id = StrictCharField(allow_null=True)
    tags = TagListField()
    add_tags = TagListField()
    remove_tags = TagListField()

    def validate(self, attrs):
        validate_tag_ops(attrs)
        return attrs


# -- messages ----------------------------------------------------------------------------
class DeliveryErrorSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=["meta", "platform"])
    code = serializers.CharField()
    title = serializers.CharField()
    message = serializers.CharField()
    fault = serializers.ChoiceField(choices=FAULTS[1:])
    doc_url = serializers.URLField()


class MessageTemplateSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    variables = serializers.ListField(child=serializers.CharField())


class SenderSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=SENDER_TYPES)
    id = serializers.CharField(allow_null=True)


class MessageSerializer(serializers.Serializer):
    """Output shape (documentation); ``message_data`` builds it fast."""

    id = serializers.CharField()
    conversation_id = serializers.CharField()
    direction = serializers.ChoiceField(choices=MESSAGE_DIRECTIONS)
    type = serializers.ChoiceField(choices=MESSAGE_TYPES)
    text = serializers.CharField(allow_null=True)
    template = MessageTemplateSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=MESSAGE_STATUSES)
    sender = SenderSerializer()
    trigger_id = serializers.CharField(allow_null=True)
    external_id = serializers.CharField(allow_null=True)
    error = DeliveryErrorSerializer(allow_null=True)
    sent_at = TimestampField(allow_null=True)
    livemode = serializers.BooleanField()
    created_at = TimestampField()
    status_updated_at = TimestampField()


def message_data(message) -> dict:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "direction": message.direction,
        "type": message.type,
        "text": message.text,
        "template": message.template,
        "status": message.status,
        "sender": {"type": message.sender_type, "id": message.sender_id},
        "trigger_id": message.trigger_id_or_none if message.direction == "outbound" else None,
        "external_id": message.external_id,
        "error": message.error,
        "sent_at": format_ts(message.sent_at),
        "livemode": message.livemode,
        "created_at": format_ts(message.created_at),
        "status_updated_at": format_ts(message.status_updated_at),
    }


class TemplateRefSerializer(StrictSerializer):
    id = StrictCharField()
    variables = serializers.ListField(
        child=StrictCharField(allow_blank=False), required=False, default=list
    )


class SimulateSerializer(StrictSerializer):
    error_code = StrictCharField(max_length=32)


class MessageCreateSerializer(StrictSerializer):
    text = StrictCharField(required=False, allow_blank=False, trim_whitespace=False)
    template = TemplateRefSerializer(required=False)
    agent_id = StrictCharField(required=False, allow_null=True)
    tag = LowerEnumField(MESSAGE_TAGS, required=False, allow_null=True)
    simulate = SimulateSerializer(required=False)

    def validate(self, attrs):
        has_text = attrs.get("text") is not None
        has_template = attrs.get("template") is not None
        if has_text == has_template:
            raise serializers.ValidationError(
                {"text": ["send exactly one of text or template"]}
                if not has_text
                else {"template": ["cannot be combined with text; send one or the other"]}
            )
        return attrs


# -- errors and triggers ---------------------------------------------------------------
def delivery_error(code: str, source: str, message: str | None = None, title: str | None = None):
    """The one error shape of a failed delivery (§8), filled from the catalogue."""
    spec = lookup(code)
    if spec is None:
        return {
            "source": source,
            "code": code,
            "title": title or f"{'Meta' if source == 'meta' else 'Platform'} error {code}",
            "message": message or "No further explanation was given.",
            "fault": "unknown",
            "doc_url": doc_url(code),
        }
    return {
        "source": spec.source,
        "code": spec.code,
        "title": spec.title,
        "message": message or spec.explanation,
        "fault": spec.fault,
        "doc_url": doc_url(spec.code),
    }


class TimelineEntrySerializer(serializers.Serializer):
    state = serializers.CharField()
    at = TimestampField()
    detail = serializers.CharField(allow_null=True)


class TriggerSerializer(serializers.Serializer):
    id = serializers.CharField()
    message_id = serializers.CharField()
    conversation_id = serializers.CharField()
    contact_id = serializers.CharField()
    channel_id = serializers.CharField()
    platform = serializers.ChoiceField(choices=PLATFORMS)
    template_id = serializers.CharField(allow_null=True)
    metadata = serializers.DictField()
    state = serializers.ChoiceField(choices=MESSAGE_STATUSES[1:])
    summary = serializers.CharField()
    fault = serializers.ChoiceField(choices=FAULTS)
    next_step = serializers.CharField(allow_null=True)
    retryable = serializers.BooleanField()
    error = DeliveryErrorSerializer(allow_null=True)
    timeline = TimelineEntrySerializer(many=True)
    status_url = serializers.URLField()
    livemode = serializers.BooleanField()
    created_at = TimestampField()


class TriggerRequestSerializer(StrictSerializer):
    channel_id = StrictCharField()
    phone = StrictCharField(required=False)
    contact_id = StrictCharField(required=False)
    template_id = StrictCharField()
    variables = serializers.ListField(child=StrictCharField(allow_blank=False), default=list)
    metadata = serializers.DictField(required=False, default=dict)
    simulate = SimulateSerializer(required=False)

    def validate(self, attrs):
        if ("phone" in attrs) == ("contact_id" in attrs):
            raise serializers.ValidationError(
                {"phone": ["send exactly one of phone (E.164) or contact_id"]}
            )
        unstorable = nul_characters(attrs.get("metadata") or {}, "metadata")
        if unstorable:
            raise serializers.ValidationError({d["field"]: [d["issue"]] for d in unstorable})
        return attrs


def _explain(trigger, message) -> tuple[str, str, str | None, bool]:
    """(summary, fault, next_step, retryable) for the message's current state."""
    platform = PLATFORM_NAMES[trigger.channel.platform]
    state = message.status
    if state == "failed":
        error = message.error or delivery_error("UNKNOWN_OUTCOME", "platform")
        spec = lookup(error["code"])
        where = "Meta" if error["source"] == "meta" else "InstantReply"
        summary = (
            f"The message was not delivered: {where} reported {error['code']} ({error['title']})."
        )
        if spec is None:
            return (
                summary,
                error.get("fault") or "unknown",
                "Check the error message and Meta's documentation for this code; contact support with the trigger id if it is unclear.",
                False,
            )
        return summary, spec.fault, " ".join(spec.next_steps) or None, spec.retryable
    if state == "queued":
        return (f"Queued: waiting to be handed to {platform}.", "none", None, False)
    if state == "sending":
        return (f"Being handed to {platform} now.", "none", None, False)
    if state == "sent":
        return (
            f"{platform} accepted the message; it has not been reported delivered yet.",
            "none",
            None,
            False,
        )
    if state == "delivered":
        return (f"Delivered to the customer's device on {platform}.", "none", None, False)
    return (f"Read by the customer on {platform}.", "none", None, False)


def trigger_data(trigger, base_url: str = "") -> dict:
    message = trigger.message
    summary, fault, next_step, retryable = _explain(trigger, message)
    return {
        "id": trigger.id,
        "message_id": trigger.message_id,
        "conversation_id": trigger.conversation_id,
        "contact_id": trigger.contact_id,
        "channel_id": trigger.channel_id,
        "platform": trigger.channel.platform,
        "template_id": trigger.template_id,
        "metadata": trigger.metadata,
        "state": message.status,
        "summary": summary,
        "fault": fault,
        "next_step": next_step,
        "retryable": retryable,
        "error": message.error,
        # Stored in this order; applied again for rows written before the rule.
        "timeline": timeline_in_order(trigger.timeline),
        "status_url": f"{base_url}/v1/trigger/status/{trigger.id}",
        "livemode": trigger.livemode,
        "created_at": format_ts(trigger.created_at),
    }
