"""Scopes (§3). Views declare ``required_scope`` (reads) and ``write_scope``
(everything else); ``action_scopes`` overrides per action. The same declarations
feed /v1/developer/capabilities."""

from rest_framework import permissions


def has_scope(granted: list[str], needed: str | tuple[str, ...] | None) -> bool:
    """``needed`` may be one scope or a tuple of alternatives; None = any valid key."""
    if needed is None or "*" in granted:
        return True
    options = needed if isinstance(needed, tuple) else (needed,)
    for scope in options:
        if scope in granted:
            return True
        if scope.endswith(":read") and scope[: -len(":read")] + ":write" in granted:
            return True
    return False


def describe_scope(needed) -> str | None:
    if needed is None:
        return None
    return " or ".join(needed) if isinstance(needed, tuple) else needed


class ScopePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        needed = view.scope_for(request.method, getattr(view, "action", None))
        if has_scope(request.auth.scopes, needed):
            return True
        self.message = (
            f"{request.method} {request.path} needs the scope '{describe_scope(needed)}'; "
            f"this key has: {', '.join(request.auth.scopes) or 'no scopes'}."
        )
        return False
