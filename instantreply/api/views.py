"""Base classes for every /v1 view: the order of checks of §2, the request
transaction, idempotency (§5) and the rate-limit headers (§6).

Precedence (CONTRACT §2): ROUTE_NOT_FOUND/405 → 401 → 429 → 403 →
INVALID_IDEMPOTENCY_KEY → 413/415/INVALID_JSON → idempotency → 404 → 422 → 409.
DRF's own ``initial()`` authenticates before it checks the method and knows
nothing of the rest, so ``initial`` and ``dispatch`` are spelled out here.
"""

from django.conf import settings
from django.db import transaction
from rest_framework import exceptions, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from . import idempotency, ratelimit
from .errors import ApiError
from .tracing import set_trace_meta

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class JsonOnlyNegotiation(BaseContentNegotiation):
    """The API speaks JSON whatever the Accept header says (no 406 surprises)."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip().lower() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiViewMixin:
    """Declare ``required_scope`` (reads), ``write_scope`` (writes) and optionally
    ``action_scopes = {"action": scope}``; a scope may be a tuple of alternatives,
    or None for "any valid key"."""

    required_scope: str | tuple[str, ...] | None = None
    write_scope: str | tuple[str, ...] | None = None
    action_scopes: dict = {}
    content_negotiation_class = JsonOnlyNegotiation
    http_method_names = ["get", "post", "patch", "delete", "head"]

    @classmethod
    def scope_for(cls, method: str, action: str | None = None):
        if action and action in cls.action_scopes:
            return cls.action_scopes[action]
        if method.upper() in SAFE_METHODS:
            return cls.required_scope
        return cls.write_scope

    # -- the checks, in contract order ----------------------------------------
    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        try:
            self.perform_authentication(request)
            if request.auth is None:
                raise exceptions.NotAuthenticated()
        except exceptions.APIException:
            self._limit_failed_authentication(request)
            raise
        set_trace_meta(request, api_key=request.auth)

        state = getattr(request._request, "rate_limit_state", None) or ratelimit.hit(
            request.auth.workspace
        )
        self.rate_limit_state = state
        if not state.allowed:
            raise ApiError(
                "RATE_LIMITED",
                f"This workspace's plan allows {state.limit} requests per minute; "
                f"retry in {max(1, state.seconds_to_reset)} seconds.",
                headers={"Retry-After": str(max(1, state.seconds_to_reset))},
            )

        self.check_permissions(request)

        self.idempotency_key = None
        if request.method in idempotency.METHODS:
            self.idempotency_key = idempotency.parse_key(request)
            set_trace_meta(request, idempotency_key=self.idempotency_key)

        if request.method not in SAFE_METHODS:
            length = request.META.get("CONTENT_LENGTH") or "0"
            if length.isdigit() and int(length) > settings.MAX_BODY_BYTES:
                raise ApiError(
                    "PAYLOAD_TOO_LARGE",
                    f"The body is {int(length):,} bytes; the limit is "
                    f"{settings.MAX_BODY_BYTES:,} bytes (1 MiB).",
                )
            # DRF silently ignores a body whose Content-Type it has no parser for
            # (or that has none); §1 wants 415 for any non-empty non-JSON body.
            media = request.content_type.split(";")[0].strip().lower()
            if media != "application/json" and request._request.body:
                raise exceptions.UnsupportedMediaType(media or "no Content-Type")
            request.data  # noqa: B018 - parse now so 415/INVALID_JSON precede idempotency

    def _limit_failed_authentication(self, request):
        """Over its address's limit, a request without a valid key is 429, not 401."""
        state = ratelimit.hit_failed_authentication(request)
        if not state.allowed:
            wait = max(1, state.seconds_to_reset)
            raise ApiError(
                "RATE_LIMITED",
                f"Too many requests without a valid API key from this address (the limit is "
                f"{state.limit} per minute); retry in {wait} seconds with a valid key.",
                headers={"Retry-After": str(wait)},
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        state = getattr(self, "rate_limit_state", None)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
        return response

    # -- execution --------------------------------------------------------------
    def dispatch(self, request, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        self.rate_limit_state = None
        try:
            self.initial(request, *args, **kwargs)
            if request.method in SAFE_METHODS:
                response = self._call_handler(request, *args, **kwargs)
            else:
                response = self._run_in_transaction(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        if self.response.get("Idempotent-Replayed"):
            set_trace_meta(request, replayed=True)
        return self.response

    def _call_handler(self, request, *args, **kwargs):
        handler = getattr(self, request.method.lower())
        try:
            return handler(request, *args, **kwargs)
        except Exception as exc:
            return self.handle_exception(exc)

    def _run_in_transaction(self, request, *args, **kwargs):
        """A mutation runs in one transaction with its stored idempotent result; an
        error answer rolls back everything the handler wrote (no partial writes)."""

        def execute():
            savepoint = transaction.savepoint()
            response = self._call_handler(request, *args, **kwargs)
            response = self.finalize_response(request, response, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code >= 400:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
            return response

        with transaction.atomic():
            if self.idempotency_key:
                response = idempotency.run(request, self.idempotency_key, execute)
            else:
                response = execute()
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    # -- helpers for subclasses --------------------------------------------------
    @property
    def api_key(self):
        return self.request.auth

    @property
    def workspace(self):
        return self.request.auth.workspace

    def scoped(self, model):
        """The model's rows this key may see: its workspace and, where the model
        carries ``livemode``, its mode (§3)."""
        return model.objects.for_key(self.request.auth)

    def get_scoped(self, queryset, object_id: str, noun: str):
        # PostgreSQL refuses NUL in any text parameter; no id can hold one anyway.
        obj = None if "\x00" in object_id else queryset.filter(pk=object_id).first()
        if obj is None:
            self.not_found(object_id, noun)
        return obj

    def not_found(self, object_id: str, noun: str):
        raise ApiError(
            "RESOURCE_NOT_FOUND",
            f"No {noun} with id '{object_id}' exists in this workspace"
            f" ({'live' if self.request.auth.livemode else 'test'} mode).",
        )


def respond(data, status: int = 200, **kwargs) -> Response:
    return Response({"data": data}, status=status, **kwargs)


def respond_list(items: list, pagination: dict) -> Response:
    return Response({"data": items, "pagination": pagination})


class ApiView(ApiViewMixin, APIView):
    pass


class ApiViewSet(ApiViewMixin, viewsets.ViewSet):
    pass
