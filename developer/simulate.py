"""``POST /v1/developer/simulate/inbound`` (§3, §11): a customer message in test
mode, processed by the same service as Meta's inbound webhooks."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from uuid6 import uuid7

from conversations.models import Channel, Conversation
from conversations.serializers import MessageSerializer, message_data
from conversations.services import inbound_message_receive
from instantreply.api.errors import ApiError
from instantreply.api.schema import data_response, error_responses
from instantreply.api.serializers import StrictCharField, StrictSerializer
from instantreply.api.views import ApiView, respond
from instantreply.core.ids import has_prefix
from instantreply.core.timeutil import now

# The longest inbound text any of the three platforms delivers.
MAX_INBOUND_TEXT = 4096


class SimulatedSenderSerializer(StrictSerializer):
    external_id = StrictCharField(max_length=128)
    name = StrictCharField(max_length=200, required=False, allow_null=True)


class SimulateInboundSerializer(StrictSerializer):
    channel_id = StrictCharField(required=False)
    conversation_id = StrictCharField(required=False)
    text = StrictCharField(max_length=MAX_INBOUND_TEXT, trim_whitespace=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        self.fields["from"] = SimulatedSenderSerializer(required=False)

    def validate(self, attrs):
        by_channel = "channel_id" in attrs
        by_conversation = "conversation_id" in attrs
        if by_channel == by_conversation:
            raise serializers.ValidationError(
                {"channel_id": ["send either channel_id with from, or conversation_id"]}
            )
        if by_channel and "from" not in attrs:
            raise serializers.ValidationError({"from": ["is required with channel_id"]})
        if by_conversation and "from" in attrs:
            raise serializers.ValidationError(
                {"from": ["cannot be combined with conversation_id (its contact is the sender)"]}
            )
        if not attrs["text"].strip():
            raise serializers.ValidationError({"text": ["must not be blank"]})
        return attrs


class SimulateInboundView(ApiView):
    @extend_schema(
        operation_id="simulate_inbound_create",
        summary="Simulate a customer message",
        description=(
            "Test keys only (a live key gets `TEST_MODE_ONLY`). A customer writes in: give "
            "`channel_id` and `from` (a new or known sender), or `conversation_id`, and `text`. "
            "It is processed exactly like a message from Meta: the contact and conversation are "
            "created when new, the messaging window opens and `message.received` is sent to your "
            "webhooks. 202 with the inbound message."
        ),
        request=SimulateInboundSerializer,
        responses={202: data_response(MessageSerializer), **error_responses(403, 422)},
    )
    def post(self, request):
        if self.api_key.livemode:
            raise ApiError(
                "TEST_MODE_ONLY",
                "POST /v1/developer/simulate/inbound only accepts ir_test_ keys; live "
                "conversations come only from Meta.",
            )
        serializer = SimulateInboundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = serializer.validated_data
        if "channel_id" in body:
            channel = self._channel(body["channel_id"])
            sender = body["from"]
            contact_external_id = sender["external_id"]
            contact_name = sender.get("name")
        else:
            conversation = self._conversation(body["conversation_id"])
            channel = conversation.channel
            handle = conversation.contact.handles.filter(platform=channel.platform).first()
            if handle is None:
                raise ApiError(
                    "VALIDATION_ERROR",
                    f"Conversation {conversation.id}'s contact has no {channel.platform} "
                    "identity to send from; use channel_id with from instead.",
                    details=[{"field": "conversation_id", "issue": "contact has no handle"}],
                )
            contact_external_id = handle.external_id
            contact_name = None
        message, _ = inbound_message_receive(
            channel=channel,
            livemode=False,
            contact_external_id=contact_external_id,
            contact_name=contact_name,
            external_id=f"sim.{uuid7().hex}",
            type="text",
            text=body["text"],
            sent_at=now(),
        )
        return respond(message_data(message), status=202)

    def _channel(self, channel_id):
        channel = None
        if has_prefix(channel_id, "chan"):
            channel = self.scoped(Channel).filter(pk=channel_id).first()
        if channel is None:
            raise ApiError(
                "VALIDATION_ERROR",
                f"channel_id '{channel_id}' is not a channel of this workspace.",
                details=[{"field": "channel_id", "issue": "no such channel in this workspace"}],
            )
        return channel

    def _conversation(self, conversation_id):
        conversation = None
        if has_prefix(conversation_id, "conv"):
            conversation = (
                self.scoped(Conversation)
                .select_related("channel", "contact")
                .filter(pk=conversation_id)
                .first()
            )
        if conversation is None:
            raise ApiError(
                "VALIDATION_ERROR",
                f"conversation_id '{conversation_id}' is not a test conversation of this workspace.",
                details=[
                    {"field": "conversation_id", "issue": "no such conversation in this workspace"}
                ],
            )
        return conversation
