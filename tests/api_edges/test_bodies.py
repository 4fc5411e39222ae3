"""Whatever a client puts in a body, the answer is a 4xx in the §2 envelope: JSON the
database cannot store (lone surrogates, NUL, infinite numbers), bodies nested past
any sane depth, wrong JSON types, bodies of the wrong media type."""

import json

import pytest

from tests.api_edges.conftest import MUTATIONS, send
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


def _raw(client, route, objects, text, content_type="application/json"):
    method = getattr(client, route.method.lower())
    return method(route.url(objects), text, content_type=content_type)


UNFAITHFUL = [
    ('{"text": "\\ud800"}', "a lone high surrogate"),
    ('{"name": "x\\udfff"}', "a lone low surrogate"),
    ('{"\\udc00": 1}', "a lone surrogate in a key"),
    ('{"metadata": {"n": 1e400}}', "a number beyond a double"),
    ('{"variables": [-1e999]}', "a negative number beyond a double"),
    ('{"metadata": ' + "[" * 40 + "]" * 40 + "}", "nesting past 32 levels"),
    ('{"metadata": ' + "[" * 5000 + "]" * 5000 + "}", "nesting past the recursion limit"),
    ('{"text": NaN}', "NaN"),
    ("[]", "an array"),
    ('"text"', "a string"),
    ("{", "truncated JSON"),
]


@pytest.mark.parametrize("route", MUTATIONS, ids=str)
def test_bodies_json_cannot_carry_faithfully_are_invalid_json(
    api_client, test_client, world, route
):
    client = test_client if "simulate" in route.path else api_client
    objects = world["test" if client is test_client else "live"]
    for text, why in UNFAITHFUL:
        response = _raw(client, route, objects, text)
        assert response.status_code == 400, (why, response.content)
        assert error_of(response)["code"] == "INVALID_JSON"


@pytest.mark.parametrize("route", MUTATIONS, ids=str)
def test_a_body_over_one_mebibyte_is_too_large(api_client, world, route):
    text = '{"a": "' + "x" * (1024 * 1024 - 8) + '"}'
    assert len(text.encode()) == 1024 * 1024 + 1
    response = _raw(api_client, route, world["live"], text)
    assert response.status_code == 413, response.content[:300]
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("route", MUTATIONS, ids=str)
def test_an_empty_body_is_never_a_server_error(api_client, test_client, world, route):
    client = test_client if "simulate" in route.path else api_client
    objects = world["test" if client is test_client else "live"]
    for content_type in ("application/json", ""):
        response = _raw(client, route, objects, "", content_type)
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert error_of(response)["code"] in ("VALIDATION_ERROR", "TEMPLATE_NOT_EDITABLE")


def test_paired_surrogate_escapes_are_ordinary_characters(api_client, world):
    response = api_client.patch(
        f"/v1/contacts/{world['live']['contact']}", '{"name": "Ana \\ud83c\\udf89"}'
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["name"] == "Ana \U0001f389"


@pytest.mark.parametrize("route", MUTATIONS, ids=str)
def test_a_body_of_another_media_type_is_unsupported(api_client, world, route):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = _raw(api_client, route, world["live"], '{"a": 1}', content_type)
        assert response.status_code == 415, (content_type, response.content)
        assert error_of(response)["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("route", [r for r in MUTATIONS if r.body is not None], ids=str)
def test_charset_and_case_of_the_media_type_are_accepted(api_client, world, route):
    for content_type in ("application/json; charset=utf-8", "Application/JSON"):
        response = _raw(api_client, route, world["live"], json.dumps(route.body), content_type)
        assert response.status_code == route.answer, (content_type, response.content)


def _template(world, mode="live"):
    return {
        "channel_id": world[mode]["channel"],
        "name": "h6_new",
        "language": "en_US",
        "category": "utility",
        "components": [{"type": "body", "text": "Hi {{1}}, your order is ready."}],
        "examples": ["Ana"],
    }


def _template_edit(world, mode="live"):
    body = _template(world, mode)
    del body["channel_id"]
    return body


def _trigger(world, mode="live"):
    return {
        "channel_id": world[mode]["channel"],
        "phone": "+14155550199",
        "template_id": world[mode]["approved"],
        "variables": ["#1"],
    }


def _reply(world, mode="live"):
    return {"template": {"id": world[mode]["approved"], "variables": ["#1"]}}


def _simulate(world, mode="test"):
    return {"channel_id": world[mode]["channel"], "from": {"external_id": "1555"}, "text": "hi"}


# (method, path template, base body builder, field path, bad value, mode)
NUL_CASES = [
    ("POST", "/v1/templates", _template, ("components", 0, "text"), "Hi {{1}} a\x00b", "live"),
    ("POST", "/v1/templates", _template, ("examples", 0), "A\x00", "live"),
    ("PATCH", "/v1/templates/{draft}", _template_edit, ("examples",), ["\x00"], "live"),
    (
        "PATCH",
        "/v1/templates/{draft}",
        _template_edit,
        ("components", 0, "text"),
        "{{1}}\x00 x",
        "live",
    ),
    ("POST", "/v1/trigger", _trigger, ("metadata",), {"order": "a\x00"}, "live"),
    ("POST", "/v1/trigger", _trigger, ("metadata",), {"k\x00": 1}, "live"),
    ("POST", "/v1/trigger", _trigger, ("metadata",), {"deep": [{"x": "\x00"}]}, "test"),
    ("POST", "/v1/trigger", _trigger, ("variables", 0), "\x00", "live"),
    ("POST", "/v1/conversations/{conversation}/messages", _reply, ("text",), "a\x00", "live"),
    ("POST", "/v1/developer/simulate/inbound", _simulate, ("text",), "\x00", "test"),
]


def _with(body: dict, path: tuple, value) -> dict:
    body = json.loads(json.dumps(body))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    "method, path, build, field, value, mode", NUL_CASES, ids=lambda v: str(v)[:30]
)
def test_nul_characters_postgres_cannot_store_are_a_validation_error(
    api_client, test_client, world, method, path, build, field, value, mode
):
    client = api_client if mode == "live" else test_client
    body = _with(build(world, mode), field, value)
    if field[0] == "text" and "template" in body:
        body = {"text": value}
    response = send(client, method, path.format(**world[mode]), body)
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] and all(d["field"] for d in error["details"])


