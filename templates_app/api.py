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
    TemplateSubmittedSerializer,
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
        summary="List templates",
        description=(
            "WhatsApp message templates, newest first. Filter by `status`, `category`, "
            "`channel_id` and `language`. Only `approved` templates can be sent."
        ),
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
        summary="Retrieve a template",
        description=(
            "One template by its `tpl_` id: its components, status, Meta's rejection reason or "
            "quality rating, and any category change Meta made."
        ),
        responses={200: data_response(TemplateSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(template_data(self._get(pk)))

    @extend_schema(
        operation_id="templates_create",
        summary="Create a template draft",
        description=(
            "A WhatsApp template as a `draft`: name (lower case, digits, underscores), language, "
            "category and components, with body variables `{{1}}`…`{{n}}` and `examples`, one "
            "value per variable (a draft may be saved before they match; submit needs them), "
            "and `pause_on_category_change` (the cost guard, default false). Nothing goes to "
            "Meta until you submit it. The same name and language "
            "on the channel is `TEMPLATE_NAME_TAKEN`; a malformed body (variables out of order, "
            "at the very start or end, adjacent) is `VALIDATION_ERROR` with the field at fault."
        ),
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
        summary="Edit a template",
        description=(
            "Change a `draft` or `rejected` template (any other status is "
            "`TEMPLATE_NOT_EDITABLE`): name, language, category, components or examples, checked "
            "as at creation. `pause_on_category_change` alone can be changed in any status."
        ),
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
        summary="Check a template before submitting",
        description=(
            "No side effects. Predicts whether Meta will treat the template as marketing, with "
            "the phrases that make it promotional and suggestions to keep it utility, and what "
            "the difference costs per message and per 1,000 in the `market` (ISO country; default "
            "from the channel's phone number). `problems` lists what submit would refuse (e.g. "
            "examples that do not match the variables yet)."
        ),
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
        summary="Submit a template to Meta",
        description=(
            "Moves a `draft` or `rejected` template to `submitting` at once (so a second submit "
            "can never reach Meta twice) and answers 202 with `category_check`, the "
            "classifier's verdict on the submitted content as validate gives it: a utility "
            "template that reads as marketing is likely to be approved as marketing (Meta "
            "re-categorises it) and charged at that rate. A worker then sends it to Meta, and "
            "the status becomes `pending`, then `approved` or `rejected` when Meta decides "
            "(`template.status_updated`). Another status is `TEMPLATE_NOT_EDITABLE`; examples "
            "that do not match the body's variables are `VALIDATION_ERROR` on `examples`."
        ),
        request=TemplateSubmitSerializer,
        responses={
            202: data_response(TemplateSubmittedSerializer),
            **error_responses(404, 409, 422),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        template = self._get(pk)
        serializer = TemplateSubmitSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        template = services.template_submit(
            template=template, simulate=serializer.validated_data.get("simulate")
        )
        check = services.template_category_check(template=template)
        return respond({**template_data(template), "category_check": check}, status=202)

    @extend_schema(
        operation_id="templates_resume",
        summary="Accept Meta's new category",
        description="Accepts the category Meta moved a template to: a template the cost guard "
        "paused (`paused_reason: category_changed`, see `pause_on_category_change`) is "
        "approved again and can be sent, at the new category's rate. 409 "
        "TEMPLATE_NOT_EDITABLE for any other template.",
        request=None,
        responses={200: data_response(TemplateSerializer), **error_responses(404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        template = self._get(pk)
        _no_body(request)
        return respond(template_data(services.template_resume(template=template)))


class _EmptySerializer(StrictSerializer):
    pass


def _no_body(request):
    _EmptySerializer(data=request.data or {}).is_valid(raise_exception=True)
