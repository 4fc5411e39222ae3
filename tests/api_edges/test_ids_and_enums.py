"""Ids and enums the way §1 wants them: a body id that is unknown, of the other mode
or of another workspace gets one and the same 422 wording; list filters take
well-prefixed unknown ids (empty list) but not wrong prefixes (422); enum filters
ignore case, enum body values do not."""

import pytest

from conversations.services import channel_connect
from instantreply.core.services import agent_create
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

UNKNOWN = "{}_0123456789abcdef0123456789abcdef"


@pytest.fixture
def foreign(other_workspace):
    channel = channel_connect(
        workspace=other_workspace,
        platform="whatsapp",
        name="Theirs",
        external_id="109000000000999",
        access_token="EAAG-other",
        waba_id="209000000000999",
    )
    agent = agent_create(workspace=other_workspace, email="them@other.test", name="Them")
    return {"channel": channel.id, "agent": agent.id}


# (method, path, body with "{X}" where the id goes, field, prefix, which foreign ids)
BODY_IDS = [
    (
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": "{X}",
            "phone": "+14155550123",
            "template_id": w["approved"],
            "variables": ["a"],
        },
        "channel_id",
        "chan",
        ("other_workspace:channel",),
    ),
    (
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": w["channel"],
            "phone": "+14155550123",
            "template_id": "{X}",
            "variables": ["a"],
        },
        "template_id",
        "tpl",
        ("other_mode:approved",),
    ),
    (
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": w["channel"],
            "contact_id": "{X}",
            "template_id": w["approved"],
            "variables": ["a"],
        },
        "contact_id",
        "cont",
        ("other_mode:contact",),
    ),
    (
        "POST",
        "/v1/conversations/{conversation}/messages",
        lambda w: {"template": {"id": "{X}", "variables": ["a"]}},
        "template.id",
        "tpl",
        ("other_mode:approved",),
    ),
    (
        "POST",
        "/v1/conversations/{conversation}/messages",
        lambda w: {"text": "hi", "agent_id": "{X}"},
        "agent_id",
        "agt",
        ("other_workspace:agent",),
    ),
    (
        "PATCH",
        "/v1/conversations/{conversation}",
        lambda w: {"assignee_id": "{X}"},
        "assignee_id",
        "agt",
        ("other_workspace:agent",),
    ),
    (
        "POST",
        "/v1/templates",
        lambda w: {
            "channel_id": "{X}",
            "name": "h6_ids",
            "language": "en_US",
            "category": "utility",
            "components": [{"type": "body", "text": "Hello there"}],
        },
        "channel_id",
        "chan",
        ("other_workspace:channel",),
    ),
]


def _fill(body, value):
    if isinstance(body, dict):
        return {k: _fill(v, value) for k, v in body.items()}
    if isinstance(body, list):
        return [_fill(v, value) for v in body]
    return value if body == "{X}" else body


@pytest.mark.parametrize(
    "method, path, build, field, prefix, foreign_kinds",
    BODY_IDS,
    ids=[f"{b[0]} {b[1]} {b[3]}" for b in BODY_IDS],
)
def test_unknown_and_foreign_ids_in_a_body_get_the_same_422(
    api_client, world, foreign, method, path, build, field, prefix, foreign_kinds
):
    live = world["live"]
    candidates = [UNKNOWN.format(prefix), f"zzz_{UNKNOWN[3:]}", "nope"]
    for kind in foreign_kinds:
        source, name = kind.split(":")
        candidates.append(world["test"][name] if source == "other_mode" else foreign[name])
    wordings = set()
    for value in candidates:
        response = getattr(api_client, method.lower())(
            path.format(**live), _fill(build(live), value)
        )
        assert response.status_code == 422, (value, response.content)
        error = error_of(response)
        assert error["code"] == "VALIDATION_ERROR"
        assert [d["field"] for d in error["details"]] == [field], error
        wordings.add(
            (error["message"].replace(value, "<id>"), str(error["details"]).replace(value, "<id>"))
        )
    assert len(wordings) == 1, wordings


