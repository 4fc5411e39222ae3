"""The error catalogue (§2) and the one exception handler that speaks it.

Every platform error code lives in ``PLATFORM_ERRORS``: HTTP status, title, the
plain-English explanation people read on /docs/errors, who is at fault, whether
a retry can help, and what to do next. The exception handler, the OpenAPI
description, the troubleshooting endpoints and trigger status all read it.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response

from .request_ids import request_id_of

logger = logging.getLogger("instantreply.api")


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    http_status: int
    title: str
    explanation: str
    fault: str  # instantreply | meta | business | recipient | unknown | client
    retryable: bool
    next_steps: tuple[str, ...]
    related_codes: tuple[str, ...] = field(default_factory=tuple)
    source: str = "platform"


def _spec(code, status, title, explanation, fault, retryable, next_steps, related=()):
    return ErrorSpec(
        code, status, title, explanation, fault, retryable, tuple(next_steps), tuple(related)
    )


PLATFORM_ERRORS: dict[str, ErrorSpec] = {
    s.code: s
    for s in [
        _spec(
            "INVALID_JSON",
            400,
            "Request body is not valid JSON",
            "The body could not be parsed as a JSON object. Every request body must be one JSON object encoded as UTF-8.",
            "business",
            False,
            ['Check the body with a JSON linter and send an object such as {"text": "hi"}.'],
            ["UNSUPPORTED_MEDIA_TYPE"],
        ),
        _spec(
            "INVALID_CURSOR",
            400,
            "Pagination cursor is not valid",
            "The cursor was malformed, altered, or issued for a different list, filter set or order. A cursor is only valid with exactly the filters and order of the request that returned it.",
            "business",
            False,
            [
                "Send the same filters and order you used for the first page, or start again without a cursor."
            ],
            ["VALIDATION_ERROR"],
        ),
        _spec(
            "INVALID_IDEMPOTENCY_KEY",
            400,
            "Idempotency-Key header is not valid",
            "The Idempotency-Key must be 1 to 255 printable ASCII characters. A UUID is the recommended value.",
            "business",
            False,
            [
                "Generate a UUID v4 for each logical operation and send it as the Idempotency-Key header."
            ],
            ["IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE"],
        ),
        _spec(
            "AUTHENTICATION_REQUIRED",
            401,
            "No API key was sent",
            "Requests to /v1 need an 'Authorization: Bearer <key>' header carrying an ir_live_ or ir_test_ key.",
            "business",
            False,
            [
                "Add the header 'Authorization: Bearer ir_live_…' (or an ir_test_ key for test mode)."
            ],
            ["INVALID_API_KEY"],
        ),
        _spec(
            "INVALID_API_KEY",
            401,
            "API key is unknown, malformed or revoked",
            "The key in the Authorization header does not match an active key. Keys are shown once at creation; a revoked key stops working at once.",
            "business",
            False,
            ["Check for copy-paste truncation, or create a new key with manage.py create_api_key."],
            ["AUTHENTICATION_REQUIRED"],
        ),
        _spec(
            "INSUFFICIENT_SCOPE",
            403,
            "API key lacks the required scope",
            "The key is valid but its scopes do not allow this operation. A ':write' scope includes the ':read' of the same resource.",
            "business",
            False,
            [
                "Create a key with the scope named in the message, or use a '*' key.",
                "GET /v1/developer/capabilities lists what the current key may call.",
            ],
        ),
        _spec(
            "RESOURCE_NOT_FOUND",
            404,
            "Resource not found",
            "No object with this id exists in the key's workspace and mode. Objects of other workspaces, and live objects seen with a test key (or the reverse), are reported the same way.",
            "business",
            False,
            ["Check the id and that the key's mode (live or test) matches the object's livemode."],
        ),
        _spec(
            "ROUTE_NOT_FOUND",
            404,
            "No such endpoint",
            "The path does not match any endpoint of the API.",
            "business",
            False,
            ["Check the path against the API reference at /docs; paths have no trailing slash."],
            ["METHOD_NOT_ALLOWED"],
        ),
        _spec(
            "UNKNOWN_ERROR_CODE",
            404,
            "Unknown error code",
            "The troubleshooting catalogue has no entry for this code.",
            "business",
            False,
            ["List every known code with GET /v1/developer/troubleshooting/errors."],
        ),
        _spec(
            "METHOD_NOT_ALLOWED",
            405,
            "Method not allowed on this endpoint",
            "The endpoint exists but does not accept this HTTP method. The Allow header lists the methods it accepts.",
            "business",
            False,
            ["Use one of the methods in the Allow header."],
            ["ROUTE_NOT_FOUND"],
        ),
        _spec(
            "IDEMPOTENCY_KEY_IN_USE",
            409,
            "A request with this Idempotency-Key is still running",
            "Another request with the same key and body is being processed. It will finish once; this request was not executed.",
            "business",
            True,
            [
                "Retry after the number of seconds in Retry-After; you will then receive the stored result."
            ],
            ["IDEMPOTENCY_KEY_REUSED"],
        ),
        _spec(
            "CHANNEL_UNAVAILABLE",
            409,
            "Channel cannot send",
            "The channel is disconnected or in an error state (for example its access token expired), so nothing can be sent through it.",
            "business",
            False,
            ["Check GET /v1/channels/{id} health, reconnect the channel, then retry the send."],
        ),
        _spec(
            "TEMPLATE_NOT_EDITABLE",
            409,
            "Template cannot be changed in its current status",
            "Only templates in draft or rejected status can be edited or submitted. Submitted, approved, paused and disabled templates are managed by Meta.",
            "business",
            False,
            ["Create a new template (a new name or language) to change an approved one."],
        ),
        _spec(
            "TEMPLATE_NAME_TAKEN",
            409,
            "Template name already used",
            "The channel already has a template with this name and language.",
            "business",
            False,
            ["Choose another name, or edit the existing template if it is a draft."],
        ),
        _spec(
            "INVALID_SIGNATURE",
            401,
            "Webhook signature is missing or wrong",
            "POSTs to /meta/webhook must carry X-Hub-Signature-256 = sha256=<hex HMAC-SHA256 of the raw body with the app secret>.",
            "business",
            False,
            ["Check META_APP_SECRET matches the app that sends the webhooks."],
        ),
        _spec(
            "INVALID_VERIFY_TOKEN",
            403,
            "Webhook verify token does not match",
            "The subscription handshake sent a hub.verify_token different from META_VERIFY_TOKEN.",
            "business",
            False,
            ["Set the same verify token in the Meta app dashboard and in META_VERIFY_TOKEN."],
        ),
        _spec(
            "PAYLOAD_TOO_LARGE",
            413,
            "Request body too large",
            "Request bodies are limited to 1 MiB (1,048,576 bytes).",
            "business",
            False,
            ["Send a smaller body; long texts are limited per platform anyway."],
        ),
        _spec(
            "TEST_MODE_ONLY",
            403,
            "Endpoint is for test keys only",
            "This endpoint simulates traffic and only accepts ir_test_ keys, so live data can never be faked.",
            "business",
            False,
            ["Call it with an ir_test_ key."],
        ),
        _spec(
            "UNSUPPORTED_MEDIA_TYPE",
            415,
            "Body must be JSON",
            "Request bodies must be sent with 'Content-Type: application/json' (a charset parameter is fine).",
            "business",
            False,
            ["Add the header 'Content-Type: application/json'."],
            ["INVALID_JSON"],
        ),
        _spec(
            "VALIDATION_ERROR",
            422,
            "Invalid field or query value",
            "One or more values were invalid. 'details' lists each field and what was wrong with it.",
            "business",
            False,
            [
                "Fix the fields named in details and send the request again with a new Idempotency-Key."
            ],
        ),
        _spec(
            "INVALID_PLATFORM",
            422,
            "Platform not supported",
            "v1 supports the platforms whatsapp, instagram and messenger.",
            "business",
            False,
            ["Use one of whatsapp, instagram or messenger."],
        ),
        _spec(
            "IDEMPOTENCY_KEY_REUSED",
            422,
            "Idempotency-Key reused with a different request",
            "The key was first used with another method, path, query or body. A key identifies one operation; nothing was executed.",
            "business",
            False,
            ["Use a new key for a different request."],
            ["IDEMPOTENCY_KEY_IN_USE"],
        ),
        _spec(
            "OUTSIDE_MESSAGING_WINDOW",
            422,
            "Customer-service window closed",
            "Free-form messages may only be sent within the platform's window after the customer's last message: 24 hours on WhatsApp, 24 hours on Instagram and Messenger, or 7 days with tag human_agent.",
            "business",
            False,
            [
                "On WhatsApp, send an approved template instead.",
                'On Instagram or Messenger, a human agent may reply within 7 days with "tag": "human_agent".',
            ],
        ),
        _spec(
            "TEMPLATE_NOT_APPROVED",
            422,
            "Template is not approved",
            "Only templates Meta has approved can be sent.",
            "business",
            False,
            ["Submit the template and wait for template.status_updated with status approved."],
        ),
        _spec(
            "INVALID_WEBHOOK_URL",
            422,
            "Webhook URL not allowed",
            "Webhook URLs must use https and resolve only to public internet addresses.",
            "business",
            False,
            ["Use a public https URL; for local development tunnel to a public hostname."],
        ),
        _spec(
            "LIMIT_EXCEEDED",
            422,
            "Plan limit reached",
            "A quota of the workspace's plan (for example webhook endpoints or outbound messages per day) has been reached.",
            "business",
            False,
            ["Wait for the quota to reset (see Retry-After when present) or upgrade the plan."],
        ),
        _spec(
            "INVALID_DATE_RANGE",
            422,
            "Date range not valid",
            "start_date and end_date must be YYYY-MM-DD dates, start on or before end, and span at most 366 days.",
            "business",
            False,
            ["Send both dates, in order, within 366 days."],
        ),
        _spec(
            "RATE_LIMITED",
            429,
            "Too many requests",
            "The workspace sent more requests this minute than its plan allows.",
            "business",
            True,
            [
                "Wait for Retry-After seconds, then retry; spread requests using the RateLimit headers."
            ],
        ),
        _spec(
            "INTERNAL_ERROR",
            500,
            "Internal error",
            "Something failed on our side. It was logged with the request id.",
            "instantreply",
            True,
            [
                "Retry with the same Idempotency-Key; if it persists, contact support with the request_id."
            ],
        ),
        _spec(
            "SERVICE_UNAVAILABLE",
            503,
            "Service temporarily unavailable",
            "A service the API needs (such as the database) could not be reached.",
            "instantreply",
            True,
            ["Retry with backoff and the same Idempotency-Key."],
        ),
    ]
}

# Other catalogues (Meta's codes) register here so one lookup serves every reader.
_EXTRA_CATALOGUES: list[dict[str, ErrorSpec]] = []


def register_catalogue(entries: dict[str, ErrorSpec]) -> None:
    _EXTRA_CATALOGUES.append(entries)


def lookup(code: str) -> ErrorSpec | None:
    if code in PLATFORM_ERRORS:
        return PLATFORM_ERRORS[code]
    for catalogue in _EXTRA_CATALOGUES:
        if code in catalogue:
            return catalogue[code]
    return None


def all_errors() -> list[ErrorSpec]:
    specs = list(PLATFORM_ERRORS.values())
    for catalogue in _EXTRA_CATALOGUES:
        specs.extend(catalogue.values())
    return specs


def doc_url(code: str) -> str:
    return f"{settings.DOCS_BASE_URL}/errors#{code}"


class ApiError(Exception):
    """A failure with a catalogue code. Services raise these; the handler renders them."""

    def __init__(self, code: str, message: str, *, details=None, headers=None):
        if code not in PLATFORM_ERRORS:
            raise ValueError(f"unknown error code {code}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details or [])
        self.headers = dict(headers or {})

    @property
    def status(self) -> int:
        return PLATFORM_ERRORS[self.code].http_status


def validation_error(message: str, details: list[dict]) -> ApiError:
    return ApiError("VALIDATION_ERROR", message, details=details)


def field_error(field: str, issue: str, message: str) -> ApiError:
    """A VALIDATION_ERROR about one field."""
    return validation_error(message, [{"field": field, "issue": issue}])


def envelope(code: str, message: str, request_id: str | None, details=None) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "doc_url": doc_url(code),
            "request_id": request_id,
            "details": list(details or []),
        }
    }


def json_error(request, code: str, message: str, *, details=None, headers=None) -> JsonResponse:
    """An error response for plain Django views and middleware (outside DRF)."""
    response = JsonResponse(
        envelope(code, message, request_id_of(request), details),
        status=PLATFORM_ERRORS[code].http_status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    response.error_code = code
    return response


def flatten_drf_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error dict → [{"field": "tags[2]", "issue": "..."}]."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            if isinstance(key, int) and prefix:
                # ListField child errors come keyed by index: "tags[2]" (§2).
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            out.extend(flatten_drf_errors(value, path))
    elif isinstance(detail, list):
        if all(isinstance(item, str | drf_exceptions.ErrorDetail) for item in detail):
            for item in detail:
                out.append({"field": prefix or None, "issue": str(item)})
        else:
            for index, item in enumerate(detail):
                if item in ({}, [], None):
                    continue
                out.extend(flatten_drf_errors(item, f"{prefix}[{index}]"))
    else:
        out.append({"field": prefix or None, "issue": str(detail)})
    return out


def describe_details(details: list[dict]) -> str:
    # The message ends with its own full stop; Django's and DRF's texts carry one.
    parts = [
        (f"{d['field']} {d['issue']}" if d.get("field") else d["issue"]).rstrip(".")
        for d in details[:3]
    ]
    more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
    return "; ".join(parts) + more


def _from_drf(exc, context) -> ApiError:
    view = context.get("view")
    request = context.get("request")
    what = f"{request.method} {request.path}" if request is not None else "this request"
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, drf_exceptions.NotAuthenticated):
        return ApiError(
            "AUTHENTICATION_REQUIRED",
            f"{what} needs an API key: send 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, drf_exceptions.AuthenticationFailed):
        return ApiError(
            "INVALID_API_KEY",
            str(exc.detail),
            headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
        )
    if isinstance(exc, drf_exceptions.PermissionDenied | DjangoPermissionDenied):
        return ApiError("INSUFFICIENT_SCOPE", str(getattr(exc, "detail", exc)))
    if isinstance(exc, drf_exceptions.NotFound | Http404):
        return ApiError("RESOURCE_NOT_FOUND", f"{what}: no such object in this workspace.")
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        allowed = ", ".join(view.allowed_methods) if view is not None else ""
        return ApiError(
            "METHOD_NOT_ALLOWED",
            f"{request.method} is not allowed on {request.path}; allowed: {allowed}.",
            headers={"Allow": allowed},
        )
    if isinstance(exc, drf_exceptions.UnsupportedMediaType):
        return ApiError(
            "UNSUPPORTED_MEDIA_TYPE",
            f"{what} expects a JSON body with 'Content-Type: application/json'; received "
            f"'{request.content_type if request is not None and request.content_type else 'no Content-Type'}'.",
        )
    if isinstance(exc, drf_exceptions.ParseError):
        return ApiError("INVALID_JSON", f"{what}: {exc.detail}")
    if isinstance(exc, drf_exceptions.ValidationError):
        details = flatten_drf_errors(exc.detail)
        return validation_error(f"{what} has invalid values: {describe_details(details)}.", details)
    if isinstance(exc, drf_exceptions.Throttled):
        return ApiError(
            "RATE_LIMITED", "Too many requests.", headers={"Retry-After": str(exc.wait or 1)}
        )
    if isinstance(exc, OperationalError | InterfaceError):
        logger.exception("database unavailable")
        return ApiError("SERVICE_UNAVAILABLE", "The database is unreachable; retry shortly.")
    if isinstance(exc, drf_exceptions.APIException) and exc.status_code < 500:
        return validation_error(str(exc.detail), [])
    logger.exception("unhandled error in %s", what, exc_info=exc)
    return ApiError(
        "INTERNAL_ERROR",
        "Something went wrong on our side; it has been logged with the request id.",
    )


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every failure becomes the §2 envelope."""
    if isinstance(exc, DatabaseError) and not isinstance(exc, OperationalError | InterfaceError):
        logger.exception("database error", exc_info=exc)
    error = _from_drf(exc, context)
    request = context.get("request")
    response = Response(
        envelope(error.code, error.message, request_id_of(request), error.details),
        status=error.status,
        headers=error.headers,
    )
    response.error_code = error.code
    return response
