from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from instantreply.api.errors import ApiError
from instantreply.api.pagination import paginate
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.serializers import StrictSerializer
from instantreply.api.views import ApiView, ApiViewSet, respond, respond_list
from instantreply.core.ids import has_prefix
from instantreply.core.models import Agent

from . import selectors, services
from .models import Channel, Conversation, Message, Trigger
from .serializers import (
    AgentSerializer,
    ChannelSerializer,
    ConversationSerializer,
    ConversationUpdateSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    TriggerRequestSerializer,
    TriggerSerializer,
    agent_data,
    channel_data,
    conversation_data,
    message_data,
    trigger_data,
)


class ChannelViewSet(ApiViewSet):
    queryset = Channel.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "channels:read"

    @extend_schema(
        operation_id="channels_list",
        parameters=list_parameters(selectors.ChannelFilter),
        responses={200: list_response(ChannelSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.channel_list(
            base_queryset=self.scoped(Channel), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([channel_data(c) for c in rows], pagination)

    @extend_schema(
        operation_id="channels_retrieve",
        responses={200: data_response(ChannelSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(channel_data(self.get_scoped(self.scoped(Channel), pk, "channel")))


class AgentViewSet(ApiViewSet):
    queryset = Agent.objects.none()
    required_scope = "conversations:read"

    @extend_schema(
        operation_id="agents_list",
        parameters=list_parameters(),
        responses={200: list_response(AgentSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        rows, pagination = paginate(request, self.scoped(Agent), filters={})
        return respond_list([agent_data(a) for a in rows], pagination)

    @extend_schema(
        operation_id="agents_retrieve",
        responses={200: data_response(AgentSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(agent_data(self.get_scoped(self.scoped(Agent), pk, "agent")))


class ConversationViewSet(ApiViewSet):
    queryset = Conversation.objects.none()
    required_scope = "conversations:read"
    write_scope = "conversations:write"
    action_scopes = {"create_message": "messages:write"}

    def _get(self, pk):
        return self.get_scoped(
            selectors.conversation_queryset(self.scoped(Conversation)), pk, "conversation"
        )

    @extend_schema(
        operation_id="conversations_list",
        parameters=list_parameters(selectors.ConversationFilter),
        responses={200: list_response(ConversationSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.conversation_list(
            base_queryset=self.scoped(Conversation), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([conversation_data(c) for c in rows], pagination)

    @extend_schema(
        operation_id="conversations_retrieve",
        responses={200: data_response(ConversationSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(conversation_data(self._get(pk)))

    @extend_schema(
        operation_id="conversations_update",
        request=ConversationUpdateSerializer,
        responses={200: data_response(ConversationSerializer), **error_responses(404, 422)},
    )
    def partial_update(self, request, pk=None):
        conversation = self._get(pk)
        serializer = ConversationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.conversation_update(conversation=conversation, changes=serializer.validated_data)
        return respond(conversation_data(self._get(pk)))

    @extend_schema(
        operation_id="conversations_read",
        request=None,
        responses={200: data_response(ConversationSerializer), **error_responses(404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        conversation = self._get(pk)
        # Bodyless, but a field sent here is a client's mistake worth reporting (§8).
        StrictSerializer(data=request.data or {}).is_valid(raise_exception=True)
        services.conversation_mark_read(conversation=conversation)
        return respond(conversation_data(self._get(pk)))

    @extend_schema(
        operation_id="conversation_messages_list",
        parameters=list_parameters(selectors.MessageFilter),
        responses={200: list_response(MessageSerializer), **error_responses(400, 404, 422)},
    )
    @action(detail=True, methods=["get"], url_path="messages")
    def messages(self, request, pk=None):
        conversation = self._get(pk)
        queryset, filters = selectors.message_list(
            base_queryset=Message.objects.filter(conversation=conversation),
            params=request.query_params,
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([message_data(m) for m in rows], pagination)

    @extend_schema(
        operation_id="conversation_messages_create",
        request=MessageCreateSerializer,
        responses={202: data_response(MessageSerializer), **error_responses(404, 409, 422)},
    )
    @messages.mapping.post
    def create_message(self, request, pk=None):
        conversation = self._get(pk)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = serializer.validated_data
        message = services.message_send(
            conversation=conversation,
            api_key=self.api_key,
            text=body.get("text"),
            template=body.get("template"),
            agent_id=body.get("agent_id"),
            tag=body.get("tag"),
            simulate_error_code=(body.get("simulate") or {}).get("error_code"),
        )
        return respond(message_data(message), status=202)


class MessageViewSet(ApiViewSet):
    queryset = Message.objects.none()
    required_scope = "conversations:read"

    @extend_schema(
        operation_id="messages_retrieve",
        responses={200: data_response(MessageSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        queryset = selectors.message_queryset(self.scoped(Message))
        return respond(message_data(self.get_scoped(queryset, pk, "message")))


class TriggerView(ApiView):
    """POST /v1/trigger: a business-initiated WhatsApp template send."""

    write_scope = "messages:write"

    @extend_schema(
        operation_id="trigger_create",
        request=TriggerRequestSerializer,
        responses={202: data_response(TriggerSerializer), **error_responses(409, 422)},
    )
    def post(self, request):
        serializer = TriggerRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = serializer.validated_data
        message = services.trigger_send(
            api_key=self.api_key,
            channel_id=body["channel_id"],
            template_id=body["template_id"],
            variables=body.get("variables") or [],
            phone=body.get("phone"),
            contact_id=body.get("contact_id"),
            metadata=body.get("metadata") or {},
            simulate_error_code=(body.get("simulate") or {}).get("error_code"),
        )
        trigger = message.trigger
        base_url = request.build_absolute_uri("/").rstrip("/")
        return respond(trigger_data(trigger, base_url=base_url), status=202)


class TriggerStatusView(ApiView):
    required_scope = ("conversations:read", "messages:write")

    def _not_found(self, trigger_id):
        mode = "live" if self.api_key.livemode else "test"
        return ApiError(
            "RESOURCE_NOT_FOUND",
            f"No trigger or outbound message with id '{trigger_id}' exists in this workspace "
            f"({mode} mode).",
        )

    @extend_schema(
        operation_id="trigger_status_retrieve",
        parameters=[
            OpenApiParameter(
                "trigger_id", str, OpenApiParameter.PATH, description="trg_ id or outbound msg_ id"
            )
        ],
        responses={200: data_response(TriggerSerializer), **error_responses(404)},
    )
    def get(self, request, trigger_id):
        queryset = self.scoped(Trigger).select_related("message", "channel")
        if has_prefix(trigger_id, "trg"):
            trigger = queryset.filter(pk=trigger_id).first()
        elif has_prefix(trigger_id, "msg"):
            trigger = queryset.filter(message_id=trigger_id).first()
        else:
            trigger = None
        if trigger is None:
            raise self._not_found(trigger_id)
        base_url = request.build_absolute_uri("/").rstrip("/")
        return respond(trigger_data(trigger, base_url=base_url))
