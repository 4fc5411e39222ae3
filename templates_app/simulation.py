"""Meta's template review as a signed webhook, for tests and demos: builds the
``message_template_status_update`` payload exactly as Meta sends it (META.md §2)
and posts it to /meta/webhook with a valid X-Hub-Signature-256."""

import json
import time

from instantreply.meta import signatures


def template_status_payload(
    *,
    waba_id: str,
    meta_template_id: str,
    name: str,
    language: str,
    event: str,
    reason: str | None = None,
    category: str = "UTILITY",
) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": str(waba_id),
                "time": int(time.time()),
                "changes": [
                    {
                        "field": "message_template_status_update",
                        "value": {
                            "event": event,
                            "message_template_id": int(meta_template_id),
                            "message_template_name": name,
                            "message_template_language": language,
                            "reason": reason or "NONE",
                            "message_template_category": category,
                        },
                    }
                ],
            }
        ],
    }


def post_template_status(client, template, *, event: str, reason: str | None = None):
    """Post Meta's status webhook for ``template`` through ``client`` (a
    django.test.Client or anything with the same ``post``); returns the response."""
    payload = template_status_payload(
        waba_id=template.channel.waba_id,
        meta_template_id=template.meta_template_id,
        name=template.name,
        language=template.language,
        event=event,
        reason=reason,
        category=template.category.upper(),
    )
    body = json.dumps(payload).encode()
    return client.post(
        "/meta/webhook",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signatures.sign(body)},
    )
