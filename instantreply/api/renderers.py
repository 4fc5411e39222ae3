from rest_framework.renderers import JSONRenderer


class ApiJSONRenderer(JSONRenderer):
    """Compact UTF-8 JSON; no browsable API."""

    ensure_ascii = False
    compact = True
