from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import health
from .api import fallback

urlpatterns = [
    path("v1/", include("instantreply.api_urls")),
    path("v1/openapi.json", SpectacularAPIView.as_view(), name="openapi"),
    path("docs", SpectacularSwaggerView.as_view(url_name="openapi"), name="docs"),
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.*)$", fallback.serve_static),
    re_path(r"^(?:v1|meta)(?:/.*)?$", fallback.route_not_found),
]

handler404 = "instantreply.api.fallback.handler404"
handler500 = "instantreply.api.fallback.handler500"
