"""Writes on platform objects; management commands and admin call these."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .keys import ALL_SCOPES, generate_key, key_changed
from .models import Agent, ApiKey, Workspace
from .timeutil import now


class ServiceError(ValueError):
    """Invalid operator input (commands print it)."""


def workspace_create(*, name: str, tier: str = "free") -> Workspace:
    if tier not in ("free", "starter", "growth", "scale"):
        raise ServiceError(f"tier must be free, starter, growth or scale; got '{tier}'")
    if not name.strip():
        raise ServiceError("name must not be empty")
    return Workspace.objects.create(name=name.strip(), tier=tier)


def agent_create(*, workspace: Workspace, email: str, name: str) -> Agent:
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(f"'{email}' is not a valid email address")
    if Agent.objects.filter(workspace=workspace, email__iexact=email).exists():
        raise ServiceError(f"an agent with email {email} already exists in {workspace.id}")
    return Agent.objects.create(workspace=workspace, email=email.lower(), name=name.strip())


def parse_scopes(raw: str | list[str]) -> list[str]:
    scopes = raw if isinstance(raw, list) else [s.strip() for s in raw.split(",") if s.strip()]
    if not scopes:
        raise ServiceError("at least one scope is needed ('*' for all)")
    unknown = [s for s in scopes if s != "*" and s not in ALL_SCOPES]
    if unknown:
        raise ServiceError(
            f"unknown scopes: {', '.join(unknown)}; known: *, {', '.join(ALL_SCOPES)}"
        )
    return ["*"] if "*" in scopes else scopes


@transaction.atomic
def api_key_create(
    *, workspace: Workspace, name: str = "Default key", scopes=("*",), mode: str = "live"
) -> tuple[ApiKey, str]:
    """Returns the key and its raw value — the only time the raw value exists."""
    if mode not in ("live", "test"):
        raise ServiceError(f"mode must be live or test; got '{mode}'")
    raw, prefix, hashed = generate_key(mode)
    key = ApiKey.objects.create(
        workspace=workspace,
        name=name,
        mode=mode,
        prefix=prefix,
        hashed_key=hashed,
        scopes=parse_scopes(list(scopes)),
    )
    return key, raw


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now())
        key.refresh_from_db()
    key_changed.send(sender=ApiKey, key=key)
    return key
