import itertools

import pytest

from instantreply.meta.simulator import MetaSimulator

SHIPPED = "Your order {{1}} has shipped and will arrive on {{2}}."


def body_only(text, **extra):
    return [{"type": "body", "text": text, **extra}]


def template_body(channel_id, **overrides):
    body = {
        "channel_id": channel_id,
        "name": "order_shipped",
        "language": "en_US",
        "category": "utility",
        "components": body_only(SHIPPED),
        "examples": ["#1234", "Friday 3 May"],
    }
    body.update(overrides)
    return body


@pytest.fixture
def sim(settings):
    """The Graph API simulator over real HTTP on this suite's ports; its own
    webhooks off (tests post Meta's template webhooks themselves)."""
    simulator = _start()
    simulator.state.configure({"webhooks": False})
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()


def _start(webhook_url=None) -> MetaSimulator:
    last = None
    for _ in range(20):
        try:
            return MetaSimulator(port=0, webhook_url=webhook_url).start()
        except OSError as exc:  # a port of the range still held by a previous run
            last = exc
    raise last


@pytest.fixture
def sim_with_webhooks(settings, live_server):
    """The simulator posting its signed template-review webhooks to a live server."""
    simulator = _start(webhook_url=live_server.url + "/meta/webhook")
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()


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
