"""Every v1 operation with its declared scope, read from the URL router itself —
the same declarations the permission class enforces (§11 capabilities)."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.urls import URLPattern, URLResolver, get_resolver

from instantreply.api.permissions import describe_scope


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    scope: object

    @property
    def scope_text(self):
        return describe_scope(self.scope)


def _clean(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r":\1", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r":\1", route)
    return "/" + route.replace("\\", "")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


@lru_cache(maxsize=1)
def endpoints() -> tuple[Endpoint, ...]:
    out = []
    for route, callback in _walk(get_resolver().url_patterns):
        path = _clean(route).replace(":pk", ":id")
        if not path.startswith("/v1/"):
            continue
        cls = getattr(callback, "cls", None)
        if cls is None or not hasattr(cls, "scope_for"):
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            pairs = [(m.upper(), a) for m, a in actions.items() if m != "head"]
        else:
            pairs = [
                (m.upper(), None) for m in ("get", "post", "patch", "delete") if hasattr(cls, m)
            ]
        for method, action in pairs:
            out.append(Endpoint(method, path, cls.scope_for(method, action)))
    return tuple(sorted(out, key=lambda e: (e.path, e.method)))
