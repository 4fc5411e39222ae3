from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from instantreply.api.errors import ApiError
from instantreply.api.pagination import paginate
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.serializers import StrictSerializer
from instantreply.api.views import ApiViewSet, respond, respond_list

from . import selectors, services
from .models import Event, WebhookEndpoint
from .serializers import (
    EventSerializer,
    ResendSerializer,
    WebhookCreateSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
    WebhookUpdateSerializer,
    delivery_data,
    endpoint_data,
    event_payload,
)


def _with_secret(endpoint, secret: str, status: int):
    response = respond(endpoint_data(endpoint, secret=secret), status=status)
    # The idempotency layer stores this body encrypted so a replay can return it.
    response.holds_secret = True
    return response


class WebhookViewSet(ApiViewSet):
    queryset = WebhookEndpoint.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "webhooks:read"
    write_scope = "webhooks:write"

    def _get(self, pk):
        return self.get_scoped(self.scoped(WebhookEndpoint), pk, "webhook endpoint")

    @extend_schema(
        operation_id="webhooks_list",
        summary="List webhook endpoints",
        description=(
            "The workspace's enabled and disabled endpoints for the key's mode, with the times of "
            "their last success and failure. Revoked endpoints are not listed. The signing secret "
            "is never shown here."
        ),
        parameters=list_parameters(selectors.WebhookEndpointFilter),
        responses={200: list_response(WebhookEndpointSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.webhook_endpoint_list(
            base_queryset=self.scoped(WebhookEndpoint), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([endpoint_data(e) for e in rows], pagination)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook endpoint",
        description=(
            'Events of the chosen types (or `["*"]`) are posted to `url`, signed the Standard '
            "Webhooks way. The 201 answer is the only one that ever holds the signing `secret`: "
            "store it. The URL must be https and must not resolve to a private or reserved "
            "address (`INVALID_WEBHOOK_URL`); the plan limits the number of endpoints "
            "(`LIMIT_EXCEEDED`)."
        ),
        request=WebhookCreateSerializer,
        responses={201: data_response(WebhookEndpointWithSecretSerializer), **error_responses(422)},
    )
    def create(self, request):
        serializer = WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint, secret = services.webhook_endpoint_create(
            workspace=self.workspace,
            livemode=self.api_key.livemode,
            url=data["url"],
            events=data["events"],
            description=data.get("description"),
            key_scopes=self.api_key.scopes,
        )
        return _with_secret(endpoint, secret, 201)

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="Retrieve a webhook endpoint",
        description="One endpoint by its `wh_` id, revoked ones included, without its secret.",
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(endpoint_data(self._get(pk)))

    @extend_schema(
        operation_id="webhooks_update",
        summary="Update a webhook endpoint",
        description=(
            "Change its `url`, `events` or `description`, or set `status: enabled` to re-enable "
            "an endpoint that was disabled after repeated failures. The URL is checked as at "
            "creation."
        ),
        request=WebhookUpdateSerializer,
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404, 422)},
    )
    def partial_update(self, request, pk=None):
        endpoint = self._get(pk)
        serializer = WebhookUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(
            endpoint=endpoint, changes=serializer.validated_data, key_scopes=self.api_key.scopes
        )
        return respond(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_revoke",
        summary="Revoke a webhook endpoint",
        description=(
            "The endpoint stops receiving events at once, its pending retries are cancelled and "
            "it no longer counts toward the plan's limit. 200 with `status: revoked`; revoking "
            "again answers the same."
        ),
        request=None,
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404)},
    )
    def destroy(self, request, pk=None):
        endpoint = services.webhook_endpoint_revoke(endpoint=self._get(pk))
        return respond(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        summary="Rotate the signing secret",
        description=(
            "Returns a new `secret` (shown only in this answer). For 24 hours every delivery "
            "carries signatures with both the old and the new secret, so you can deploy the new "
            "one without dropping events."
        ),
        request=None,
        responses={
            200: data_response(WebhookEndpointWithSecretSerializer),
            **error_responses(404, 422),
        },
    )
    @action(detail=True, methods=["post"], url_path="rotate_secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self._get(pk)
        # Bodyless, but a field sent here is a client's mistake worth reporting.
        StrictSerializer(data=request.data or {}).is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        return _with_secret(endpoint, secret, 200)

    @extend_schema(
        methods=["GET"],
        operation_id="webhooks_deliveries_list",
        summary="List delivery attempts",
        description=(
            "Every attempt to deliver events to this endpoint, newest first: the response status, "
            "time taken, the first 4 KB of the receiver's answer and when the next retry is due. "
            "Filter by `status` or `event_id`."
        ),
        parameters=list_parameters(selectors.WebhookDeliveryFilter),
        responses={200: list_response(WebhookDeliverySerializer), **error_responses(400, 404, 422)},
    )
    @extend_schema(
        methods=["POST"],
        operation_id="webhooks_deliveries_resend",
        summary="Resend an event",
        description=(
            "Delivers one event (`event_id`) to this endpoint again, now, for example after "
            "fixing your receiver. 202 with the new attempt."
        ),
        request=ResendSerializer,
        responses={202: data_response(WebhookDeliverySerializer), **error_responses(404, 422)},
    )
    @action(detail=True, methods=["get", "post"], url_path="deliveries")
    def deliveries(self, request, pk=None):
        endpoint = self._get(pk)
        if request.method == "POST":
            return self._resend(request, endpoint)
        queryset, filters = selectors.webhook_delivery_list(
            endpoint=endpoint, params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([delivery_data(d) for d in rows], pagination)

    def _resend(self, request, endpoint):
        serializer = ResendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_id = serializer.validated_data["event_id"]
        events = selectors.visible_events(
            base_queryset=self.scoped(Event), scopes=self.api_key.scopes
        ) | self.scoped(Event).filter(type="webhook.test", object_id=endpoint.id)
        event = events.filter(pk=event_id).first()
        if event is None:
            mode = "live" if self.api_key.livemode else "test"
            raise ApiError(
                "VALIDATION_ERROR",
                f"No event with id '{event_id}' that this key may read exists in this "
                f"workspace ({mode} mode) within the last 30 days.",
                details=[{"field": "event_id", "issue": "unknown event"}],
            )
        delivery = services.webhook_event_resend(endpoint=endpoint, event=event)
        return respond(delivery_data(delivery, event_type=event.type), status=202)

    @extend_schema(
        operation_id="webhooks_test",
        summary="Send a test event",
        description=(
            "Posts a `webhook.test` event to this endpoint only, whatever its subscribed types "
            "and even when disabled, to check your receiver and its signature verification. 202 "
            "with the delivery attempt; follow it in the deliveries list."
        ),
        request=None,
        responses={202: data_response(WebhookDeliverySerializer), **error_responses(404, 422)},
    )
    @action(detail=True, methods=["post"], url_path="test")
    def test(self, request, pk=None):
        endpoint = self._get(pk)
        StrictSerializer(data=request.data or {}).is_valid(raise_exception=True)
        delivery = services.webhook_endpoint_send_test(endpoint=endpoint)
        return respond(delivery_data(delivery, event_type="webhook.test"), status=202)


class EventViewSet(ApiViewSet):
    queryset = Event.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "webhooks:read"

    def _visible(self):
        return selectors.visible_events(
            base_queryset=self.scoped(Event), scopes=self.api_key.scopes
        )

    @extend_schema(
        operation_id="events_list",
        summary="List events",
        description=(
            "The last 30 days of events (the same payloads webhooks deliver), newest first, so "
            "you can reconcile anything a receiver missed. Filter by `type` and `created_after`. "
            "Only the types whose objects this key may read are listed (`contact.*` needs "
            "`contacts:read`, and so on)."
        ),
        parameters=list_parameters(selectors.EventFilter),
        responses={200: list_response(EventSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.event_list(
            base_queryset=self.scoped(Event),
            scopes=self.api_key.scopes,
            params=request.query_params,
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([event_payload(e) for e in rows], pagination)

    @extend_schema(
        operation_id="events_retrieve",
        summary="Retrieve an event",
        description=(
            "One event by its `evt_` id: its type, time and `data`, the object exactly as the API "
            "returned it when the event was emitted (`*.updated` events add "
            "`previous_attributes`)."
        ),
        responses={200: data_response(EventSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(event_payload(self.get_scoped(self._visible(), pk, "event")))
