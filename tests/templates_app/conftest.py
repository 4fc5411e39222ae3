import itertools

import pytest

from instantreply.meta.simulator import MetaSimulator

_ports = itertools.cycle(range(18510, 18590))

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
    last = None
    for _ in range(20):
        try:
            simulator = MetaSimulator(port=next(_ports)).start()
            break
        except OSError as exc:
            last = exc
    else:
        raise last
    simulator.state.configure({"webhooks": False})
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
