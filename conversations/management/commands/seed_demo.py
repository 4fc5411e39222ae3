"""A demo workspace to try the API with: keys, channels, agents, contacts (and,
as they exist, conversations, messages and templates)."""

from django.conf import settings

from contacts.services import contact_get_or_create_by_handle
from conversations import services as channel_services
from conversations.demo import seed_conversations
from conversations.models import Channel
from instantreply.core import services
from instantreply.core.management.base import JsonCommand
from instantreply.core.models import Agent, Workspace
from templates_app.demo import seed_templates

DEMO_NAME = "Demo Coffee Roasters"

CHANNELS = [
    ("whatsapp", "Demo WhatsApp", "109000000000001", "+1 415 555 0100", "209000000000001"),
    ("instagram", "Demo Instagram", "17841400000000001", "@democoffee", None),
    ("messenger", "Demo Messenger", "100000000000001", "Demo Coffee Roasters", None),
]

CONTACTS = [
    ("whatsapp", "14155550123", "Ana Souza", None, "+14155550123"),
    ("whatsapp", "447700900123", "Oliver Smith", None, "+447700900123"),
    ("whatsapp", "5511987654321", "Marina Costa", None, "+5511987654321"),
    ("instagram", "6543210987654321", "Kenji Tanaka", "kenji.brews", None),
    ("instagram", "6543210987654322", None, "latte.lover", None),
    ("messenger", "7654321098765432", "Fatima Zahra", None, None),
    ("messenger", "7654321098765433", "Lucas Martin", None, None),
]


class Command(JsonCommand):
    help = "Create (or top up) the demo workspace and print fresh live and test keys."

    def run(self, **options):
        ws = Workspace.objects.filter(name=DEMO_NAME).first() or services.workspace_create(
            name=DEMO_NAME, tier="growth"
        )
        for email, name in (
            ("maria@demo.coffee", "Maria Agent"),
            ("sam@demo.coffee", "Sam Support"),
        ):
            if not Agent.objects.filter(workspace=ws, email=email).exists():
                services.agent_create(workspace=ws, email=email, name=name)
        for platform, name, external_id, handle, waba in CHANNELS:
            if not Channel.objects.filter(
                workspace=ws, platform=platform, external_id=external_id
            ).exists():
                channel_services.channel_connect(
                    workspace=ws,
                    platform=platform,
                    name=name,
                    external_id=external_id,
                    access_token=f"demo-token-{platform}",
                    waba_id=waba,
                    display_handle=handle,
                )
        for livemode in (True, False):
            for platform, external_id, name, username, phone in CONTACTS:
                contact_get_or_create_by_handle(
                    workspace_id=ws.id,
                    livemode=livemode,
                    platform=platform,
                    external_id=external_id,
                    name=name,
                    username=username,
                    phone=phone,
                )
        extra = seed_extras(ws)
        live_key, live_raw = services.api_key_create(workspace=ws, name="Demo live key")
        test_key, test_raw = services.api_key_create(
            workspace=ws, name="Demo test key", mode="test"
        )
        result = {
            "id": ws.id,
            "key": live_raw,
            "key_id": live_key.id,
            "test_key": test_raw,
            **extra,
        }
        text = (
            f"Demo workspace {ws.id} ({DEMO_NAME})\n"
            f"Live key: {live_raw}\nTest key: {test_raw}\n"
            f"Try: curl -s -H 'Authorization: Bearer {live_raw}' "
            f"http://127.0.0.1:{getattr(settings, 'DEV_PORT', 8000)}/v1/contacts?limit=3"
        )
        return result, text


def seed_extras(workspace) -> dict:
    """Conversations, messages and templates, from the apps that own them."""
    return {**seed_conversations(workspace), **seed_templates(workspace)}
