"""Meta webhook payloads as Meta sends them (META.md §2), for tests and the bench."""

import json
import time

from instantreply.meta import signatures


def signed(payload) -> tuple[bytes, dict]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, {"X-Hub-Signature-256": signatures.sign(body)}


def whatsapp_messages(
    phone_number_id: str,
    messages: list[dict],
    contacts: list[dict] | None = None,
    waba_id: str = "209000000000777",
) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": waba_id,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "14155550100",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": contacts or [],
                            "messages": messages,
                        },
                    }
                ],
            }
        ],
    }


def whatsapp_text(
    phone_number_id: str,
    *,
    wamid: str,
    wa_id: str | None = "14155550123",
    user_id: str | None = None,
    name: str = "Ana Lima",
    username: str | None = None,
    text: str = "Hi, where is my order?",
    timestamp: int | None = None,
) -> dict:
    profile = {"name": name}
    if username:
        profile["username"] = username
    contact = {"profile": profile}
    message = {
        "id": wamid,
        "timestamp": str(timestamp or int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    if wa_id:
        contact["wa_id"] = wa_id
        message["from"] = wa_id
    else:
        message["from"] = ""
    if user_id:
        contact["user_id"] = user_id
        message["from_user_id"] = user_id
    return whatsapp_messages(phone_number_id, [message], [contact])


def whatsapp_status(
    phone_number_id: str,
    wamid: str,
    status: str,
    timestamp: int,
    errors: list[dict] | None = None,
    recipient: str = "14155550123",
) -> dict:
    item = {"id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": recipient}
    if errors:
        item["errors"] = errors
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "209000000000777",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "14155550100",
                                "phone_number_id": phone_number_id,
                            },
                            "statuses": [item],
                        },
                    }
                ],
            }
        ],
    }


def messaging(object_type: str, account_id: str, events: list[dict]) -> dict:
    """Instagram (object "instagram") and Messenger (object "page")."""
    return {
        "object": object_type,
        "entry": [{"id": account_id, "time": int(time.time() * 1000), "messaging": events}],
    }


def messaging_text(
    object_type: str,
    account_id: str,
    *,
    mid: str,
    sender: str,
    text: str = "Do you ship to Lisbon?",
    echo: bool = False,
    timestamp_ms: int | None = None,
) -> dict:
    message = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    ts = timestamp_ms or int(time.time() * 1000)
    parties = (
        {"sender": {"id": account_id}, "recipient": {"id": sender}}
        if echo
        else {"sender": {"id": sender}, "recipient": {"id": account_id}}
    )
    return messaging(object_type, account_id, [{**parties, "timestamp": ts, "message": message}])
