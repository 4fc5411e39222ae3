"""§12 manage.py commands: JSON output, mistakes as errors, retention purge."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from instantreply.core.models import ApiKey, RequestLog, Workspace
from tests.helpers import ApiClient


def run_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    text = out.getvalue().strip()
    value = json.loads(text)  # the whole output is exactly one JSON document…
    assert isinstance(value, dict) and "id" in value  # …and it is an object with an id
    return value


def test_commands_print_exactly_one_json_object(db):
    workspace = run_json("create_workspace", "--name", "Ops Co", "--tier", "starter")
    assert Workspace.objects.get(pk=workspace["id"]).tier == "starter"
    created = run_json(
        "create_api_key",
        "--workspace",
        workspace["id"],
        "--scopes",
        "contacts:read,channels:read",
        "--mode",
        "test",
    )
    assert created["key"].startswith("ir_test_")
    key = ApiKey.objects.get(pk=created["id"])
    assert key.scopes == ["contacts:read", "channels:read"] and created["key"] not in key.hashed_key
    assert ApiClient(created["key"]).get("/v1/contacts").status_code == 200
    agent = run_json(
        "create_agent",
        "--workspace",
        workspace["id"],
        "--email",
        "Ann@Example.com",
        "--name",
        "Ann",
    )
    assert agent["id"].startswith("agt_")
    revoked = run_json("revoke_api_key", created["id"])
    assert revoked["id"] == created["id"] and revoked["revoked_at"]
    assert ApiClient(created["key"]).get("/v1/contacts").status_code == 401
    purge = run_json("purge_expired")
    assert {"idempotency_keys", "request_logs", "downstream_calls"} <= set(purge)


@pytest.mark.parametrize(
    "args",
    [
        ("create_workspace", "--name", "X", "--tier", "platinum"),
        ("create_api_key", "--workspace", "ws_nope"),
        ("revoke_api_key", "key_nope"),
        ("trace", "req_nope"),
    ],
)
def test_command_mistakes_are_errors_not_tracebacks(db, args):
    with pytest.raises(CommandError):
        call_command(*args, "--json", stdout=io.StringIO())


def test_create_api_key_refuses_unknown_scopes(workspace):
    with pytest.raises(CommandError, match="unknown scopes"):
        call_command(
            "create_api_key",
            "--workspace",
            workspace.id,
            "--scopes",
            "contacts:delete",
            stdout=io.StringIO(),
        )


def test_purge_expired_keeps_recent_logs_and_drops_old_ones(api_client, workspace):
    recent = api_client.get("/v1/contacts")["X-Request-Id"]
    old_get = api_client.get("/v1/contacts")["X-Request-Id"]
    old_patch = api_client.patch("/v1/contacts/cont_00000000000000000000000000000000", {})[
        "X-Request-Id"
    ]
    RequestLog.objects.filter(pk=old_get).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    from instantreply.core.timeutil import now

    RequestLog.objects.filter(pk=old_patch).update(created_at=now() - dt.timedelta(days=8))
    result = run_json("purge_expired")
    assert result["request_logs"] == 1
    remaining = set(RequestLog.objects.values_list("id", flat=True))
    assert recent in remaining and old_patch in remaining and old_get not in remaining
