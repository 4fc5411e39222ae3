"""A request answered with a 4xx leaves the database exactly as it found it: no
contact, conversation, message, trigger, template, endpoint or event half-made, no
field half-changed, and no idempotency row for the codes §5 never stores."""

import uuid

import pytest

from contacts.models import Contact, ContactHandle
from conversations.models import Channel, Conversation, DailyOutboundCount, Message, Trigger
from conversations.services import channel_set_status
from instantreply.core.models import DownstreamCall, IdempotencyRecord, Workspace
from instantreply.meta.models import InboundEvent
from templates_app.models import Template, TemplateHistory
from tests.api_edges.conftest import MUTATIONS
from tests.helpers import error_of
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

WATCHED = [
    Contact,
    ContactHandle,
    Channel,
    Conversation,
    Message,
    Trigger,
    DailyOutboundCount,
    Template,
    TemplateHistory,
    Event,
    WebhookEndpoint,
    WebhookDelivery,
    InboundEvent,
    DownstreamCall,
    Workspace,
]


def snapshot(*, with_idempotency: bool) -> dict:
    """Every row of every watched table, values included (the tables are tiny here)."""
    models = WATCHED + ([IdempotencyRecord] if with_idempotency else [])
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def _disconnect(world, workspace):
    channel = Channel.objects.get(pk=world["live"]["channel"])
    channel_set_status(channel=channel, status="disconnected")


# (name, method, path, body, expected status, expected code, set-up or None)
REJECTED = [
    (
        "trigger to a new phone with the wrong variable count",
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": w["channel"],
            "phone": "+14155550177",
            "template_id": w["approved"],
            "variables": ["a", "b", "c"],
            "metadata": {"order": "1"},
        },
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "trigger to a new phone on a disconnected channel",
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": w["channel"],
            "phone": "+14155550178",
            "template_id": w["approved"],
            "variables": ["a"],
        },
        409,
        "CHANNEL_UNAVAILABLE",
        _disconnect,
    ),
    (
        "trigger with a draft template",
        "POST",
        "/v1/trigger",
        lambda w: {
            "channel_id": w["channel"],
            "phone": "+14155550179",
            "template_id": w["draft"],
            "variables": ["a"],
        },
        422,
        "TEMPLATE_NOT_APPROVED",
        None,
    ),
    (
        "reply on a disconnected channel",
        "POST",
        "/v1/conversations/{conversation}/messages",
        lambda w: {"text": "hi"},
        409,
        "CHANNEL_UNAVAILABLE",
        _disconnect,
    ),
    (
        "reply with an unknown agent",
        "POST",
        "/v1/conversations/{conversation}/messages",
        lambda w: {"text": "hi", "agent_id": "agt_0123456789abcdef0123456789abcdef"},
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "conversation update whose assignee is unknown",
        "PATCH",
        "/v1/conversations/{conversation}",
        lambda w: {
            "status": "closed",
            "add_tags": ["vip"],
            "assignee_id": "agt_0123456789abcdef0123456789abcdef",
        },
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "conversation update mixing tags and add_tags",
        "PATCH",
        "/v1/conversations/{conversation}",
        lambda w: {"status": "closed", "tags": ["a"], "add_tags": ["b"]},
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "contact update with one bad field",
        "PATCH",
        "/v1/contacts/{contact}",
        lambda w: {"name": "Renamed", "lead_stage": "qualified", "email": "not-an-email"},
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "template whose name is taken",
        "POST",
        "/v1/templates",
        lambda w: {
            "channel_id": w["channel"],
            "name": Template.objects.get(pk=w["draft"]).name,
            "language": "en_US",
            "category": "utility",
            "components": [{"type": "body", "text": "Hi {{1}}, it is ready."}],
            "examples": ["Ana"],
        },
        409,
        "TEMPLATE_NAME_TAKEN",
        None,
    ),
    (
        "edit of an approved template",
        "PATCH",
        "/v1/templates/{approved}",
        lambda w: {"category": "marketing"},
        409,
        "TEMPLATE_NOT_EDITABLE",
        None,
    ),
    (
        "submit of an approved template",
        "POST",
        "/v1/templates/{approved}/submit",
        lambda w: {},
        409,
        "TEMPLATE_NOT_EDITABLE",
        None,
    ),
    (
        "webhook endpoint with a bad url",
        "POST",
        "/v1/webhooks",
        lambda w: {"url": "ftp://example.com/x", "events": ["*"]},
        422,
        "INVALID_WEBHOOK_URL",
        None,
    ),
    (
        "webhook endpoint update with one bad field",
        "PATCH",
        "/v1/webhooks/{webhook}",
        lambda w: {"description": "changed", "events": ["no.such_event"]},
        422,
        "VALIDATION_ERROR",
        None,
    ),
    (
        "resend of an unknown event",
        "POST",
        "/v1/webhooks/{webhook}/deliveries",
        lambda w: {"event_id": "evt_0123456789abcdef0123456789abcdef"},
        422,
        "VALIDATION_ERROR",
        None,
    ),
]


@pytest.mark.parametrize(
    "name, method, path, build, status, code, setup", REJECTED, ids=[r[0] for r in REJECTED]
)
def test_a_rejected_mutation_writes_nothing(
    api_client, workspace, world, name, method, path, build, status, code, setup
):
    objects = world["live"]
    if setup is not None:
        setup(world, workspace)
    before = snapshot(with_idempotency=False)
    response = getattr(api_client, method.lower())(
        path.format(**objects), build(objects), headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == status, response.content
    assert error_of(response)["code"] == code
    assert snapshot(with_idempotency=False) == before


def test_a_rejected_simulated_inbound_writes_nothing(test_client, world):
    before = snapshot(with_idempotency=False)
    response = test_client.post(
        "/v1/developer/simulate/inbound",
        {"conversation_id": world["live"]["conversation"], "text": "hi"},
    )
    assert response.status_code == 422, response.content
    assert snapshot(with_idempotency=False) == before


# The answers §5 never stores: a retry with the same key must execute again.
NOT_STORED = [
    ("invalid JSON", "{", "application/json", 400, "INVALID_JSON"),
    ("a JSON array", "[1]", "application/json", 400, "INVALID_JSON"),
    ("a lone surrogate", '{"a": "\\ud800"}', "application/json", 400, "INVALID_JSON"),
    ("a text body", "hello", "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (
        "over 1 MiB",
        '{"a": "' + "x" * (1024 * 1024) + '"}',
        "application/json",
        413,
        "PAYLOAD_TOO_LARGE",
    ),
]


@pytest.mark.parametrize("route", MUTATIONS, ids=str)
def test_an_unstored_rejection_leaves_no_row_and_no_idempotency_record(api_client, world, route):
    before = snapshot(with_idempotency=True)
    for why, text, content_type, status, code in NOT_STORED:
        response = getattr(api_client.client, route.method.lower())(
            route.url(world["live"]),
            text,
            content_type=content_type,
            headers={"Authorization": f"Bearer {api_client.key}", "Idempotency-Key": "h6-" + why},
        )
        assert response.status_code == status, (why, response.content[:300])
        assert error_of(response)["code"] == code
        assert snapshot(with_idempotency=True) == before, why


def test_a_scope_refusal_leaves_no_idempotency_record(client_with_scopes, world):
    client = client_with_scopes("conversations:read")
    before = snapshot(with_idempotency=True)
    response = client.post(
        "/v1/trigger",
        {"channel_id": world["live"]["channel"], "phone": "+14155550180"},
        headers={"Idempotency-Key": "h6-scope"},
    )
    assert response.status_code == 403
    assert snapshot(with_idempotency=True) == before
