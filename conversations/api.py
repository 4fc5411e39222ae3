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
        summary="List channels",
        description=(
            "The WhatsApp numbers, Instagram accounts and Facebook Pages connected to the "
            "workspace, with their health (the last event received and the last error Meta "
            "reported). Filter by `platform` or `status`; an unknown platform is "
            "`INVALID_PLATFORM`. Channels are connected by an operator; the API reads them."
        ),
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
        summary="Retrieve a channel",
        description=(
            "One channel by its `chan_` id, with its connection status and health. A "
            "`disconnected` or `error` channel cannot send: replies to its conversations are "
            "refused with `CHANNEL_UNAVAILABLE`."
        ),
        responses={200: data_response(ChannelSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(channel_data(self.get_scoped(self.scoped(Channel), pk, "channel")))


class AgentViewSet(ApiViewSet):
    queryset = Agent.objects.none()
    required_scope = "conversations:read"

    @extend_schema(
        operation_id="agents_list",
        summary="List agents",
        description=(
            "The workspace's team members, newest first. Their ids are what a conversation's "
            "`assignee_id` and a reply's `agent_id` take. Agents are added by an operator "
            "(`manage.py create_agent`); the API only reads them."
        ),
        parameters=list_parameters(),
        responses={200: list_response(AgentSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        rows, pagination = paginate(request, self.scoped(Agent), filters={})
        return respond_list([agent_data(a) for a in rows], pagination)

    @extend_schema(
        operation_id="agents_retrieve",
        summary="Retrieve an agent",
        description=(
            "One team member by its `agt_` id. An id from another workspace is "
            "`RESOURCE_NOT_FOUND`, exactly like one that never existed."
        ),
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
        summary="List conversations",
        description=(
            "Conversations, newest first (`order=asc` for oldest first): one per contact and "
            "channel. Filter by `status`, `platform`, `channel_id`, `assignee_id` (or `none` for "
            "unassigned), `tag`, `contact_id` and `updated_since`. Each conversation says whether "
            "its messaging window is open, i.e. whether a free-form reply is allowed right now."
        ),
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
        summary="Retrieve a conversation",
        description=(
            "One conversation by its `conv_` id, with its contact, status, assignee, tags, unread "
            "count and messaging window (`open`, `closes_at`, and whether WhatsApp requires a "
            "template)."
        ),
        responses={200: data_response(ConversationSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(conversation_data(self._get(pk)))

    @extend_schema(
        operation_id="conversations_update",
        summary="Update a conversation",
        description=(
            "Set `status` (active, pending or closed), assign it to an agent with `assignee_id` "
            "(null unassigns) or change its tags (`tags` replaces the set; `add_tags` / "
            "`remove_tags` change it atomically). An agent of another workspace or more than 20 "
            "tags is `VALIDATION_ERROR`, and nothing is saved. A real change emits "
            "`conversation.updated`; a PATCH that changes nothing emits nothing."
        ),
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
        summary="Mark a conversation as read",
        description=(
            "Sets `unread_count` to 0, for example when an agent opens the conversation in your "
            "inbox. Takes no body; a field sent anyway is `VALIDATION_ERROR`."
        ),
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
        summary="List a conversation's messages",
        description=(
            "The messages of one conversation, newest first, inbound and outbound. Filter by "
            "`direction` and `status`. Each outbound message carries its `trigger_id`: ask `GET "
            "/v1/trigger/status/{trigger_id}` what became of it."
        ),
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
        summary="Reply in a conversation",
        description=(
            'Send `{"text": …}` or an approved WhatsApp template `{"template": {"id", '
            '"variables"}}`, optionally as an agent (`agent_id`). The answer is 202 with the '
            "message `queued` and its `trigger_id`; a worker hands it to Meta and its status then "
            "moves to sent, delivered and read (test keys never reach Meta and stop at "
            "delivered). Refused before anything is queued: a disconnected channel "
            "(`CHANNEL_UNAVAILABLE`), free-form text after the customer-service window closed "
            "(`OUTSIDE_MESSAGING_WINDOW`: 24 hours after the customer's last message, 7 days on "
            "Instagram and Messenger with `tag: human_agent`), a template that is not approved or "
            "gets the wrong number of variables (`TEMPLATE_NOT_APPROVED`, `VALIDATION_ERROR`), "
            "text over the platform's limit, and the plan's daily outbound quota "
            "(`LIMIT_EXCEEDED`, with `Retry-After`)."
        ),
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
        summary="Retrieve a message",
        description=(
            "One message by its `msg_` id, with its status, Meta's id once accepted, and the "
            "error in plain English when a delivery failed."
        ),
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
        summary="Send a template to a customer",
        description=(
            "A business-initiated WhatsApp message: an approved template sent to a `phone` number "
            "(E.164) or a `contact_id`, whatever the messaging window. The contact and "
            "conversation are created when new (test keys create test ones). `metadata` comes "
            "back as sent, for your own references. 202 with the trigger; follow it at its "
            "`status_url`. Template, quota and channel rules are those of a reply."
        ),
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
        summary="Explain what happened to a send",
        description=(
            "The state of one outbound message (a `trg_` id, or the message's `msg_` id) in plain "
            "English: a one-sentence summary, who is at fault (none, instantreply, meta, "
            "business, recipient or unknown), whether retrying can help, the next step, Meta's "
            "error when there is one, and the timeline of every status report."
        ),
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
