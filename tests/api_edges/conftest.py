"""A small world in both modes (live and test) and the list of every /v1 route, so the
edge-case tests can be parametrized over endpoints instead of copied per app."""

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.test import Client, override_settings

from conversations.services import inbound_message_receive
from instantreply.core.services import agent_create
from instantreply.core.timeutil import now
from tests.helpers import ApiClient

_seq = itertools.count(1)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # "{id}" is filled from the world with the entry named by ``noun``
    noun: str | None = None
    body: dict | None = None  # a body the endpoint accepts (None: bodyless)
    answer: int = 200  # the status of a request with that body (§1)

    def url(self, objects: dict, object_id: str | None = None) -> str:
        if self.noun is None:
            return self.path
        return self.path.replace("{id}", object_id if object_id is not None else objects[self.noun])

    def __str__(self):
        return f"{self.method} {self.path}"


def _template_body(channel_id, name):
    return {
        "channel_id": channel_id,
        "name": name,
        "language": "en_US",
        "category": "utility",
        "components": [{"type": "body", "text": "Your order {{1}} has shipped today."}],
        "examples": ["#1234"],
    }


# Every object route of /v1, with the object its path names.
DETAIL_ROUTES = [
    Route("GET", "/v1/channels/{id}", "channel"),
    Route("GET", "/v1/agents/{id}", "agent"),
    Route("GET", "/v1/contacts/{id}", "contact"),
    Route("PATCH", "/v1/contacts/{id}", "contact", {"name": "Ana B"}),
    Route("GET", "/v1/conversations/{id}", "conversation"),
    Route("PATCH", "/v1/conversations/{id}", "conversation", {"status": "pending"}),
    Route("POST", "/v1/conversations/{id}/read", "conversation"),
    Route("GET", "/v1/conversations/{id}/messages", "conversation"),
    Route("POST", "/v1/conversations/{id}/messages", "conversation", {"text": "Hi"}, 202),
    Route("GET", "/v1/messages/{id}", "message"),
    Route("GET", "/v1/templates/{id}", "draft"),
    Route("PATCH", "/v1/templates/{id}", "draft", {"category": "marketing"}),
    Route("POST", "/v1/templates/{id}/validate", "draft"),
    Route("POST", "/v1/templates/{id}/submit", "draft"),
    Route("GET", "/v1/trigger/status/{id}", "trigger"),
    Route("GET", "/v1/events/{id}", "event"),
    Route("GET", "/v1/webhooks/{id}", "webhook"),
    Route("PATCH", "/v1/webhooks/{id}", "webhook", {"description": "x"}),
    Route("DELETE", "/v1/webhooks/{id}", "webhook"),
    Route("GET", "/v1/webhooks/{id}/deliveries", "webhook"),
    Route("POST", "/v1/webhooks/{id}/rotate_secret", "webhook"),
    Route("POST", "/v1/webhooks/{id}/test", "webhook"),
    Route("GET", "/v1/developer/requests/{id}", "request"),
    Route("GET", "/v1/developer/troubleshooting/errors/{id}", "error_code"),
]

COLLECTION_ROUTES = [
    Route("GET", "/v1/channels"),
    Route("GET", "/v1/agents"),
    Route("GET", "/v1/contacts"),
    Route("GET", "/v1/conversations"),
    Route("GET", "/v1/templates"),
    Route("POST", "/v1/templates"),
    Route("POST", "/v1/trigger"),
    Route("GET", "/v1/events"),
    Route("GET", "/v1/webhooks"),
    Route("POST", "/v1/webhooks"),
    Route("GET", "/v1/usage"),
    Route("GET", "/v1/analytics/summary"),
    Route("GET", "/v1/developer/capabilities"),
    Route("GET", "/v1/developer/limits"),
    Route("GET", "/v1/developer/onboarding"),
    Route("GET", "/v1/developer/troubleshooting/errors"),
    Route("POST", "/v1/developer/simulate/inbound"),
]

ALL_ROUTES = DETAIL_ROUTES + COLLECTION_ROUTES
MUTATIONS = [r for r in ALL_ROUTES if r.method != "GET"]


def send(client, method: str, path: str, body=None, **kwargs):
    if method == "GET":
        return client.get(path, **kwargs)
    return getattr(client, method.lower())(path, body, **kwargs)


@pytest.fixture(autouse=True)
def _local_webhook_targets():
    # Endpoints point at 127.0.0.1 (this helper's port range); nothing listens there
    # and no test waits for a delivery.
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=True):
        yield


def _mode_objects(workspace, channel, api_key, livemode: bool) -> dict:
    from instantreply.core.models import RequestLog
    from templates_app import services as templates
    from templates_app.models import Template
    from webhooks.models import Event
    from webhooks.services import webhook_endpoint_create

    inbound, _ = inbound_message_receive(
        channel=channel,
        livemode=livemode,
        contact_external_id=f"1555000{next(_seq):04d}",
        contact_name="Ana",
        external_id=f"wamid.H6{next(_seq):08d}",
        type="text",
        text="Hello",
        sent_at=now() - dt.timedelta(minutes=5),
    )
    conversation = inbound.conversation
    draft = templates.template_create(
        api_key=api_key, data=_template_body(channel.id, f"h6_draft_{next(_seq)}")
    )
    approved = templates.template_create(
        api_key=api_key, data=_template_body(channel.id, f"h6_approved_{next(_seq)}")
    )
    Template.objects.filter(pk=approved.pk).update(status="approved")
    endpoint, _ = webhook_endpoint_create(
        workspace=workspace,
        livemode=livemode,
        url="http://127.0.0.1:18799/hooks",
        events=["*"],
        description=None,
        key_scopes=["*"],
    )
    from conversations.services import message_send

    reply = message_send(conversation=conversation, api_key=api_key, text="Thanks!")
    return {
        "conversation": conversation.id,
        "contact": conversation.contact_id,
        "message": inbound.id,
        "trigger": reply.trigger_id_or_none,
        "draft": draft.id,
        "approved": approved.id,
        "webhook": endpoint.id,
        "event": Event.objects.filter(workspace=workspace, livemode=livemode).first().id,
        "request": RequestLog.objects.order_by("-created_at").values_list("id", flat=True).first(),
    }


@pytest.fixture
def strict_client(api_key):
    """A client that, like a browser-less HTTP client in production, meets Django's CSRF
    check (the test client skips it by default)."""
    client = ApiClient(api_key[1])
    client.client = Client(enforce_csrf_checks=True)
    return client


@pytest.fixture
def world(workspace, channel, api_key, make_key, api_client, test_client):
    """Objects of every kind in both modes: ``world["live"]["conversation"]`` …, plus
    the shared channel and agent. Each mode's ``request`` is a trace of its own key."""
    agent = agent_create(workspace=workspace, email="sam@acme.test", name="Sam")
    test_key = make_key(workspace, mode="test")
    clients = {"live": api_client, "test": test_client}
    objects = {}
    for mode, key, livemode in (("live", api_key, True), ("test", test_key, False)):
        objects[mode] = _mode_objects(workspace, channel, key[0], livemode)
        # A trace of this mode's own client, so developer/requests/{id} has a real id.
        response = clients[mode].get("/v1/channels")
        objects[mode]["request"] = response["X-Request-Id"]
        objects[mode].update(channel=channel.id, agent=agent.id, error_code="VALIDATION_ERROR")
    return objects
