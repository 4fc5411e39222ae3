"""The API's JSON renderer.

Design note: rendering a list page with the standard library's encoder cost more
CPU than the page's two SELECTs (bench/platform_throughput.py). ``orjson`` writes
the same compact UTF-8 JSON several times faster. Everything it would write
differently from DRF's ``JSONRenderer`` is left to DRF's encoder: datetimes, dates,
times and dataclasses pass through to DRF's ``default`` (so they read exactly as
before), as do the types orjson does not know (Decimal, lazy strings, QuerySets…),
and a value orjson refuses (an integer over 64 bits, a lone surrogate) or an
``indent`` asked for in the Accept header is rendered by DRF itself. U+2028 and
U+2029 are escaped, as DRF escapes them. Two differences remain, both in what a
JSON parser reads as the same number: a float's exponent is written without a
zero pad or sign (``1e-7`` for ``1e-07``; ``0.00005`` for ``5e-05``), and NaN or
Infinity, which DRF's strict encoder refuses (a 500), would be written as null.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)
_default = JSONEncoder().default
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()


def dumps(data) -> bytes:
    """``data`` as the API's compact UTF-8 JSON (what ApiJSONRenderer renders);
    TypeError for what orjson cannot write (the caller falls back to DRF)."""
    out = orjson.dumps(data, default=_default, option=_OPTIONS)
    if _LINE_SEPARATOR in out or _PARAGRAPH_SEPARATOR in out:
        out = out.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
    return out


class ApiJSONRenderer(JSONRenderer):
    """Compact UTF-8 JSON; no browsable API."""

    ensure_ascii = False
    compact = True

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                return dumps(data)
            except TypeError:  # orjson.JSONEncodeError: DRF's encoder decides
                pass
        return super().render(data, accepted_media_type, renderer_context)
