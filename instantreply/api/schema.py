"""OpenAPI helpers: the envelope, pagination and error catalogue documented once."""

from django.utils.html import escape
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .errors import PLATFORM_ERRORS, all_errors

_cache: dict = {}


class ErrorDetailSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    issue = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(PLATFORM_ERRORS))
    message = serializers.CharField()
    doc_url = serializers.URLField()
    request_id = serializers.CharField()
    details = ErrorDetailSerializer(many=True)


class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class PaginationSerializer(serializers.Serializer):
    has_more = serializers.BooleanField()
    next_cursor = serializers.CharField(allow_null=True)


def _name(serializer) -> str:
    cls = serializer if isinstance(serializer, type) else type(serializer)
    return cls.__name__.removesuffix("Serializer")


def data_response(serializer):
    name = f"{_name(serializer)}Response"
    if name not in _cache:
        _cache[name] = inline_serializer(name, {"data": serializer()})
    return _cache[name]


def list_response(serializer):
    name = f"{_name(serializer)}List"
    if name not in _cache:
        _cache[name] = inline_serializer(
            name, {"data": serializer(many=True), "pagination": PaginationSerializer()}
        )
        # The envelope already holds the list; without this a viewset's `list` action
        # gets it wrapped again in an array.
        set_override(_cache[name], "many", False)
    return _cache[name]


_STATUS_TEXT = {
    400: "Malformed request (INVALID_JSON, INVALID_CURSOR, INVALID_IDEMPOTENCY_KEY)",
    401: "AUTHENTICATION_REQUIRED or INVALID_API_KEY",
    403: "INSUFFICIENT_SCOPE",
    404: "RESOURCE_NOT_FOUND",
    409: "State conflict (see the code)",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR or another business rule (see the code)",
    429: "RATE_LIMITED",
}


def error_responses(*statuses: int) -> dict:
    wanted = sorted(set(statuses) | {401, 403, 429})
    return {
        status: OpenApiResponse(ErrorEnvelopeSerializer, description=_STATUS_TEXT.get(status, ""))
        for status in wanted
    }


PAGINATION_PARAMETERS = [
    OpenApiParameter("limit", int, description="1–100, default 20"),
    OpenApiParameter("cursor", str, description="next_cursor of the previous page"),
    OpenApiParameter("order", str, enum=["desc", "asc"], description="default desc (newest first)"),
]


def list_parameters(filterset_class=None, extra=()) -> list:
    params = list(PAGINATION_PARAMETERS)
    if filterset_class is not None:
        for name, flt in filterset_class.base_filters.items():
            choices = getattr(flt, "extra", {}).get("choices")
            enum = [c[0] for c in choices] if choices else None
            params.append(OpenApiParameter(name, str, enum=enum, description=flt.label or ""))
    params.extend(extra)
    return params


# -- drf-spectacular hooks ----------------------------------------------------------
def only_public_api(endpoints):
    return [e for e in endpoints if e[0].startswith("/v1/")]


# Answers every operation can give whatever its own declaration says (§2, §5): auth,
# scope and rate limit on every call; on every mutation, which may carry a body and an
# Idempotency-Key, also INVALID_JSON / INVALID_IDEMPOTENCY_KEY, 413, 415,
# IDEMPOTENCY_KEY_IN_USE (409) and IDEMPOTENCY_KEY_REUSED (422).
_ALWAYS = (401, 403, 429)
_ON_MUTATIONS = (400, 409, 413, 415, 422)


def _document_common_errors(result) -> None:
    if "ErrorEnvelope" not in result.get("components", {}).get("schemas", {}):
        return
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted = _ALWAYS + (_ON_MUTATIONS if method in ("post", "patch", "delete") else ())
            responses = operation["responses"]
            for status in wanted:
                responses.setdefault(
                    str(status), {"content": ref, "description": _STATUS_TEXT.get(status, "")}
                )
            operation["responses"] = dict(sorted(responses.items()))


def add_error_catalogue(result, generator, request, public):
    _document_common_errors(result)
    rows = "\n".join(
        f"| {spec.http_status} | `{spec.code}` | {escape(spec.title)} |"
        for spec in sorted(all_errors(), key=lambda s: (s.source != "platform", s.code))
        if spec.source == "platform"
    )
    result["info"]["description"] = (
        "InstantReply v1: WhatsApp, Instagram and Messenger conversations over one API.\n\n"
        "* **Auth**: `Authorization: Bearer ir_live_…` (or `ir_test_…` for test mode).\n"
        '* **Envelope**: `{"data": …}`; lists add `pagination {has_more, next_cursor}`.\n'
        "* **Pagination**: `limit` (1–100), `cursor`, `order` (`desc`|`asc`), keyset-based.\n"
        "* **Idempotency**: send `Idempotency-Key` on POST/PATCH/DELETE; replays carry "
        "`Idempotent-Replayed: true`.\n"
        "* **Rate limits**: `X-RateLimit-*` and `RateLimit`/`RateLimit-Policy` headers.\n"
        '* **Errors**: every failure is `{"error": {code, message, doc_url, request_id, details}}`.\n\n'
        "## Error codes\n\n| HTTP | code | meaning |\n|---|---|---|\n" + rows
    )
    return result
