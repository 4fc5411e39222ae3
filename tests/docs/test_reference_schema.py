"""The reference is written for the people who call the API (issue 12 part 2):
every operation has a summary, a description saying what it does, the scope it
needs and how retries behave; realistic examples for its request and answers;
its error responses with the envelope; and no internal wording anywhere."""

import copy
import re

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api_edges.test_schema_conformance import _json_schema

pytestmark = pytest.mark.django_db

# What maintainers write for each other and readers of the reference should never see.
INTERNAL = re.compile(
    r"serializer|§|``|\bDeclare\b|docstring|builds it fast|ViewSet|ApiView|"
    r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:Serializer|View|Mixin|Filter)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def strings(node, where="$"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "$ref":
                yield from strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{where}[{i}]")
    elif isinstance(node, str):
        yield where, node


def test_every_operation_has_a_summary_and_a_description_of_its_own(openapi):
    missing = []
    for name, _, operation in operations(openapi):
        summary = operation.get("summary", "")
        # The scope and retry notes are added to every operation; a description of
        # its own comes before them.
        own = operation.get("description", "").split("**Scope:**")[0].strip()
        if not summary or len(own) < 40:
            missing.append(name)
    assert missing == []


def test_no_internal_wording_anywhere_in_the_schema(openapi):
    found = [(where, text) for where, text in strings(openapi) if INTERNAL.search(text)]
    assert found == []


def test_every_operation_shows_realistic_examples_that_match_its_schema(openapi):
    components = _json_schema(copy.deepcopy(openapi["components"]))
    checked = 0
    for name, _, operation in operations(openapi):
        bodies = []
        request = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if request is not None:
            bodies.append(("request", request))
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json")
            if media is not None:
                bodies.append((status, media))
        assert any(s.startswith("2") for s, _ in bodies), name
        for label, media in bodies:
            assert "example" in media, (name, label)
            schema = {"components": components, **_json_schema(copy.deepcopy(media["schema"]))}
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(media["example"]))
            assert errors == [], (name, label, [e.message for e in errors[:3]])
            checked += 1
    assert checked >= 42 * 5  # a success and at least four errors per operation


def test_every_error_response_is_the_envelope_with_its_own_code(openapi):
    for name, method, operation in operations(openapi):
        errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
        assert {"401", "429"} <= set(errors), name
        if method in ("post", "patch", "delete"):
            assert {"400", "409", "413", "415", "422"} <= set(errors), name
        if "{" in name:
            assert "404" in errors, name
        for status, response in errors.items():
            media = response["content"]["application/json"]
            assert media["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}, name
            example = media["example"]["error"]
            assert example["doc_url"].endswith(f"/errors#{example['code']}")
            assert response["description"], (name, status)


def test_scopes_and_retries_are_stated_from_the_views_own_declarations(openapi):
    post = openapi["paths"]["/v1/conversations/{id}/messages"]["post"]
    assert "**Scope:** `messages:write`." in post["description"]
    assert "Idempotency-Key" in post["description"]
    listing = openapi["paths"]["/v1/contacts"]["get"]
    assert "**Scope:** `contacts:read`" in listing["description"]
    assert "safe to retry" in listing["description"]


def test_the_template_components_example_is_a_real_template(openapi):
    create = openapi["paths"]["/v1/templates"]["post"]
    example = create["requestBody"]["content"]["application/json"]["example"]
    assert example["components"][0]["type"] == "body"
    assert "{{1}}" in example["components"][0]["text"]
    assert "additionalProp1" not in str(openapi)
