"""OpenAPI helpers: the envelope, pagination and error catalogue documented once.

The reference is written for the people who call the API: operations carry the
summary and description their view declares (``extend_schema``), never a code
docstring; ``ApiAutoSchema`` adds to each the scope it needs and how retries
behave, read from the view's own declarations, and the postprocessing hook adds
every error response with an example envelope and the request/response examples
apps register (real answers of the demo workspace)."""

import json
from pathlib import Path

from django.utils.html import escape
from drf_spectacular.drainage import get_override, set_override
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .errors import PLATFORM_ERRORS, all_errors, envelope
from .permissions import describe_scope

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
    400: "The request is malformed: the body is not JSON (`INVALID_JSON`), the cursor was "
    "not issued by this list (`INVALID_CURSOR`) or the Idempotency-Key is unusable "
    "(`INVALID_IDEMPOTENCY_KEY`).",
    401: "No API key was sent (`AUTHENTICATION_REQUIRED`), or the key is unknown or revoked "
    "(`INVALID_API_KEY`).",
    403: "The key may not call this: it lacks the scope the operation needs "
    "(`INSUFFICIENT_SCOPE`), or the operation is for test keys only (`TEST_MODE_ONLY`).",
    404: "No such object in this workspace and mode (`RESOURCE_NOT_FOUND`): objects of the "
    "other mode (live or test) are invisible.",
    409: "A request with the same Idempotency-Key is still running "
    "(`IDEMPOTENCY_KEY_IN_USE`: retry after `Retry-After`), or the object's state forbids "
    "the change (see the code).",
    413: "The body is larger than 1 MiB (`PAYLOAD_TOO_LARGE`).",
    415: "The body was not sent as `application/json` (`UNSUPPORTED_MEDIA_TYPE`).",
    422: "A field or filter is invalid (`VALIDATION_ERROR`, one entry per field in "
    "`details`), or a business rule refuses the request (see the code on /docs/errors).",
    429: "The workspace's requests-per-minute limit is reached (`RATE_LIMITED`): retry after "
    "`Retry-After` seconds.",
}


_EXAMPLE_REQUEST_ID = "req_01a2499791f975cfa981b3d3c8fb4dda"


def _error_example(status: int, method: str, path: str, needed, mutation: bool) -> dict:
    """An error envelope as the API writes it for this operation (the messages follow
    the wording of the code that raises them)."""
    where = f"{method} {path}"
    other = "contacts:read" if needed == "analytics:read" else "analytics:read"
    code, message, details = {
        400: (
            (
                "INVALID_JSON",
                f"{where}: the body is not valid JSON (Expecting property name "
                "enclosed in double quotes: line 1 column 2 (char 1)).",
                [],
            )
            if mutation
            else ("INVALID_CURSOR", "The cursor is malformed or has been altered.", [])
        ),
        401: (
            "AUTHENTICATION_REQUIRED",
            f"{where} needs an API key: send 'Authorization: Bearer <key>'.",
            [],
        ),
        403: (
            "INSUFFICIENT_SCOPE",
            f"{where} needs the scope '{needed}'; this key has: {other}.",
            [],
        ),
        404: (
            "RESOURCE_NOT_FOUND",
            "No object with that id exists in this workspace (live mode).",
            [],
        ),
        409: (
            "IDEMPOTENCY_KEY_IN_USE",
            "A request with Idempotency-Key '9b2f6c1e-5d1a-4c47-9a51-0f3e0c2b7d10' is still "
            "being processed; retry in a second to receive its result.",
            [],
        ),
        413: (
            "PAYLOAD_TOO_LARGE",
            "The body is 1,100,000 bytes; the limit is 1,048,576 bytes (1 MiB).",
            [],
        ),
        415: (
            "UNSUPPORTED_MEDIA_TYPE",
            f"{where} expects a JSON body with 'Content-Type: application/json'; received "
            "'application/x-www-form-urlencoded'.",
            [],
        ),
        422: (
            "VALIDATION_ERROR",
            "Invalid pagination parameters: limit must be an integer from 1 to 100, got '500'.",
            [{"field": "limit", "issue": "must be an integer from 1 to 100, got '500'"}],
        ),
        429: (
            "RATE_LIMITED",
            "This workspace's plan allows 60 requests per minute; retry in 23 seconds.",
            [],
        ),
    }[status]
    return envelope(code, message, _EXAMPLE_REQUEST_ID, details)


