"""The TypeScript SDK's tests (sdks/typescript/test, node:test) against a live server:
this test prepares the data and the proxy's failures, runs `npm test` with them in the
environment, then checks what the server did."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from contacts.models import Contact
from conversations.models import Conversation, Message
from instantreply.core.models import RequestLog
from tests.helpers import ApiClient
from tests.sdks.proxy import KEY_IN_USE, RATE_LIMITED, SERVICE_UNAVAILABLE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SDK_DIR = Path(__file__).resolve().parents[2] / "sdks" / "typescript"
JSON = {"Retry-After": "1", "Content-Type": "application/json"}


def inbound(api: ApiClient, channel_id: str, phone: str, text: str) -> str:
    response = api.post(
        "/v1/developer/simulate/inbound",
        {"channel_id": channel_id, "from": {"external_id": phone, "name": "Ana"}, "text": text},
    )
    assert response.status_code == 202, response.content
    return response.json()["data"]["conversation_id"]


def test_typescript_sdk_against_a_live_server(sdk_sandbox, private_webhook_targets):
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.skip("node/npm is not installed: the TypeScript SDK cannot run here")
    assert (SDK_DIR / "node_modules").is_dir(), "run 'npm ci' in sdks/typescript (setup.sh does)"

    api = ApiClient(sdk_sandbox.key)
    channel_id = sdk_sandbox.channel.id
    refund = inbound(api, channel_id, "15550000001", "Hi, I want a REFUND for order #12")
    other = inbound(api, channel_id, "15550000002", "Where is my order?")
    second_refund = inbound(api, channel_id, "15550000003", "Refund please, it arrived broken")
    closed = inbound(api, channel_id, "15550000004", "refund?")
    assert api.patch(f"/v1/conversations/{closed}", {"status": "closed"}).status_code == 200
    reply = inbound(api, channel_id, "15550000011", "Where is my order?")
    retry = inbound(api, channel_id, "15550000021", "Hello")
    sdk_sandbox.add_contacts(130)
    contact_ids = list(Contact.objects.values_list("id", flat=True))

    proxy = sdk_sandbox.proxy
    proxy.lose_response("POST", f"/v1/conversations/{reply}/messages")
    proxy.answer("GET", "/v1/channels", "503 Service Unavailable", JSON, SERVICE_UNAVAILABLE)
    proxy.answer("POST", f"/v1/conversations/{retry}/messages", "409 Conflict", JSON, KEY_IN_USE)
    proxy.answer(
        "GET", "/v1/agents", "429 Too Many Requests",
        {**JSON, "Retry-After": "120"}, RATE_LIMITED,
    )  # fmt: skip

    result = subprocess.run(
        [npm, "test"],
        cwd=SDK_DIR,
        env={
            **os.environ,
            "IR_BASE_URL": sdk_sandbox.url,
            "IR_API_KEY": sdk_sandbox.key,
            "IR_CHANNEL_ID": channel_id,
            "IR_REPLY_CONVERSATION": reply,
            "IR_RETRY_CONVERSATION": retry,
            "IR_CONTACT_IDS": ",".join(contact_ids),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    # node:test's TAP summary: every test of sdks/typescript/test ran.
    assert "\n# pass 7\n" in result.stdout, result.stdout[-2000:]

    tags = dict(Conversation.objects.values_list("id", "tags"))
    assert tags == {
        refund: ["refund"],
        other: [],
        second_refund: ["refund"],
        closed: [],
        reply: [],
        retry: [],
    }
    sent = Message.objects.filter(direction="outbound").order_by("conversation_id")
    assert sorted((m.conversation_id, m.text) for m in sent) == sorted(
        [(reply, "Thanks, Ana! Your order ships today."), (retry, "Hi!")]
    )
    lost = RequestLog.objects.filter(
        method="POST", path=f"/v1/conversations/{reply}/messages"
    ).order_by("created_at")
    assert [log.replayed for log in lost] == [False, True]
    assert lost[0].idempotency_key == lost[1].idempotency_key
    seen = proxy.seen
    assert seen.count("GET /v1/channels") == 2
    assert seen.count(f"POST /v1/conversations/{retry}/messages") == 2
    assert seen.count("GET /v1/agents") == 1
