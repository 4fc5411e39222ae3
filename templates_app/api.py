from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from instantreply.api.pagination import paginate
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.serializers import StrictSerializer
from instantreply.api.views import ApiViewSet, respond, respond_list

from . import selectors, services
from .models import Template
from .serializers import (
    TemplateCreateSerializer,
    TemplateSerializer,
    TemplateSubmitSerializer,
    TemplateUpdateSerializer,
    ValidationReportSerializer,
    template_data,
)


class TemplateViewSet(ApiViewSet):
    queryset = Template.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "templates:read"
    write_scope = "templates:write"
    action_scopes = {"validate": "templates:read"}

    def _get(self, pk):
        return self.get_scoped(self.scoped(Template).select_related("channel"), pk, "template")

    @extend_schema(
        operation_id="templates_list",
        parameters=list_parameters(selectors.TemplateFilter),
        responses={200: list_response(TemplateSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.template_list(
            base_queryset=self.scoped(Template), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([template_data(t) for t in rows], pagination)

    @extend_schema(
        operation_id="templates_retrieve",
        responses={200: data_response(TemplateSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(template_data(self._get(pk)))

    @extend_schema(
        operation_id="templates_create",
        request=TemplateCreateSerializer,
        responses={201: data_response(TemplateSerializer), **error_responses(409, 422)},
    )
    def create(self, request):
        serializer = TemplateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.template_create(api_key=self.api_key, data=serializer.validated_data)
        return respond(template_data(template), status=201)

    @extend_schema(
        operation_id="templates_update",
        request=TemplateUpdateSerializer,
        responses={200: data_response(TemplateSerializer), **error_responses(404, 409, 422)},
    )
    def partial_update(self, request, pk=None):
        template = self._get(pk)
        serializer = TemplateUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        template = services.template_update(template=template, changes=serializer.validated_data)
        return respond(template_data(template))

    @extend_schema(
        operation_id="templates_validate",
        request=None,
        parameters=[
            OpenApiParameter(
                "market",
                str,
                description="ISO country of the recipients (default: the channel's phone "
                "number country, else US)",
            )
        ],
        responses={200: data_response(ValidationReportSerializer), **error_responses(404, 422)},
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        template = self._get(pk)
        _no_body(request)
        report = services.template_validate(
            template=template, market=request.query_params.get("market")
        )
        return respond(report)

    @extend_schema(
        operation_id="templates_submit",
        request=TemplateSubmitSerializer,
        responses={202: data_response(TemplateSerializer), **error_responses(404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        template = self._get(pk)
        serializer = TemplateSubmitSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        template = services.template_submit(
            template=template, simulate=serializer.validated_data.get("simulate")
        )
        return respond(template_data(template), status=202)


class _EmptySerializer(StrictSerializer):
    pass


def _no_body(request):
    _EmptySerializer(data=request.data or {}).is_valid(raise_exception=True)
