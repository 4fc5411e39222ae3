"""Regenerates developer/docs/reference_examples.json: one real request and answer per
operation of /v1, taken from a running demo server (``bash scripts/run.sh``), so the
reference's examples are what the API actually says. Local URLs are rewritten to
public-looking ones. Usage:

    DOCS_BASE_URL=https://www.instantreply.co/api-docs bash scripts/run.sh   # terminal 1
    .venv/bin/python scripts/capture_reference_examples.py --base-url http://127.0.0.1:8000 \\
        --key ir_live_… --test-key ir_test_…
"""

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests

OUT = Path(__file__).resolve().parent.parent / "developer" / "docs" / "reference_examples.json"
PUBLIC_BASE = "https://api.instantreply.co"
RECEIVER_PUBLIC = "https://shop.example.com/hooks/instantreply"


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"received": true}')

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--test-key", required=True)
    args = parser.parse_args()
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{receiver.server_port}/hooks"
    examples: dict = {}

    def call(method, path, template, body=None, key=args.key, record=True, **kw):
        headers = {"Authorization": f"Bearer {key}"}
        if method in ("POST", "PATCH", "DELETE"):
            headers["Idempotency-Key"] = str(uuid.uuid4())
        response = requests.request(
            method, args.base_url + path, json=body, headers=headers, timeout=30, **kw
        )
        data = response.json()
        if record:
            examples[f"{method.lower()} {template}"] = {
                "request": body,
                "status": response.status_code,
                "response": data,
            }
        assert response.status_code < 300, (method, path, response.status_code, data)
        if record:
            examples[f"{method.lower()} {template}"]["errors"] = probe_errors(
                method, path, template, body, key, is_list="pagination" in data
            )
        return data

    def probe_errors(method, path, template, body, key, is_list) -> dict:
        """Real error answers of the same operation: an unknown id (404) and a
        rejected field or filter (422). Both change nothing."""
        errors = {}
        headers = {"Authorization": f"Bearer {key}"}
        if method in ("POST", "PATCH", "DELETE"):
            headers["Idempotency-Key"] = str(uuid.uuid4())
        concrete, _, query = path.partition("?")
        segments = concrete.split("/")
        for i, part in enumerate(template.split("/")):
            if part.startswith("{"):
                value = segments[i]
                segments[i] = "999999" if value.isdigit() else value[:-6] + "000000"
                answer = requests.request(
                    method,
                    args.base_url + "/".join(segments),
                    json=body,
                    headers=headers,
                    timeout=30,
                )
                if answer.status_code == 404:
                    errors["404"] = answer.json()
                break
        if is_list:
            answer = requests.get(
                args.base_url + concrete, params={"limit": "500"}, headers=headers, timeout=30
            )
            if answer.status_code == 422:
                errors["422"] = answer.json()
        elif method in ("POST", "PATCH"):
            headers["Idempotency-Key"] = str(uuid.uuid4())
            answer = requests.request(
                method,
                args.base_url + concrete,
                json={**(body or {}), "priority": "high"},
                headers=headers,
                timeout=30,
            )
            if answer.status_code == 422:
                errors["422"] = answer.json()
        return errors

    def first(path, key=args.key, **params):
        return call("GET", path, None, key=key, record=False, params=params)["data"][0]

    call("GET", "/v1/developer/capabilities", "/v1/developer/capabilities")
    call("GET", "/v1/developer/limits", "/v1/developer/limits")
    call("GET", "/v1/developer/onboarding", "/v1/developer/onboarding")
    call("GET", "/v1/usage", "/v1/usage")
    call("GET", "/v1/analytics/summary", "/v1/analytics/summary")

    channel = first("/v1/channels", platform="whatsapp")
    call("GET", "/v1/channels?limit=2", "/v1/channels")
    call("GET", f"/v1/channels/{channel['id']}", "/v1/channels/{id}")
    agent = call("GET", "/v1/agents?limit=2", "/v1/agents")["data"]
    if agent:
        call("GET", f"/v1/agents/{agent[0]['id']}", "/v1/agents/{id}")

    contact = first("/v1/contacts", platform="whatsapp")
    call("GET", "/v1/contacts?limit=2", "/v1/contacts")
    call("GET", f"/v1/contacts/{contact['id']}", "/v1/contacts/{id}")
    call(
        "PATCH",
        f"/v1/contacts/{contact['id']}",
        "/v1/contacts/{id}",
        {"lead_stage": "qualified", "add_tags": ["wholesale"]},
    )

    conversations = call(
        "GET", "/v1/conversations?limit=20&platform=whatsapp", "/v1/conversations", record=False
    )["data"]
    conv = next(c for c in conversations if c["messaging_window"]["open"])
    call("GET", "/v1/conversations?limit=2&status=active", "/v1/conversations")
    call("GET", f"/v1/conversations/{conv['id']}", "/v1/conversations/{id}")
    call(
        "PATCH",
        f"/v1/conversations/{conv['id']}",
        "/v1/conversations/{id}",
        {"status": "pending", "add_tags": ["refund"]},
    )
    sent = call(
        "POST",
        f"/v1/conversations/{conv['id']}/messages",
        "/v1/conversations/{id}/messages",
        {"text": "Your beans ship today!"},
    )["data"]
    call(
        "GET", f"/v1/conversations/{conv['id']}/messages?limit=2", "/v1/conversations/{id}/messages"
    )
    call("POST", f"/v1/conversations/{conv['id']}/read", "/v1/conversations/{id}/read")
    call("GET", f"/v1/messages/{sent['id']}", "/v1/messages/{id}")
    call("GET", f"/v1/trigger/status/{sent['trigger_id']}", "/v1/trigger/status/{trigger_id}")

    test_channel = first("/v1/channels", key=args.test_key, platform="whatsapp")
    call(
        "POST",
        "/v1/developer/simulate/inbound",
        "/v1/developer/simulate/inbound",
        {
            "channel_id": test_channel["id"],
            "from": {"external_id": "14155550199", "name": "Ana Souza"},
            "text": "Hi! Is the Colombia Huila available in 1 kg bags?",
        },
        key=args.test_key,
    )
    live_refused = requests.post(
        args.base_url + "/v1/developer/simulate/inbound",
        json={"conversation_id": conv["id"], "text": "Hi!"},
        headers={"Authorization": f"Bearer {args.key}"},
        timeout=30,
    )
    assert live_refused.status_code == 403, live_refused.text
    examples["post /v1/developer/simulate/inbound"]["errors"]["403"] = live_refused.json()

    template = call(
        "POST",
        "/v1/templates",
        "/v1/templates",
        {
            "channel_id": channel["id"],
            "name": f"order_ready_{uuid.uuid4().hex[:6]}",
            "language": "en_US",
            "category": "utility",
            "components": [
                {"type": "body", "text": "Hi {{1}}, your order {{2}} is ready for pickup."}
            ],
            "examples": ["Ana", "#1042"],
        },
    )["data"]
    call("GET", "/v1/templates?limit=2", "/v1/templates")
    call("GET", f"/v1/templates/{template['id']}", "/v1/templates/{id}")
    call(
        "PATCH",
        f"/v1/templates/{template['id']}",
        "/v1/templates/{id}",
        {
            "components": [
                {
                    "type": "body",
                    "text": "Hi {{1}}, your order {{2}} is ready for pickup at our roastery.",
                }
            ]
        },
    )
    call("POST", f"/v1/templates/{template['id']}/validate", "/v1/templates/{id}/validate")
    call("POST", f"/v1/templates/{template['id']}/submit", "/v1/templates/{id}/submit", {})
    # The cost guard: the simulated review approves this utility template as marketing
    # (its content promotes), and pause_on_category_change holds it until resumed.
    guarded = call(
        "POST",
        "/v1/templates",
        None,
        {
            "channel_id": channel["id"],
            "name": f"order_ready_offer_{uuid.uuid4().hex[:6]}",
            "language": "en_US",
            "category": "utility",
            "components": [
                {
                    "type": "body",
                    "text": "Your order {{1}} is ready! Use code BEANS10 for 10% off your next bag.",
                }
            ],
            "examples": ["#1042"],
            "pause_on_category_change": True,
        },
        key=args.test_key,
        record=False,
    )["data"]
    guarded_path = f"/v1/templates/{guarded['id']}"
    call("POST", f"{guarded_path}/submit", None, {}, key=args.test_key, record=False)
    for _ in range(150):
        if call("GET", guarded_path, None, key=args.test_key, record=False)["data"]["status"] == (
            "paused"
        ):
            break
        time.sleep(0.2)
    call("POST", f"{guarded_path}/resume", "/v1/templates/{id}/resume", key=args.test_key)
    approved = next(
        t
        for t in call("GET", "/v1/templates", None, record=False, params={"status": "approved"})[
            "data"
        ]
        if t["name"] == "order_shipped"
    )
    call(
        "POST",
        "/v1/trigger",
        "/v1/trigger",
        {
            "channel_id": channel["id"],
            "phone": "+14155550123",
            "template_id": approved["id"],
            "variables": ["Ana", "#1042", "Friday"],
            "metadata": {"order": "1042", "source": "shopify"},
        },
    )

    endpoint = call(
        "POST",
        "/v1/webhooks",
        "/v1/webhooks",
        {
            "url": receiver_url,
            "events": ["message.received", "message.delivered", "message.failed"],
            "description": "Order desk",
        },
    )["data"]
    call("GET", "/v1/webhooks?limit=2", "/v1/webhooks")
    call("GET", f"/v1/webhooks/{endpoint['id']}", "/v1/webhooks/{id}")
    call(
        "PATCH",
        f"/v1/webhooks/{endpoint['id']}",
        "/v1/webhooks/{id}",
        {"events": ["message.received", "message.delivered", "message.failed", "message.read"]},
    )
    call("POST", f"/v1/webhooks/{endpoint['id']}/test", "/v1/webhooks/{id}/test")
    event = first("/v1/events")
    call("GET", "/v1/events?limit=2", "/v1/events")
    call("GET", f"/v1/events/{event['id']}", "/v1/events/{id}")
    call(
        "POST",
        f"/v1/webhooks/{endpoint['id']}/deliveries",
        "/v1/webhooks/{id}/deliveries",
        {"event_id": event["id"]},
    )
    call("GET", f"/v1/webhooks/{endpoint['id']}/deliveries?limit=2", "/v1/webhooks/{id}/deliveries")
    call("POST", f"/v1/webhooks/{endpoint['id']}/rotate_secret", "/v1/webhooks/{id}/rotate_secret")
    call("DELETE", f"/v1/webhooks/{endpoint['id']}", "/v1/webhooks/{id}")

    call(
        "GET",
        "/v1/developer/troubleshooting/errors?limit=2",
        "/v1/developer/troubleshooting/errors",
    )
    call(
        "GET",
        "/v1/developer/troubleshooting/errors/131047",
        "/v1/developer/troubleshooting/errors/{code}",
    )
    request_id = requests.get(
        args.base_url + f"/v1/conversations/{conv['id']}",
        headers={"Authorization": f"Bearer {args.key}"},
        timeout=30,
    ).headers["X-Request-Id"]
    call("GET", f"/v1/developer/requests/{request_id}", "/v1/developer/requests/{request_id}")

    text = json.dumps(examples, indent=2, ensure_ascii=False, sort_keys=True)
    text = text.replace(receiver_url, RECEIVER_PUBLIC).replace(args.base_url, PUBLIC_BASE)
    text = text.replace(urlsplit(args.base_url).netloc, urlsplit(PUBLIC_BASE).netloc)
    OUT.write_text(text + "\n", encoding="utf-8")
    receiver.shutdown()
    print(f"{len(examples)} operations written to {OUT}")


if __name__ == "__main__":
    main()
