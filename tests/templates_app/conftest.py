import pytest

from instantreply.meta.simulator import MetaSimulator


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