def test_a_simulated_inbound_on_a_live_conversation_is_refused_like_an_unknown_one(
    test_client, world
):
    wordings = set()
    for value in (world["live"]["conversation"], UNKNOWN.format("conv")):
        response = test_client.post(
            "/v1/developer/simulate/inbound", {"conversation_id": value, "text": "hi"}
        )
        assert response.status_code == 422, response.content
        wordings.add(error_of(response)["message"].replace(value, "<id>"))
    assert len(wordings) == 1


LIST_ID_FILTERS = [
    ("/v1/conversations", "channel_id", "chan"),
    ("/v1/conversations", "contact_id", "cont"),
    ("/v1/conversations", "assignee_id", "agt"),
    ("/v1/templates", "channel_id", "chan"),
]


@pytest.mark.parametrize("path, name, prefix", LIST_ID_FILTERS)
def test_id_filters_match_nothing_for_unknown_ids_and_refuse_wrong_prefixes(
    api_client, world, foreign, path, name, prefix
):
    for value in (UNKNOWN.format(prefix), foreign.get("channel" if prefix == "chan" else "agent")):
        if prefix == "cont":
            value = world["test"]["contact"] if value != UNKNOWN.format(prefix) else value
        response = api_client.get(path, {name: value})
        assert response.status_code == 200, (value, response.content)
        assert response.json() == {
            "data": [],
            "pagination": {"has_more": False, "next_cursor": None},
        }
    response = api_client.get(path, {name: UNKNOWN.format("msg")})
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == name


@pytest.mark.parametrize("path, name, prefix", LIST_ID_FILTERS)
@pytest.mark.parametrize("tail", ["00000000000000000000000000", "x", "A" * 80, ""])
def test_any_value_with_the_right_prefix_is_an_empty_list_not_a_422(
    api_client, world, path, name, prefix, tail
):
    # Issue 10 item 8: an id of the right prefix but another length or alphabet
    # (chan_ followed by 26 zeros) is an unknown id, not a malformed one.
    response = api_client.get(path, {name: f"{prefix}_{tail}"})
    assert response.status_code == 200, response.content
    assert response.json() == {"data": [], "pagination": {"has_more": False, "next_cursor": None}}


def test_a_wrong_prefix_is_422_naming_the_expected_prefix(api_client, world):
    response = api_client.get("/v1/conversations", {"channel_id": "conv_123"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [
        {"field": "channel_id", "issue": "must be an id starting with 'chan_'; got 'conv_123'"}
    ]


ENUM_FILTERS = [
    ("/v1/conversations", "status", "active"),
    ("/v1/conversations", "platform", "whatsapp"),
    ("/v1/templates", "status", "approved"),
    ("/v1/templates", "category", "utility"),
    ("/v1/channels", "platform", "whatsapp"),
    ("/v1/channels", "status", "connected"),
    ("/v1/conversations/{conversation}/messages", "direction", "inbound"),
    ("/v1/conversations/{conversation}/messages", "status", "received"),
]


@pytest.mark.parametrize("path, name, value", ENUM_FILTERS)
def test_enum_filters_ignore_case(api_client, world, path, name, value):
    url = path.format(**world["live"])
    lower = api_client.get(url, {name: value})
    assert lower.status_code == 200 and lower.json()["data"], lower.content
    for variant in (value.upper(), value.title()):
        response = api_client.get(url, {name: variant})
        assert response.status_code == 200, response.content
        assert response.json()["data"] == lower.json()["data"]


ENUM_BODIES = [
    ("PATCH", "/v1/conversations/{conversation}", "status", "closed"),
    ("PATCH", "/v1/templates/{draft}", "category", "marketing"),
    ("POST", "/v1/conversations/{conversation}/messages", "tag", "human_agent"),
]


@pytest.mark.parametrize("method, path, name, value", ENUM_BODIES)
def test_enum_values_in_bodies_are_exact_lower_case(api_client, world, method, path, name, value):
    url = path.format(**world["live"])
    body = {name: value.upper()}
    if name == "tag":
        body["text"] = "hi"
    response = getattr(api_client, method.lower())(url, body)
    assert response.status_code == 422, response.content
    assert error_of(response)["details"][0]["field"] == name
