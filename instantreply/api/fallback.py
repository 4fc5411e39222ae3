"""Answers for what no view handles: unknown /v1 and /meta routes, Django's own
404/500, and the documentation's static assets (served by the app in every mode)."""

import logging

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponseNotFound, HttpResponseServerError
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve

from .errors import json_error

logger = logging.getLogger("instantreply.api")

_API_PREFIXES = ("/v1", "/meta")


def _is_api(request) -> bool:
    return request.path.startswith(_API_PREFIXES)


@csrf_exempt  # an unknown POST /v1/... path answers 404 in the envelope, not a CSRF page
def route_not_found(request, *args, **kwargs):
    return json_error(
        request,
        "ROUTE_NOT_FOUND",
        f"No endpoint matches {request.method} {request.path}. Paths have no trailing slash; "
        "see /docs for the list.",
    )


def handler404(request, exception=None):
    if _is_api(request):
        return route_not_found(request)
    return HttpResponseNotFound("<h1>Not found</h1>")


def handler500(request):
    if _is_api(request):
        return json_error(
            request,
            "INTERNAL_ERROR",
            "Something went wrong on our side; it has been logged with the request id.",
        )
    return HttpResponseServerError("<h1>Server error</h1>")


def serve_static(request, path):
    """Static files (the sidecar's Swagger UI, admin CSS) straight from the
    installed packages, so /docs works with DEBUG off and no collectstatic."""
    found = finders.find(path)
    if not found:
        raise Http404(path)
    document_root = found[: -len(path)] if found.endswith(path) else None
    if document_root is None:
        raise Http404(path)
    return serve(request, path, document_root=document_root)
