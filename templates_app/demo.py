"""Demo templates for ``manage.py seed_demo``: per mode, an approved utility template
ready to send, and a draft whose wording the validator will flag as marketing.
Safe to re-run (name + language + mode is unique per channel)."""

from types import SimpleNamespace

from django.db import transaction

from conversations.models import Channel

from .models import Template
from .services import _set_status, template_create

DEMO_TEMPLATES = [
    {
        "name": "order_shipped",
        "language": "en_US",
        "category": "utility",
        "components": [
            {"type": "body", "text": "Hi {{1}}, your order {{2}} has shipped and arrives on {{3}}."}
        ],
        "examples": ["Ana", "#1042", "Friday"],
        "approve": True,
    },
    {
        "name": "order_shipped_promo",
        "language": "en_US",
        "category": "utility",
        "components": [
            {
                "type": "body",
                "text": "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order.",
            }
        ],
        "examples": ["#1042"],
        "approve": False,
    },
]


@transaction.atomic
def seed_templates(workspace) -> dict:
    channel = (
        Channel.objects.filter(workspace=workspace, platform="whatsapp")
        .order_by("created_at")
        .first()
    )
    if channel is None:
        return {}
    created = 0
    for livemode in (True, False):
        key = SimpleNamespace(workspace_id=workspace.id, livemode=livemode)
        for spec in DEMO_TEMPLATES:
            if Template.objects.filter(
                channel=channel, name=spec["name"], language=spec["language"], livemode=livemode
            ).exists():
                continue
            template = template_create(
                api_key=key,
                data={
                    "channel_id": channel.id,
                    "name": spec["name"],
                    "language": spec["language"],
                    "category": spec["category"],
                    "components": spec["components"],
                    "examples": spec["examples"],
                },
            )
            if spec["approve"]:
                locked = Template.objects.select_for_update().get(pk=template.pk)
                _set_status(
                    locked,
                    status="approved",
                    source="seed",
                    detail="demo data: approved without a Meta review",
                    quality="high",
                )
            created += 1
    return {"templates_created": created}
