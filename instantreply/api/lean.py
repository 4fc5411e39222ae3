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
calls (``register_list``), the view's renderer and headers, the request log
(``log_values``, as TraceMiddleware builds it), and the headers the middleware
would have added: the same middleware classes' hooks run on the first request of
each shape (host, port, scheme, the trusted proxy headers, the user agent when some
are refused: all those hooks read) and their verdict is kept for that shape, as the
lean ack does (instantreply/meta/ack.py). Everything else — no key, a bad one, 429, 403, a bad
``limit``/``order``/``cursor``, filters, any error — goes to the full Django path,
which answers it as it always has. What the lean path has already done is handed
over in the WSGI environ (``authentication.RESOLVED_KEY``), so a request is counted
against its rate limit once, whichever path answers it.

It takes this route only while MIDDLEWARE holds nothing but the middleware whose
work on a list read it accounts for (``frontdoor.ACCOUNTED_MIDDLEWARE``), ATOMIC_REQUESTS is
off, and the path still resolves to the registered view with the authentication,
permission and renderer classes whose work it repeats; otherwise every request
takes the full path.
"""

import logging
import time

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponse, QueryDict
from django.http.request import HttpHeaders
from django.urls import resolve

from instantreply.core.ids import new_id

from . import authentication, ratelimit
from .errors import ApiError
from .filters import PAGINATION_PARAMS
from .frontdoor import Body, FrontDoor
from .permissions import ScopePermission, has_scope
from .renderers import ApiJSONRenderer
from .request_ids import bind_request_id, unbind_request_id
from .tracing import capture_json_text, log_values, store_log_values

logger = logging.getLogger("instantreply.api")

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


class LeanList(FrontDoor):
    """WSGI application: unfiltered GETs of registered lists answered here, every
    other request passed to ``django_app`` unchanged (instantreply/api/frontdoor.py)."""

    def __init__(self, django_app):
        super().__init__(django_app)
        self.enabled = self.enabled and not any(
            db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()
        )
        self.plans: dict[str, _Plan] = {}

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
        path = environ["PATH_INFO"]
        plan = self._plan(path)
        if plan is None:
            return self.django_app(environ, start_response)
        started = time.perf_counter()
        # As WSGIRequest.GET reads it (the environ holds the bytes as latin-1).
        query = QueryDict(get_bytes_from_wsgi(environ, "QUERY_STRING", ""))
        if not all(name in PAGINATION_PARAMS for name in query):
            return self.django_app(environ, start_response)  # filters
        verdict = self.kept_verdict(environ, lambda environ: self._verdict(environ, plan))
        if verdict is None:
            # A redirect to https, a disallowed host, a refused user agent…: the
            # full path answers.
            return self.django_app(environ, start_response)
        request_id = new_id("req")
        token = bind_request_id(request_id)
        try:
            try:
                answer = self._answer(environ, query, path, parts[1], plan)
            except Exception:
                # The database is unreachable, or the like: the full path answers
                # with the envelope (its request_started checks the connection first).
                logger.warning("lean list path failed; full path answers", exc_info=True)
                answer = None
            if answer is not None:
                body, key, state = answer
                headers = [
                    ("Content-Type", plan.renderer.media_type),
                    *plan.headers.items(),
                    *state.headers().items(),
                ]
                length = str(len(body))
                for name, value in verdict:
                    headers.append((name, length if name == "Content-Length" else value))
                headers.append(("X-Request-Id", request_id))
                self._log(request_id, path, query, environ, headers, body, key, started)
        finally:
            unbind_request_id(token)
        if answer is None:
            return self.django_app(environ, start_response)
        start_response("200 OK", headers)
        return Body(self, body)

    @staticmethod
    def _log(request_id, path, query, environ, headers, body, key, started) -> None:
        """The request log, as TraceMiddleware would store it for this answer."""
        try:
            store_log_values(
                log_values(
                    request_id=request_id,
                    method="GET",
                    path=path,
                    query=query,
                    request_headers=HttpHeaders(environ),
                    raw_body=b"",
                    status=200,
                    response_headers=dict(headers),
                    # Our renderer's output, as TraceMiddleware takes DRF's.
                    response_body=capture_json_text(body, trusted=True),
                    duration_ms=int((time.perf_counter() - started) * 1000),
                    workspace_id=key.workspace_id,
                    api_key_id=key.pk,
                )
            )
        except Exception:
            # Tracing must never turn a served request into a failure.
            logger.exception("could not store request log %s", request_id)

    def _verdict(self, environ, plan: _Plan) -> list[tuple[str, str]] | None:
        """Run the middleware's request and response hooks on this request shape, as
        Django would around the view's answer: the headers they add after the view's
        own (Content-Length standing for each answer's), or None when a hook answers
        or refuses the request. The hooks read only what ``verdict_keys`` names, so
        their verdict holds for every request of the same shape."""
        response = HttpResponse(b"{}", content_type=plan.renderer.media_type)
        for name, value in plan.headers.items():
            response[name] = value
        for name in ratelimit.RateLimitState(0, 0, 0, True, False).headers():
            response[name] = "0"
        before = list(response.items())
        response = self.hooked(environ, response)
        if response is None:
            return None
        after = list(response.items())
        if after[: len(before)] != before:
            return None  # a hook answered, or changed the view's headers: not repeated
        return after[len(before) :]

    @staticmethod
    def _answer(environ, query, path: str, raw_key: str, plan: _Plan):
        """(body, key, rate-limit state) of the 200 answer, or None when the full
        path must answer (having been told, through the environ, what was already
        checked and counted)."""
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
        try:
            items, pagination = plan.page(_ListRequest(query, path, key))
        except ApiError:
            return None  # 422 or 400 INVALID_CURSOR, in the envelope
        renderer = plan.renderer
        body = renderer.render({"data": items, "pagination": pagination}, renderer.media_type, {})
        return body, key, state
