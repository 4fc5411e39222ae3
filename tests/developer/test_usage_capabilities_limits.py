"""§11 developer endpoints: usage, capabilities, limits."""

import datetime as dt
import json
import re

import pytest
from django.test import Client

from instantreply.core.models import RequestLog
from tests.helpers import error_of


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
