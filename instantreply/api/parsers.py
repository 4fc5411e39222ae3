import json
import math
import re

from django.conf import settings
from rest_framework import exceptions, parsers

# A \uD800-\uDFFF escape: legal JSON text, but a lone one is no Unicode character and
# can be neither stored nor echoed back in a UTF-8 response.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


# No request of this API nests deeper; the bound keeps every later recursive walk
# (validation, redaction, storage) far from Python's recursion limit.
MAX_DEPTH = 32


def _too_deep(data) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:32]} is out of range")
    return value


class StrictJSONParser(parsers.JSONParser):
    """JSON object bodies only; NaN/Infinity, out-of-range numbers, lone surrogates and
    deep nesting refused; messages say what was wrong."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
            if _SURROGATE_ESCAPE.search(text):
                json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise exceptions.ParseError(f"the body nests deeper than {MAX_DEPTH} levels.")
        except UnicodeEncodeError:
            raise exceptions.ParseError("the body holds an unpaired UTF-16 surrogate escape.")
        except UnicodeDecodeError:
            raise exceptions.ParseError("the body is not UTF-8 encoded.")
        except ValueError as exc:
            raise exceptions.ParseError(f"the body is not valid JSON ({exc}).")
        if not isinstance(data, dict):
            raise exceptions.ParseError(
                f"the body must be a JSON object, received a JSON {type(data).__name__}."
            )
        if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(data):
            raise exceptions.ParseError(f"the body nests deeper than {MAX_DEPTH} levels.")
        return data


def discard_unread_body(request) -> None:
    """Read and drop a request body that will not be processed (one over the
    1 MiB limit, whatever the answer: 413, 401…), up to OVERSIZED_BODY_DISCARD_BYTES.

    Design note: a server that answers while the client is still sending, then
    closes the socket with unread bytes in it, makes the kernel reset the
    connection, and the client usually sees "connection reset" instead of the
    answer (gunicorn's sync worker closes after every response). Draining the body
    first lets the 413 envelope arrive. The bound keeps a client from holding a
    worker for an arbitrary upload; past it the connection is closed as before."""
    django_request = getattr(request, "_request", request)
    remaining = settings.OVERSIZED_BODY_DISCARD_BYTES
    try:
        while remaining > 0:
            chunk = django_request.read(min(65_536, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
    except Exception:  # a client gone mid-body: there is nobody left to answer
        return
