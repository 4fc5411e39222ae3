"""The lean answer of the hottest list reads (GET of a list without filters), in
front of Django.

Design note: GET /v1/contacts?limit=20 is the most common request, and what its
answer needs (the key, the rate-limit count, two prepared SELECTs, the JSON, the
request log) cost less CPU than the machinery around it: Django's handler, URL
resolution, ten middleware, DRF's Request, negotiation, permission and
response objects (bench/platform_throughput.py). ``LeanList`` wraps the WSGI
application and answers the common case itself — a bodyless GET of exactly a
registered list path, with only pagination parameters, a well-formed Bearer key
that is valid, within its rate limit and holds the view's scope, from an allowed
host over a scheme that needs no redirect — with the same page function the view
calls (``register_list``), the view's renderer and headers, and the headers the
middleware would have added (run through the same middleware classes' hooks, so
they cannot drift). Everything else — no key, a bad one, 429, 403, a bad
``limit``/``order``/``cursor``, filters, any error — goes to the full Django path,
which answers it as it always has. What the lean path has already done is handed
over in the WSGI environ (``authentication.RESOLVED_KEY``), so a request is counted
against its rate limit once, whichever path answers it.

It takes this route only while MIDDLEWARE holds nothing but the middleware whose
work on a list read it accounts for (``ACCOUNTED_MIDDLEWARE``), ATOMIC_REQUESTS is
off, and the path still resolves to the registered view with the authentication,
permission and renderer classes whose work it repeats; otherwise every request
takes the full path.
"""

import logging
import time

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import resolve

from instantreply.core.ids import new_id

from . import authentication, ratelimit
from .errors import ApiError
from .filters import PAGINATION_PARAMS
from .permissions import ScopePermission, has_scope
from .renderers import ApiJSONRenderer
from .request_ids import bind_request_id, unbind_request_id
from .tracing import set_trace_meta, store_request_log

logger = logging.getLogger("instantreply.api")

# What each middleware of settings.MIDDLEWARE does on a GET under /v1: the Site*
# ones and axes step aside (API path, no lockout); TraceMiddleware's work is done
# here; Security, Common and XFrameOptions are run through their own hooks.
ACCOUNTED_MIDDLEWARE = {
    "instantreply.api.tracing.TraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "instantreply.api.middleware.SiteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "instantreply.api.middleware.SiteCsrfViewMiddleware",
    "instantreply.api.middleware.SiteAuthenticationMiddleware",
    "instantreply.api.middleware.SiteMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
}
_HOOKED = {
    "django.middleware.security.SecurityMiddleware": SecurityMiddleware,
    "django.middleware.common.CommonMiddleware": CommonMiddleware,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
}

# path → (view class, page function); filled by the apps' ready().
_registered: dict[str, tuple[type, object]] = {}


def register_list(path: str, view_class: type, page) -> None:
    """Let the lean path answer GET ``path`` without filters: ``page(request)``
    returns ``(items, pagination)`` exactly as ``view_class``'s list action builds
    them, reading only ``request.query_params``, ``request.path`` and
    ``request.auth``, and raises ApiError for anything the view would refuse."""
    _registered[path] = (view_class, page)


class _ListRequest:
    """The part of a DRF request that a page function reads."""

    __slots__ = ("query_params", "path", "auth")

    def __init__(self, query_params, path, auth):
        self.query_params = query_params
        self.path = path
        self.auth = auth


class _Plan:
    """A registered path's view, checked once against what the URLconf serves."""

    def __init__(self, path: str, view_class: type, page):
        self.page = page
        match = resolve(path)
        view_function = match.func
        actions = getattr(view_function, "actions", None) or {}
        self.usable = (
            getattr(view_function, "cls", None) is view_class
            and actions.get("get") == "list"
            and list(view_class.authentication_classes) == [authentication.ApiKeyAuthentication]
            and list(view_class.permission_classes) == [ScopePermission]
            and list(view_class.renderer_classes) == [ApiJSONRenderer]
        )
        if not self.usable:
            logger.warning("lean list path off for %s: not the view it was registered with", path)
            return
        # The headers DRF's finalize_response adds (Allow), as the view the URLconf
        # builds for this path has them.
        # (DRF's view function serves HEAD with the GET action.)
        view = view_class(**getattr(view_function, "initkwargs", {}))
        for method, action in {"head": actions["get"], **actions}.items():
            setattr(view, method, getattr(view, action))
        self.headers = dict(view.default_response_headers)
        if "Vary" in self.headers:
            self.usable = False  # patched, not set, by DRF: not repeated here
        self.scope = view_class.scope_for("GET", "list")
        self.renderer = ApiJSONRenderer()


