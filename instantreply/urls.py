from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularJSONAPIView

from developer.docs import views as docs

from . import health
from .api import fallback
from .meta import views as meta_views

urlpatterns = [
    path("v1/", include("instantreply.api_urls")),
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs", docs.ReferenceView.as_view(), name="docs"),
    # The root and the slash-ended docs URL people type lead to the reference.
    path("", RedirectView.as_view(url="/docs")),
    path("docs/", RedirectView.as_view(url="/docs")),
    path("docs/getting-started", docs.getting_started, name="docs-getting-started"),
    path("docs/errors", docs.errors_page, name="docs-errors"),
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("admin/", admin.site.urls),
    path("meta/webhook", meta_views.webhook, name="meta-webhook"),
    re_path(r"^static/(?P<path>.*)$", fallback.serve_static),
    # [\s\S], not ".": a path holding an encoded newline (%0A) is still an API path.
    re_path(r"^(?:v1|meta)(?:/[\s\S]*)?$", fallback.route_not_found),
]

handler404 = "instantreply.api.fallback.handler404"
handler500 = "instantreply.api.fallback.handler500"