# Every string field of the bodies this helper owns: a number, a boolean, a list or an
# object where a string belongs is 422, never silently converted.
STRING_FIELDS = [
    ("POST", "/v1/templates", _template, ("channel_id",), "live"),
    ("POST", "/v1/templates", _template, ("name",), "live"),
    ("POST", "/v1/templates", _template, ("language",), "live"),
    ("PATCH", "/v1/templates/{draft}", _template_edit, ("name",), "live"),
    ("POST", "/v1/trigger", _trigger, ("channel_id",), "live"),
    ("POST", "/v1/trigger", _trigger, ("phone",), "live"),
    ("POST", "/v1/trigger", _trigger, ("template_id",), "live"),
    ("POST", "/v1/trigger", _trigger, ("variables", 0), "live"),
    ("POST", "/v1/conversations/{conversation}/messages", _reply, ("template", "id"), "live"),
    (
        "POST",
        "/v1/conversations/{conversation}/messages",
        _reply,
        ("template", "variables", 0),
        "live",
    ),
    ("POST", "/v1/developer/simulate/inbound", _simulate, ("text",), "test"),
    ("POST", "/v1/developer/simulate/inbound", _simulate, ("channel_id",), "test"),
    ("POST", "/v1/developer/simulate/inbound", _simulate, ("from", "external_id"), "test"),
    ("POST", "/v1/developer/simulate/inbound", _simulate, ("from", "name"), "test"),
]


@pytest.mark.parametrize(
    "method, path, build, field, mode", STRING_FIELDS, ids=lambda v: str(v)[:30]
)
def test_a_string_field_refuses_other_json_types(
    api_client, test_client, world, method, path, build, field, mode
):
    client = api_client if mode == "live" else test_client
    expected = ".".join(str(part) for part in field).replace(".0", "[0]")
    for value in (1234, 1.5, True, ["a"], {"a": "b"}):
        body = _with(build(world, mode), field, value)
        response = send(client, method, path.format(**world[mode]), body)
        assert response.status_code == 422, (value, response.content)
        error = error_of(response)
        assert error["code"] == "VALIDATION_ERROR"
        assert expected in {d["field"] for d in error["details"]}, (value, error["details"])


CALL_BUTTON = {"type": "buttons", "buttons": [{"type": "phone_number", "text": "Call us"}]}


@pytest.mark.parametrize(
    "field, body",
    [
        ("name", {"name": "order_update\n"}),
        (
            "components[1].buttons[0].phone_number",
            {
                "components": [
                    {"type": "body", "text": "Hi {{1}}, your order is ready."},
                    {
                        **CALL_BUTTON,
                        "buttons": [
                            {**CALL_BUTTON["buttons"][0], "phone_number": "+14155550123\n"}
                        ],
                    },
                ]
            },
        ),
    ],
)
def test_a_trailing_newline_does_not_slip_through_an_anchored_pattern(
    api_client, world, field, body
):
    response = api_client.post("/v1/templates", {**_template(world), **body})
    assert response.status_code == 422, response.content
    assert field in {d["field"] for d in error_of(response)["details"]}


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/conversations/{conversation}/read", {"all": True}),
        ("/v1/templates/{draft}/validate", {"market": "US"}),
    ],
)
def test_a_bodyless_action_reports_fields_sent_to_it(api_client, world, path, body):
    response = api_client.post(path.format(**world["live"]), body)
    assert response.status_code == 422, response.content
    assert error_of(response)["details"][0]["field"] == next(iter(body))


@pytest.mark.parametrize("body", [None, {}])
def test_marking_read_still_takes_no_body_or_an_empty_object(api_client, world, body):
    response = api_client.post(f"/v1/conversations/{world['live']['conversation']}/read", body)
    assert response.status_code == 200, response.content


NOT_NULLABLE = [
    ("PATCH", "/v1/conversations/{conversation}", ["status", "tags", "add_tags", "remove_tags"]),
    ("PATCH", "/v1/templates/{draft}", ["name", "language", "category", "components", "examples"]),
    ("POST", "/v1/conversations/{conversation}/messages", ["text", "template", "simulate"]),
    ("POST", "/v1/trigger", ["channel_id", "template_id", "variables", "metadata", "phone"]),
]


@pytest.mark.parametrize("method, path, fields", NOT_NULLABLE, ids=lambda v: str(v)[:40])
def test_null_is_refused_where_a_field_is_not_nullable(api_client, world, method, path, fields):
    url = path.format(**world["live"])
    for field in fields:
        response = send(api_client, method, url, {field: None})
        assert response.status_code == 422, (field, response.content)
        assert field in {d["field"] for d in error_of(response)["details"]}, field