class LeanList:
    """WSGI application: unfiltered GETs of registered lists answered here, every
    other request passed to ``django_app`` unchanged."""

    def __init__(self, django_app):
        self.django_app = django_app
        self.enabled = set(settings.MIDDLEWARE) <= ACCOUNTED_MIDDLEWARE and not any(
            db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()
        )
        self.plans: dict[str, _Plan] = {}
        if not self.enabled:
            return
        present = [path for path in settings.MIDDLEWARE if path in _HOOKED]
        # The same classes' hooks, in the order Django runs them: requests
        # outermost first, responses innermost first.
        instances = [_HOOKED[path](_never_called) for path in present]
        self.request_hooks = [m.process_request for m in instances if hasattr(m, "process_request")]
        self.response_hooks = [
            m.process_response for m in reversed(instances) if hasattr(m, "process_response")
        ]

    def _plan(self, path: str) -> _Plan | None:
        plan = self.plans.get(path)
        if plan is None:
            registered = _registered.get(path)
            if registered is None:
                return None
            plan = self.plans[path] = _Plan(path, *registered)
        return plan if plan.usable else None

    def __call__(self, environ, start_response):
        if (
            not self.enabled
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") not in _registered
            or environ.get("SCRIPT_NAME")
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")
            or "HTTP_TRANSFER_ENCODING" in environ
        ):
            return self.django_app(environ, start_response)
        parts = environ.get("HTTP_AUTHORIZATION", "").split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return self.django_app(environ, start_response)  # 401 to answer
        plan = self._plan(environ["PATH_INFO"])
        if plan is None:
            return self.django_app(environ, start_response)
        started = time.perf_counter()
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        request = WSGIRequest(environ)
        try:
            if not all(name in PAGINATION_PARAMS for name in request.GET):
                return self._full_path(environ, start_response, request)  # filters
            for hook in self.request_hooks:
                if hook(request) is not None:
                    # A redirect to https, or the like: the full path answers.
                    return self._full_path(environ, start_response, request)
        except Exception:
            # A disallowed host, a refused user agent…: the full path answers.
            return self._full_path(environ, start_response, request)
        request_id = new_id("req")
        request.request_id = request_id
        token = bind_request_id(request_id)
        try:
            try:
                response = self._answer(request, parts[1], plan)
            except Exception:
                # The database is unreachable, or the like: the full path answers
                # with the envelope.
                logger.warning("lean list path failed; full path answers", exc_info=True)
                response = None
            if response is None:
                unbind_request_id(token)
                token = None
                return self._full_path(environ, start_response, request)
            for hook in self.response_hooks:
                response = hook(request, response)
            response["X-Request-Id"] = request_id
            try:
                store_request_log(
                    request, response, b"", int((time.perf_counter() - started) * 1000)
                )
            except Exception:
                # Tracing must never turn a served request into a failure.
                logger.exception("could not store request log %s", request_id)
        finally:
            if token is not None:
                unbind_request_id(token)
        response._handler_class = WSGIHandler
        response._resource_closers.append(request.close)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    @staticmethod
    def _answer(request, raw_key: str, plan: _Plan) -> HttpResponse | None:
        """The 200 answer, or None when the full path must answer (having been told,
        through the environ, what was already checked and counted)."""
        environ = request.META
        key, state = authentication.resolve_key_and_count(raw_key)
        environ[authentication.RESOLVED_KEY] = (raw_key, key, state)
        if key is None:
            return None  # 401 (and its per-address limit)
        authentication.touch_last_used(key)
        if state is None:
            state = ratelimit.hit(key.workspace)
            environ[authentication.RESOLVED_KEY] = (raw_key, key, state)
        if not state.allowed or not has_scope(key.scopes, plan.scope):
            return None  # 429, 403
        set_trace_meta(request, api_key=key)
        try:
            items, pagination = plan.page(_ListRequest(request.GET, request.path, key))
        except ApiError:
            return None  # 422 or 400 INVALID_CURSOR, in the envelope
        renderer = plan.renderer
        body = renderer.render({"data": items, "pagination": pagination}, renderer.media_type, {})
        response = HttpResponse(body, content_type=renderer.media_type)
        # As DRF's: our renderer's output, which the request log stores as it is.
        response.accepted_renderer = renderer
        for name, value in plan.headers.items():
            response[name] = value
        for name, value in state.headers().items():
            response[name] = value
        return response

    def _full_path(self, environ, start_response, request):
        # request_started was sent for this request; Django's handler sends it again,
        # which only closes stale connections once more.
        request.close()
        return self.django_app(environ, start_response)


def _never_called(request):
    raise AssertionError("LeanList runs middleware hooks, never a view")
