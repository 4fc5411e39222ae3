import itertools
import os
import socket

import pytest

from instantreply.meta.simulator import MetaSimulator


def _free_port(ports) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


# pytest-django's live server (the simulator's webhook target) on this suite's ports;
# a free one, so two test runs on one machine do not collide.
os.environ.setdefault(
    "DJANGO_LIVE_TEST_SERVER_ADDRESS", f"127.0.0.1:{_free_port(range(18301, 18310))}"
)

_ports = itertools.cycle(range(18310, 18390))

WA_PHONE_ID = "109000000000777"
IG_ACCOUNT_ID = "17841400000000555"
PAGE_ID = "104000000000999"


def _start_simulator(webhook_url=None) -> MetaSimulator:
    last = None
    for _ in range(20):
        try:
            return MetaSimulator(port=next(_ports), webhook_url=webhook_url).start()
        except OSError as exc:  # a port of the range still held by a previous run
            last = exc
    raise last


@pytest.fixture
def sim(settings):
    """The Graph API simulator over real HTTP; status webhooks off unless a test
    gives it a target (``sim_with_webhooks``)."""
    simulator = _start_simulator()
    simulator.state.configure({"webhooks": False})
    settings.META_GRAPH_API_URL = simulator.graph_url
    yield simulator
    simulator.stop()


@pytest.fixture
def sim_with_webhooks(settings, live_server):
    simulator = _start_simulator(webhook_url=live_server.url + "/meta/webhook")
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
