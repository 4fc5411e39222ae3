"""Every code sample of the getting-started guide, taken from the page a live
server renders and run as a reader would: curl through bash, Python and Node as
scripts — so the guide cannot drift from the API."""

import html
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import requests

from contacts.models import Contact
from conversations.models import Conversation, Message
from instantreply.core import services as core_services
from instantreply.core.models import RequestLog

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SAMPLE_RE = re.compile(
    r'<pre class="sample" data-section="(?P<section>[a-z_]+)" data-runtime="(?P<runtime>[a-z]+)">'
    r"<code[^>]*>(?P<code>.*?)</code></pre>",
    re.S,
)
REPLY_TEXT = "Thanks, Ana! Your order ships today."


@pytest.fixture
def guide(live_server):
    page = requests.get(f"{live_server.url}/docs/getting-started", timeout=10).text
    samples = {
        (m["section"], m["runtime"]): html.unescape(m["code"]) for m in SAMPLE_RE.finditer(page)
    }
    assert len(samples) == 18, sorted(samples)
    return samples


@pytest.fixture
def sandbox(live_server):
    from conversations.services import channel_connect

    workspace = core_services.workspace_create(name="Docs Co", tier="growth")
    _, key = core_services.api_key_create(
        workspace=workspace, scopes=["*"], mode="test", name="docs"
    )
    channel = channel_connect(
        workspace=workspace,
        platform="whatsapp",
        name="Docs WhatsApp",
        external_id="109000000000999",
        access_token="EAAG-docs-token",
        waba_id="209000000000999",
    )
    return {"workspace": workspace, "key": key, "channel": channel}


def run(guide, section, runtime, env, tmp_path) -> subprocess.CompletedProcess:
    code = guide[(section, runtime)]
    full_env = {**os.environ, **env}
    if runtime == "curl":
        command = ["bash", "-c", code]
    elif runtime == "python":
        script = tmp_path / f"{section}.py"
        script.write_text(code)
        command = [sys.executable, str(script)]
    else:
        node = shutil.which("node")
        if node is None:
            pytest.skip("node is not installed")
        script = tmp_path / f"{section}.mjs"
        script.write_text(code)
        command = [node, str(script)]
    return subprocess.run(
        command, env=full_env, capture_output=True, text=True, timeout=60, check=False
    )


def ok(result) -> str:
    assert result.returncode == 0, (result.stdout, result.stderr)
    return result.stdout


RUNTIMES = ["curl", "python", "node"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_authentication_sample(guide, sandbox, runtime, tmp_path):
    out = ok(
        run(guide, "authentication", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}, tmp_path)
    )
    assert sandbox["workspace"].id in out
    assert "test" in out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_sandbox_sample_starts_a_test_conversation(guide, sandbox, runtime, tmp_path):
    env = {"INSTANTREPLY_API_KEY": sandbox["key"], "CHANNEL_ID": sandbox["channel"].id}
    out = ok(run(guide, "sandbox", runtime, env, tmp_path))
    conversation = Conversation.objects.get(channel=sandbox["channel"])
    assert conversation.id in out
    assert conversation.livemode is False
    assert Message.objects.filter(conversation=conversation, direction="inbound").count() == 1


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_idempotency_sample_sends_exactly_once(guide, sandbox, runtime, tmp_path, live_server):
    simulated = requests.post(
        f"{live_server.url}/v1/developer/simulate/inbound",
        headers={"Authorization": f"Bearer {sandbox['key']}"},
        json={
            "channel_id": sandbox["channel"].id,
            "from": {"external_id": "15551230002", "name": "Ana"},
            "text": "Where is my order?",
        },
        timeout=10,
    )
    assert simulated.status_code == 202, simulated.text
    conversation_id = simulated.json()["data"]["conversation_id"]
    env = {"INSTANTREPLY_API_KEY": sandbox["key"], "CONVERSATION_ID": conversation_id}
    out = ok(run(guide, "idempotency", runtime, env, tmp_path))
    sent = Message.objects.filter(conversation_id=conversation_id, direction="outbound")
    assert [m.text for m in sent] == [REPLY_TEXT]
    assert sent[0].id in out
    assert re.search(r"replayed: true", out, re.I), out
    assert out.count(sent[0].id) == 2


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_pagination_sample_walks_every_page_once(guide, sandbox, runtime, tmp_path):
    from contacts.services import contact_get_or_create_by_handle

    for i in range(130):
        contact_get_or_create_by_handle(
            workspace_id=sandbox["workspace"].id,
            livemode=False,
            platform="whatsapp",
            external_id=f"1555000{i:04d}",
        )
    out = ok(run(guide, "pagination", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}, tmp_path))
    listed = out.split()
    expected = set(
        Contact.objects.filter(workspace=sandbox["workspace"]).values_list("id", flat=True)
    )
    assert len(expected) == 130
    assert len(listed) == 130
    assert set(listed) == expected


def _signed(secret: str, body: str, timestamp: int | None = None) -> dict:
    """A delivery signed by the reference Standard Webhooks library."""
    import datetime as dt

    from standardwebhooks import Webhook

    msg_id = "evt_01a20dbdcf337e61ad83103382121acd"
    ts = timestamp or int(time.time())
    signature = Webhook(secret).sign(msg_id, dt.datetime.fromtimestamp(ts, dt.UTC), body)
    return {
        "WEBHOOK_SECRET": secret,
        "WEBHOOK_ID": msg_id,
        "WEBHOOK_TIMESTAMP": str(ts),
        "WEBHOOK_SIGNATURE": signature,
        "WEBHOOK_BODY": body,
    }


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_webhook_sample_verifies_standard_webhooks_signatures(guide, sandbox, runtime, tmp_path):
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"id":"evt_1","type":"message.received","data":{"text":"héllo"}}'
    env = _signed(secret, body)
    assert ok(run(guide, "webhooks", runtime, env, tmp_path)).strip() == "valid"

    rotated = {**env, "WEBHOOK_SIGNATURE": "v1,b2xkIHNpZ25hdHVyZQ== " + env["WEBHOOK_SIGNATURE"]}
    assert ok(run(guide, "webhooks", runtime, rotated, tmp_path)).strip() == "valid"

    tampered = run(guide, "webhooks", runtime, {**env, "WEBHOOK_BODY": body + " "}, tmp_path)
    assert tampered.returncode == 1
    assert tampered.stdout.startswith("invalid")

    stale = _signed(secret, body, timestamp=int(time.time()) - 3600)
    assert run(guide, "webhooks", runtime, stale, tmp_path).returncode == 1


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_error_sample_shows_the_envelope(guide, sandbox, runtime, tmp_path):
    out = ok(run(guide, "errors", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}, tmp_path))
    assert "RESOURCE_NOT_FOUND" in out
    request_id = re.search(r"req_[0-9a-f]{32}", out).group(0)
    log = RequestLog.objects.get(id=request_id)
    assert log.status == 404
    assert log.workspace_id == sandbox["workspace"].id
