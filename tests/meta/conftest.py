import pytest

from instantreply.meta import routing
from tests.helpers import start_simulator

WA_PHONE_ID = "109000000000777"
IG_ACCOUNT_ID = "17841400000000555"
PAGE_ID = "104000000000999"


def replace_receive(monkeypatch, receive) -> None:
    """Stand ``receive`` in for the customer-message service, one at a time and
    batched alike: the batched handler calls it on each item, so a batch fails where
    one call fails (and the processor then runs those events one by one)."""
    monkeypatch.setitem(routing.HANDLERS, "message_received", receive)
    monkeypatch.setitem(
        routing.HANDLERS, "messages_received", lambda *, items: [receive(**i) for i in items]
    )


@pytest.fixture
def sim_with_webhooks(settings, live_server):
    simulator = start_simulator(webhook_url=live_server.url + "/meta/webhook")
    simulator.state.configure({"webhook_interval": 0.1})
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()


def _connect(workspace, platform, external_id, token, **extra):
    from conversations.services import channel_connect

    return channel_connect(
        workspace=workspace,
        platform=platform,
        name=f"{platform} channel",
        external_id=external_id,
        access_token=token,
        **extra,
    )


@pytest.fixture
def wa_channel(channel):
    assert channel.external_id == WA_PHONE_ID
    return channel


@pytest.fixture
def ig_channel(workspace):
    return _connect(workspace, "instagram", IG_ACCOUNT_ID, "IGQ-secret-token-instagram")


@pytest.fixture
def fb_channel(workspace):
    return _connect(workspace, "messenger", PAGE_ID, "EAAG-secret-token-messenger")
