import pytest

from tests.helpers import start_simulator


@pytest.fixture
def sim_with_webhooks(settings, live_server):
    """The simulator posting its signed template-review webhooks to a live server."""
    simulator = start_simulator(webhook_url=live_server.url + "/meta/webhook")
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()
