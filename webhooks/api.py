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
        )
        return _with_secret(endpoint, secret, 201)

    @extend_schema(
        operation_id="webhooks_retrieve",
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(endpoint_data(self._get(pk)))

    @extend_schema(
        operation_id="webhooks_update",
        request=WebhookUpdateSerializer,
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404, 422)},
    )
    def partial_update(self, request, pk=None):
        endpoint = self._get(pk)
        serializer = WebhookUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(
            endpoint=endpoint, changes=serializer.validated_data
        )
        return respond(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_revoke",
        request=None,
        responses={200: data_response(WebhookEndpointSerializer), **error_responses(404)},
    )
    def destroy(self, request, pk=None):
        endpoint = services.webhook_endpoint_revoke(endpoint=self._get(pk))
        return respond(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_rotate_secret",
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
        parameters=list_parameters(selectors.WebhookDeliveryFilter),
        responses={200: list_response(WebhookDeliverySerializer), **error_responses(400, 404, 422)},
    )
    @extend_schema(
        methods=["POST"],
        operation_id="webhooks_deliveries_resend",
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
        responses={200: data_response(EventSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(event_payload(self.get_scoped(self._visible(), pk, "event")))
