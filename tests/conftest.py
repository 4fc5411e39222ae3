"""Composable fixtures: ``workspace``, ``other_workspace``, ``api_client``,
``client_with_scopes(...)``, ``test_client`` (an ir_test_ key), ``channel``,
``receive(channel)`` (a customer message), ``conversation``…

Tests run against whatever DATABASE_URL / REDIS_URL say: PostgreSQL + Redis on
the main pass, SQLite + memory on the fast pass. Tests that need PostgreSQL are
marked ``postgres`` and skip on SQLite.
"""

import datetime as dt
import itertools
import os

import pytest
from django.conf import settings
from django.db import connection

from conversations.services import inbound_message_receive
from instantreply.api import ratelimit
from instantreply.core import services
from instantreply.core.timeutil import now
from tests.helpers import SHIPPED, ApiClient, body_only, start_simulator, template_body

# pytest-django's live server (the simulator's webhook target) on a port the kernel
# picks, so two test runs on one machine never collide.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:0")

_seq = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    skip_redis = pytest.mark.skip(reason="needs Redis (REDIS_URL)")
    for item in items:
        if "postgres" in item.keywords and not postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset_all()
    yield


@pytest.fixture
def workspace(db):
    return services.workspace_create(name="Acme", tier="growth")


@pytest.fixture
def other_workspace(db):
    return services.workspace_create(name="Other Co", tier="growth")


@pytest.fixture
def make_key(db):
    def make(workspace, scopes=("*",), mode="live", name="test key"):
        return services.api_key_create(
            workspace=workspace, scopes=list(scopes), mode=mode, name=name
        )

    return make


@pytest.fixture
def api_key(workspace, make_key):
    return make_key(workspace)


@pytest.fixture
def api_client(api_key):
    return ApiClient(api_key[1])


@pytest.fixture
def test_client(workspace, make_key):
    """A client with an ir_test_ key (test mode, §3)."""
    return ApiClient(make_key(workspace, mode="test")[1])


@pytest.fixture
def other_client(other_workspace, make_key):
    return ApiClient(make_key(other_workspace)[1])


@pytest.fixture
def anonymous_client(db):
    return ApiClient(None)


@pytest.fixture
def client_with_scopes(workspace, make_key):
    def make(*scopes, mode="live"):
        return ApiClient(make_key(workspace, scopes=scopes, mode=mode)[1])

    return make


@pytest.fixture
def channel(workspace):
    from conversations.services import channel_connect

    return channel_connect(
        workspace=workspace,
        platform="whatsapp",
        name="Main WhatsApp",
        external_id="109000000000777",
        access_token="EAAG-secret-token-whatsapp",
        waba_id="209000000000777",
        display_handle="+1 415 555 0100",
    )


@pytest.fixture
def make_contact(workspace):
    from contacts.services import contact_get_or_create_by_handle

    counter = {"n": 0}

    def make(ws=None, livemode=True, platform="whatsapp", name="Ana", **kwargs):
        counter["n"] += 1
        contact, _ = contact_get_or_create_by_handle(
            workspace_id=(ws or workspace).id,
            livemode=livemode,
            platform=platform,
            external_id=kwargs.pop("external_id", f"1415555{counter['n']:04d}"),
            name=name,
            **kwargs,
        )
        return contact

    return make


@pytest.fixture
def make_template(workspace, channel):
    """A template row in any status, made through the create service."""
    from instantreply.core.models import ApiKey
    from templates_app import services
    from templates_app.models import Template

    counter = itertools.count(1)

    def make(status="draft", livemode=True, text=SHIPPED, examples=None, ch=None, **fields):
        key = ApiKey(workspace=workspace, mode="live" if livemode else "test")
        data = template_body(
            (ch or channel).id, name=f"tpl_{next(counter)}", components=body_only(text)
        )
        data["examples"] = (
            examples
            if examples is not None
            else (
                ["#1234", "Friday"] if "{{2}}" in text else (["#1234"] if "{{1}}" in text else [])
            )
        )
        template = services.template_create(api_key=key, data=data)
        if status != "draft" or fields:
            Template.objects.filter(pk=template.pk).update(status=status, **fields)
            template.refresh_from_db()
        return template

    return make


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def receive():
    """A customer message through the real inbound service; returns the message."""

    def make(
        channel,
        *,
        livemode=True,
        contact="15550001",
        text="Hello",
        ago=None,
        external_id=None,
        name="Ana",
    ):
        sent_at = now() - (ago or dt.timedelta(minutes=5))
        message, _ = inbound_message_receive(
            channel=channel,
            livemode=livemode,
            contact_external_id=contact,
            contact_name=name,
            external_id=external_id or f"wamid.TEST{next(_seq):08d}",
            type="text",
            text=text,
            sent_at=sent_at,
        )
        return message

    return make


@pytest.fixture
def conversation(channel, receive):
    return receive(channel).conversation


@pytest.fixture
def sim(settings):
    """The Graph API simulator over real HTTP; its own webhooks off unless a test
    gives it a target (``sim_with_webhooks`` in tests/meta and tests/templates_app)."""
    simulator = start_simulator()
    simulator.state.configure({"webhooks": False})
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()
