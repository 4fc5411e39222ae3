"""§11 developer endpoints (usage, capabilities, limits) and §12 commands."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from instantreply.core.models import ApiKey, RequestLog, Workspace
from tests.helpers import ApiClient, error_of


def openapi_operations() -> set[tuple[str, str]]:
    schema = json.loads(Client().get("/v1/openapi.json").content)
    ops = set()
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "patch", "delete", "put"):
                ops.add((method.upper(), re.sub(r"\{(\w+)\}", r":\1", path)))
    return ops


def test_capabilities_list_every_v1_operation(api_client, api_key):
    data = api_client.get("/v1/developer/capabilities").json()["data"]
    listed = {(e["method"], e["path"]) for e in data["endpoints"]}
    documented = {op for op in openapi_operations() if op[1].startswith("/v1/")}
    assert documented - {("GET", "/v1/openapi.json")} <= listed
    assert {
        ("GET", "/v1/contacts"),
        ("PATCH", "/v1/contacts/:id"),
        ("GET", "/v1/channels"),
    } <= listed
    assert all(e["allowed"] for e in data["endpoints"])  # a * key
    key = api_key[0]
    assert data["key"] == {
        "id": key.id,
        "name": key.name,
        "prefix": key.display_prefix,
        "mode": "live",
        "created_at": data["key"]["created_at"],
        "last_used_at": data["key"]["last_used_at"],
    }
    assert data["key"]["last_used_at"] is not None and "hashed" not in json.dumps(data)
    assert data["scopes"] == ["*"] and data["tier"] == "growth"
    assert set(data["features"]) == {
        "whatsapp",
        "instagram",
        "messenger",
        "templates",
        "webhooks",
        "analytics",
    }


def test_capabilities_flags_follow_the_scopes_the_views_enforce(client_with_scopes, make_contact):
    client = client_with_scopes("contacts:read")
    endpoints = {
        (e["method"], e["path"]): e
        for e in client.get("/v1/developer/capabilities").json()["data"]["endpoints"]
    }
    assert endpoints[("GET", "/v1/contacts")] == {
        "method": "GET",
        "path": "/v1/contacts",
        "scope": "contacts:read",
        "allowed": True,
    }
    assert endpoints[("PATCH", "/v1/contacts/:id")]["scope"] == "contacts:write"
    assert endpoints[("PATCH", "/v1/contacts/:id")]["allowed"] is False
    assert endpoints[("GET", "/v1/usage")] == {
        "method": "GET",
        "path": "/v1/usage",
        "scope": None,
        "allowed": True,
    }
    # Each flag is what the endpoint really answers (no 403 ⇔ allowed).
    contact = make_contact()
    for (method, path), endpoint in endpoints.items():
        if method != "GET" or ":" in path:
            continue
        status = client.get(path).status_code
        assert (status != 403) == endpoint["allowed"], (path, status)
    assert client.patch(f"/v1/contacts/{contact.id}", {"name": "x"}).status_code == 403


def test_limits(api_client, settings):
    data = api_client.get("/v1/developer/limits").json()["data"]
    assert data["tier"] == "growth"
    assert data["rate_limit"] == {"requests_per_minute": 1200}
    assert data["quotas"] == {"webhook_endpoints": 20, "outbound_messages_per_day": 20_000}
    assert data["pagination"] == {"default_limit": 20, "max_limit": 100}
    assert data["idempotency"] == {"retention_hours": 24, "max_key_length": 255}
    assert set(data["webhooks"]) == {"timeout_seconds", "max_attempts", "retry_schedule_seconds"}


def test_usage_counts_requests_per_day_with_zeros(api_client, workspace):
    for _ in range(3):
        api_client.get("/v1/contacts")
    old = RequestLog.objects.filter(workspace=workspace).first()
    RequestLog.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=2))
    data = api_client.get("/v1/usage", {"days": 7}).json()["data"]
    assert data["tier"] == "growth"
    by_day = data["requests"]["by_day"]
    assert len(by_day) == 7 and by_day[-1]["date"] == data["period"]["end"]
    assert by_day[0]["date"] == data["period"]["start"]
    assert [d["count"] for d in by_day] == [0, 0, 0, 0, 1, 0, 2]
    assert data["requests"]["today"] == 2 and data["requests"]["this_period"] == 3
    assert set(data["messages"]) == {"sent_today", "daily_quota"}
    assert data["messages"]["daily_quota"] == 20_000


def test_usage_is_per_workspace(api_client, other_client):
    for _ in range(4):
        other_client.get("/v1/contacts")
    assert api_client.get("/v1/usage").json()["data"]["requests"]["this_period"] == 0


@pytest.mark.parametrize("days", ["0", "91", "x", "-3"])
def test_usage_days_must_be_1_to_90(api_client, days):
    response = api_client.get("/v1/usage", {"days": days})
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "days"


# -- manage.py ----------------------------------------------------------------


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