def error_responses(*statuses: int) -> dict:
    # 403 is added by ApiAutoSchema where the operation needs a scope.
    wanted = sorted(set(statuses) | {401, 429})
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


# -- the schema class ---------------------------------------------------------------
_MUTATIONS = ("POST", "PATCH", "DELETE")


class ApiAutoSchema(AutoSchema):
    def get_description(self) -> str:
        # Only what a view declares with extend_schema(description=...) reaches the
        # reference: docstrings are written for the code's maintainers.
        return ""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        scope_for = getattr(self.view, "scope_for", None)
        needed = (
            describe_scope(scope_for(self.method, getattr(self.view, "action", None)))
            if scope_for
            else None
        )
        notes = "\n\n".join(self._access_notes(needed))
        operation["description"] = "\n\n".join(
            part for part in (operation.get("description", "").strip(), notes) if part
        )
        self._add_error_responses(operation, needed)
        return operation

    def _add_error_responses(self, operation: dict, needed: str | None) -> None:
        """Every answer an operation can give besides its success, each with the
        envelope and an example: auth, scope and rate limit everywhere; body, media
        type and idempotency answers on writes; 404 under an id; cursor and filter
        answers on lists."""
        mutation = self.method in _MUTATIONS
        is_list = any(p.get("name") == "cursor" for p in operation.get("parameters", []))
        statuses = {401, 429} | ({403} if needed else set())
        if mutation:
            statuses |= {400, 409, 413, 415, 422}
        if "{" in self.path:
            statuses.add(404)
        if is_list:
            statuses |= {400, 422}
        envelope_ref = self.resolve_serializer(ErrorEnvelopeSerializer, "response").ref
        responses = operation["responses"]
        for status in statuses:
            responses.setdefault(
                str(status),
                {
                    "description": _STATUS_TEXT[status],
                    "content": {"application/json": {"schema": envelope_ref}},
                },
            )
        captured = _EXAMPLES.get(f"{self.method.lower()} {self.path}", {}).get("errors", {})
        for status, response in responses.items():
            media = response.get("content", {}).get("application/json")
            if int(status) < 400 or media is None or "example" in media:
                continue
            media["example"] = captured.get(status) or _error_example(
                int(status), self.method, self.path, needed, mutation
            )
        operation["responses"] = dict(sorted(responses.items()))

    def _access_notes(self, needed: str | None) -> list[str]:
        notes = []
        if getattr(self.view, "scope_for", None) is not None:
            if needed is None:
                notes.append("**Scope:** any valid key.")
            elif needed.endswith(":read"):
                notes.append(
                    f"**Scope:** `{needed}`; a key with the same resource's `:write` scope "
                    "may read too."
                )
            else:
                notes.append(f"**Scope:** `{needed}`.")
        if self.method in _MUTATIONS:
            notes.append(
                "**Idempotency:** send an `Idempotency-Key` header (any unique string up to "
                "255 characters). A retry with the same key and body within 24 hours gets "
                "the first answer again, marked `Idempotent-Replayed: true`, and never acts "
                "twice; the same key with another body is `IDEMPOTENCY_KEY_REUSED`."
            )
        else:
            notes.append("**Retries:** a read changes nothing and is always safe to retry.")
        return notes

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A component's description comes only from an explicit declaration, never
        # from the serializer's docstring.
        if get_override(serializer, "description", None) is None:
            schema.pop("description", None)
        return schema


# -- examples apps register ----------------------------------------------------------
# "<method> <path template>" → {"request": body or None, "status": int, "response": body}
_EXAMPLES: dict[str, dict] = {}


def register_examples(path: Path) -> None:
    """Add the operation examples of a JSON file (see scripts/capture_reference_examples.py)."""
    _EXAMPLES.update(json.loads(Path(path).read_text(encoding="utf-8")))


def _add_examples(result) -> None:
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            example = _EXAMPLES.get(f"{method} {path}")
            if not isinstance(operation, dict) or example is None:
                continue
            if example["request"] is not None and "requestBody" in operation:
                media = operation["requestBody"]["content"].get("application/json")
                if media is not None:
                    media["example"] = example["request"]
            answer = operation["responses"].get(str(example["status"]))
            if answer is not None and "content" in answer:
                answer["content"]["application/json"]["example"] = example["response"]


# -- drf-spectacular hooks ----------------------------------------------------------
def only_public_api(endpoints):
    return [e for e in endpoints if e[0].startswith("/v1/")]


def add_error_catalogue(result, generator, request, public):
    _add_examples(result)
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
