"""A sandbox for the SDK tests: a workspace with a test key and a WhatsApp channel,
reached through a proxy that can lose responses (tests/sdks/proxy.py)."""

from dataclasses import dataclass

import pytest

from instantreply.core import services as core_services
from tests.sdks.proxy import LossyProxy, start_proxy


@dataclass
class Sandbox:
    workspace: object
    key: str
    channel: object
    url: str  # the live server, through the proxy
    proxy: LossyProxy

    def add_contacts(self, count: int) -> None:
        """Test-mode contacts, enough for several pages."""
        from contacts.services import contact_get_or_create_by_handle

        for i in range(count):
            contact_get_or_create_by_handle(
                workspace_id=self.workspace.id,
                livemode=False,
                platform="whatsapp",
                external_id=f"1555100{i:04d}",
            )


@pytest.fixture
def sdk_sandbox(live_server):
    from conversations.services import channel_connect

    workspace = core_services.workspace_create(name="SDK Co", tier="growth")
    _, key = core_services.api_key_create(
        workspace=workspace, scopes=["*"], mode="test", name="sdk"
    )
    channel = channel_connect(
        workspace=workspace,
        platform="whatsapp",
        name="SDK WhatsApp",
        external_id="109000000000555",
        access_token="EAAG-sdk-token",
        waba_id="209000000000555",
    )
    proxy, url, stop = start_proxy(live_server.url)
    yield Sandbox(workspace=workspace, key=key, channel=channel, url=url, proxy=proxy)
    stop()


@pytest.fixture
def private_webhook_targets(settings):
    # The tests' receivers live on 127.0.0.1, which production refuses as a target.
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def webhook_receiver(private_webhook_targets):
    from tests.sdks.receiver import WebhookReceiver

    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()
