"""The error catalogue as JSON (§11): platform codes and Meta's codes, with who is
at fault and what to do next."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from instantreply.api.errors import ApiError, all_errors, doc_url, lookup
from instantreply.api.pagination import paginate_sequence
from instantreply.api.schema import (
    data_response,
    error_responses,
    list_parameters,
    list_response,
)
from instantreply.api.views import ApiView, respond, respond_list


class ErrorExplanationSerializer(serializers.Serializer):
    code = serializers.CharField()
    source = serializers.ChoiceField(choices=["meta", "platform"])
    title = serializers.CharField()
    explanation = serializers.CharField()
    fault = serializers.CharField()
    retryable = serializers.BooleanField()
    next_steps = serializers.ListField(child=serializers.CharField())
    doc_url = serializers.URLField()
    related_codes = serializers.ListField(child=serializers.CharField())


def error_explanation_data(spec) -> dict:
    return {
        "code": spec.code,
        "source": spec.source,
        "title": spec.title,
        "explanation": spec.explanation,
        "fault": spec.fault,
        "retryable": spec.retryable,
        "next_steps": list(spec.next_steps),
        "doc_url": doc_url(spec.code),
        "related_codes": list(spec.related_codes),
    }


def _sort_key(spec):
    # Platform codes alphabetically, then Meta's numerically (10.2534022 after 10).
    if spec.source == "platform":
        return (0, (), spec.code)
    parts = tuple(int(p) if p.isdigit() else 0 for p in spec.code.split("."))
    return (1, parts, spec.code)


class TroubleshootingErrorListView(ApiView):
    @extend_schema(
        operation_id="troubleshooting_errors_list",
        summary="List error codes",
        description=(
            "Every code this API answers with and the common Meta codes a send can fail with, "
            "each with its explanation, who is at fault, whether a retry helps and what to do "
            "next."
        ),
        parameters=list_parameters(),
        responses={200: list_response(ErrorExplanationSerializer), **error_responses(400, 422)},
    )
    def get(self, request):
        # Ascending = the catalogue's order: platform codes A–Z, then Meta's by number.
        specs = sorted(all_errors(), key=_sort_key)
        page, pagination = paginate_sequence(request, specs, key=lambda s: s.code, filters={})
        return respond_list([error_explanation_data(s) for s in page], pagination)


class TroubleshootingErrorView(ApiView):
    @extend_schema(
        operation_id="troubleshooting_errors_retrieve",
        summary="Explain an error code",
        description=(
            "One code of the catalogue, such as `OUTSIDE_MESSAGING_WINDOW` or Meta's `131047`: "
            "what it means, who is at fault, whether retrying helps, the next steps and related "
            "codes. A code that is not in the catalogue is `UNKNOWN_ERROR_CODE`."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description='a platform code (VALIDATION_ERROR) or a Meta code ("131047", "10.2534022")',
            )
        ],
        responses={200: data_response(ErrorExplanationSerializer), **error_responses(404)},
    )
    def get(self, request, code):
        spec = lookup(code) or lookup(code.strip().upper())
        if spec is None:
            raise ApiError(
                "UNKNOWN_ERROR_CODE",
                f"No error code '{code}' in the catalogue; GET /v1/developer/troubleshooting/errors "
                "lists every known code (Meta codes with a subcode are written like 10.2534022).",
            )
        return respond(error_explanation_data(spec))
