"""What /v1/openapi.json promises is what the API answers: every documented operation
lists the errors it can give, and real responses (both modes, success and error)
validate against the documented schema. Schemathesis found these gaps; this is the
fast, deterministic check of the same property."""

import copy

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api_edges.conftest import ALL_ROUTES, send

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _operations(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_list_operations_document_the_envelope_not_a_bare_array(openapi):
    lists = 0
    for path, method, operation in _operations(openapi):
        schema = operation["responses"].get("200", {}).get("content", {})
        schema = schema.get("application/json", {}).get("schema", {})
        assert schema.get("type") != "array", (method, path)
        if schema.get("$ref", "").endswith("List"):
            lists += 1
    assert lists >= 10


def test_every_operation_documents_the_errors_any_call_can_get(openapi):
    for path, method, operation in _operations(openapi):
        documented = set(operation["responses"])
        assert {"401", "429"} <= documented, (method, path)
        if "**Scope:** any valid key." not in operation["description"]:
            assert "403" in documented, (method, path)  # INSUFFICIENT_SCOPE
        if method in ("post", "patch", "delete"):
            assert {"400", "409", "413", "415", "422"} <= documented, (method, path)


def _validator(openapi, path, method, status):
    responses = openapi["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered undocumented {status}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    root = {"components": _json_schema(copy.deepcopy(openapi["components"]))}
    root.update(_json_schema(schema))
    return jsonschema.Draft202012Validator(root)


def _template_path(route) -> str:
    return route.path.replace("{id}", "{" + _param(route) + "}")


def _param(route) -> str:
    if route.path.startswith("/v1/trigger/status"):
        return "trigger_id"
    if route.path.startswith("/v1/developer/requests"):
        return "request_id"
    if route.path.startswith("/v1/developer/troubleshooting"):
        return "code"
    return "id"


READS = [r for r in ALL_ROUTES if r.method == "GET"]


@pytest.mark.parametrize("route", READS, ids=str)
@pytest.mark.parametrize("mode", ["live", "test"])
def test_read_responses_match_the_documented_schema(
    openapi, api_client, test_client, world, route, mode
):
    client = api_client if mode == "live" else test_client
    response = send(client, "GET", route.url(world[mode]))
    assert response.status_code == 200, response.content
    validator = _validator(openapi, _template_path(route), "get", 200)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, errors[:5]


@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_error_responses_match_the_documented_schema(openapi, api_client, world, route):
    # A not-found id for object routes, an invalid limit / bad JSON for the rest.
    if route.noun:
        url = route.url(world["live"], "zz_unknown")
        body = route.body
    else:
        url = route.path + ("?limit=0" if route.method == "GET" else "")
        body = "[1]"
    if route.method == "GET" or route.noun:
        response = send(api_client, route.method, url, body)
    else:
        response = getattr(api_client, route.method.lower())(url, body)
    if response.status_code == 200:
        # No limit to get wrong here: a bad key's 401 is the documented error to check.
        response = api_client.client.get(url, headers={"Authorization": "Bearer ir_live_x"})
        assert response.status_code == 401
    validator = _validator(
        openapi, _template_path(route), route.method.lower(), response.status_code
    )
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert not errors, errors[:5]


def test_the_conformance_check_is_not_vacuous(openapi):
    validator = _validator(openapi, "/v1/conversations/{id}", "get", 200)
    assert list(validator.iter_errors({"data": {"id": 1, "status": None}}))
    assert list(validator.iter_errors({"data": []}))


def _success_cases(objects):
    """(method, documented path, url, body, status) for every mutation's happy path."""
    o = objects
    return [
        ("patch", "/v1/contacts/{id}", f"/v1/contacts/{o['contact']}", {"name": "B"}, 200),
        (
            "patch",
            "/v1/conversations/{id}",
            f"/v1/conversations/{o['conversation']}",
            {"tags": ["a"]},
            200,
        ),
        (
            "post",
            "/v1/conversations/{id}/read",
            f"/v1/conversations/{o['conversation']}/read",
            None,
            200,
        ),
        (
            "post",
            "/v1/conversations/{id}/messages",
            f"/v1/conversations/{o['conversation']}/messages",
            {"text": "Hi"},
            202,
        ),
        (
            "patch",
            "/v1/templates/{id}",
            f"/v1/templates/{o['draft']}",
            {"category": "marketing"},
            200,
        ),
        ("post", "/v1/templates/{id}/validate", f"/v1/templates/{o['draft']}/validate", None, 200),
        ("post", "/v1/templates/{id}/submit", f"/v1/templates/{o['draft']}/submit", None, 202),
        (
            "post",
            "/v1/templates",
            "/v1/templates",
            {
                "channel_id": o["channel"],
                "name": "h6_schema",
                "language": "en_US",
                "category": "utility",
                "components": [{"type": "body", "text": "Hello {{1}}, all set."}],
                "examples": ["Ana"],
            },
            201,
        ),
        (
            "post",
            "/v1/trigger",
            "/v1/trigger",
            {
                "channel_id": o["channel"],
                "phone": "+14155550166",
                "template_id": o["approved"],
                "variables": ["#1"],
                "metadata": {"order": {"id": 7}},
            },
            202,
        ),
        (
            "post",
            "/v1/webhooks",
            "/v1/webhooks",
            {"url": "http://127.0.0.1:18799/x", "events": ["*"]},
            201,
        ),
        ("patch", "/v1/webhooks/{id}", f"/v1/webhooks/{o['webhook']}", {"description": "d"}, 200),
        (
            "post",
            "/v1/webhooks/{id}/deliveries",
            f"/v1/webhooks/{o['webhook']}/deliveries",
            {"event_id": o["event"]},
            202,
        ),
        (
            "post",
            "/v1/webhooks/{id}/rotate_secret",
            f"/v1/webhooks/{o['webhook']}/rotate_secret",
            None,
            200,
        ),
        ("post", "/v1/webhooks/{id}/test", f"/v1/webhooks/{o['webhook']}/test", None, 202),
        ("delete", "/v1/webhooks/{id}", f"/v1/webhooks/{o['webhook']}", None, 200),
    ]


@pytest.mark.parametrize("mode", ["live", "test"])
def test_mutation_responses_match_the_documented_schema(
    openapi, api_client, test_client, world, mode
):
    client = api_client if mode == "live" else test_client
    cases = _success_cases(world[mode])
    if mode == "test":
        body = {
            "channel_id": world["test"]["channel"],
            "from": {"external_id": "1555"},
            "text": "hi",
        }
        cases.append(
            ("post", "/v1/developer/simulate/inbound", "/v1/developer/simulate/inbound", body, 202)
        )
    for method, documented, url, body, status in cases:
        response = getattr(client, method)(url, body)
        assert response.status_code == status, (method, url, response.content)
        validator = _validator(openapi, documented, method, status)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(response.json())]
        assert not errors, (method, url, errors[:5])
