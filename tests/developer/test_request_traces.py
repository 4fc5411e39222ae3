"""§7/§11 request traces for developers: GET /v1/developer/requests/:id and
manage.py trace."""

import io
import json

from django.core.management import call_command

from instantreply.api.tracing import REDACTED
from tests.helpers import ApiClient, error_of, request_with_downstream_calls


def test_the_trace_endpoint_shape(api_client):
    first = api_client.get("/v1/contacts", {"limit": 5})
    trace = api_client.get(f"/v1/developer/requests/{first['X-Request-Id']}")
    assert trace.status_code == 200
    data = trace.json()["data"]
    assert set(data) == {
        "id",
        "method",
        "path",
        "query",
        "status",
        "duration_ms",
        "api_key_id",
        "idempotency_key",
        "replayed",
        "created_at",
        "request",
        "response",
        "downstream_calls",
    }
    assert data["query"] == {"limit": "5"} and data["idempotency_key"] is None
    assert data["request"]["headers"]["Authorization"] == f"Bearer {REDACTED}"
    assert data["response"]["body"] == first.json()
    assert data["downstream_calls"] == []


def test_a_key_reads_its_own_traces_and_a_star_key_those_of_its_workspace(
    workspace, make_key, other_client
):
    _, star = make_key(workspace, scopes=["*"])
    _, narrow = make_key(workspace, scopes=["contacts:read"])
    _, narrow2 = make_key(workspace, scopes=["contacts:read"])
    narrow_request = ApiClient(narrow).get("/v1/contacts")["X-Request-Id"]
    star_request = ApiClient(star).get("/v1/contacts")["X-Request-Id"]
    path = "/v1/developer/requests/{}"
    assert ApiClient(narrow).get(path.format(narrow_request)).status_code == 200
    assert ApiClient(star).get(path.format(narrow_request)).status_code == 200
    for client, request_id in (
        (ApiClient(narrow), star_request),
        (ApiClient(narrow2), narrow_request),
        (other_client, narrow_request),
        (other_client, star_request),
    ):
        response = client.get(path.format(request_id))
        assert response.status_code == 404
        assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_a_star_key_reads_no_trace_of_the_other_mode(workspace, make_key):
    # Issue 10 item 1: a test * key read live traces (with their response bodies),
    # and a live key test ones. Each is "not found", worded as an unknown id.
    _, live_star = make_key(workspace, scopes=["*"], mode="live")
    _, test_star = make_key(workspace, scopes=["*"], mode="test")
    live_request = ApiClient(live_star).get("/v1/contacts")["X-Request-Id"]
    test_request = ApiClient(test_star).get("/v1/contacts")["X-Request-Id"]
    path = "/v1/developer/requests/{}"
    assert ApiClient(live_star).get(path.format(live_request)).status_code == 200
    assert ApiClient(test_star).get(path.format(test_request)).status_code == 200
    for client, request_id, mode in (
        (ApiClient(test_star), live_request, "test"),
        (ApiClient(live_star), test_request, "live"),
    ):
        response = client.get(path.format(request_id))
        assert response.status_code == 404
        unknown = client.get(path.format("req_" + "0" * 32))
        assert error_of(response)["code"] == error_of(unknown)["code"] == "RESOURCE_NOT_FOUND"
        assert error_of(response)["message"] == (
            f"No request trace with id '{request_id}' exists in this workspace ({mode} mode)."
        )
        assert error_of(unknown)["message"] == error_of(response)["message"].replace(
            request_id, "req_" + "0" * 32
        )


def test_manage_py_trace(api_client):
    request_id = request_with_downstream_calls(api_client)
    out = io.StringIO()
    call_command("trace", request_id, stdout=out)
    text = out.getvalue()
    assert request_id in text and "GET /v1/contacts" in text
    assert text.index("graph.example/first") < text.index("hooks.example/second")
    assert "tok-admin" not in text and api_client.key not in text
    out = io.StringIO()
    call_command("trace", request_id, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["id"] == request_id and len(data["downstream_calls"]) == 2
