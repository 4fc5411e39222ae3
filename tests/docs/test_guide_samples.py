"""Every code sample of the getting-started guide, taken from the page a live
server renders and run as a reader would: curl through bash, Python and Node as
scripts, the SDK samples against the SDKs in sdks/ (TypeScript compiled by tsc, so
their types are checked too) — so the guide cannot drift from the API."""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from contacts.models import Contact
from conversations.models import Conversation, Message
from instantreply.core import services as core_services
from instantreply.core.models import RequestLog

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SAMPLE_RE = re.compile(
    r'<pre class="sample" data-section="(?P<section>[a-z_]+)" data-runtime="(?P<runtime>[a-z-]+)">'
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
    assert len(samples) == 30, sorted(samples)
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


TS_SDK = Path(__file__).resolve().parents[2] / "sdks" / "typescript"
_compiled: dict[str, Path] = {}


@pytest.fixture(scope="session")
def ts_sdk(tmp_path_factory):
    """A directory where `import "@instantreply/sdk"` resolves to sdks/typescript, built
    from its current source."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm is not installed")
    assert (TS_SDK / "node_modules").is_dir(), "run 'npm ci' in sdks/typescript (setup.sh does)"
    subprocess.run(["npm", "run", "--silent", "build"], cwd=TS_SDK, check=True, timeout=300)
    root = tmp_path_factory.mktemp("ts-samples")
    (root / "node_modules" / "@instantreply").mkdir(parents=True)
    (root / "node_modules" / "@instantreply" / "sdk").symlink_to(TS_SDK)
    (root / "package.json").write_text('{"type": "module"}')
    return root


def compile_typescript(code: str, root: Path) -> Path:
    """The sample compiled by the SDK's tsc in strict mode (cached per text)."""
    digest = hashlib.sha256(code.encode()).hexdigest()[:16]
    if digest not in _compiled:
        source = root / f"s{digest}.ts"
        source.write_text(code)
        config = root / f"s{digest}.tsconfig.json"
        options = {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "skipLibCheck": True,
            "typeRoots": [str(TS_SDK / "node_modules" / "@types")],
            "types": ["node"],
            "outDir": str(root),
        }
        config.write_text(json.dumps({"compilerOptions": options, "files": [str(source)]}))
        tsc = TS_SDK / "node_modules" / ".bin" / "tsc"
        result = subprocess.run(
            [str(tsc), "-p", str(config)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        _compiled[digest] = root / f"s{digest}.js"
    return _compiled[digest]


@pytest.fixture
def run(guide, tmp_path, request):
    """run(section, runtime, env): the guide's sample, executed as a reader would."""

    def run_sample(section, runtime, env) -> subprocess.CompletedProcess:
        return _run(guide, section, runtime, env, tmp_path, request)

    return run_sample


def _run(guide, section, runtime, env, tmp_path, request) -> subprocess.CompletedProcess:
    code = guide[(section, runtime)]
    full_env = {**os.environ, **env}
    if runtime == "curl":
        command = ["bash", "-c", code]
    elif runtime in ("python", "python-sdk"):
        script = tmp_path / f"{section}.py"
        script.write_text(code)
        command = [sys.executable, str(script)]
    elif runtime == "typescript-sdk":
        script = compile_typescript(code, request.getfixturevalue("ts_sdk"))
        command = [shutil.which("node"), str(script)]
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


RUNTIMES = ["curl", "python", "node", "python-sdk", "typescript-sdk"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_authentication_sample(run, sandbox, runtime):
    out = ok(run("authentication", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}))
    assert sandbox["workspace"].id in out
    assert "test" in out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_sandbox_sample_starts_a_test_conversation(run, sandbox, runtime):
    env = {"INSTANTREPLY_API_KEY": sandbox["key"], "CHANNEL_ID": sandbox["channel"].id}
    out = ok(run("sandbox", runtime, env))
    conversation = Conversation.objects.get(channel=sandbox["channel"])
    assert conversation.id in out
    assert conversation.livemode is False
    assert Message.objects.filter(conversation=conversation, direction="inbound").count() == 1


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_idempotency_sample_sends_exactly_once(run, sandbox, runtime, live_server):
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
    out = ok(run("idempotency", runtime, env))
    sent = Message.objects.filter(conversation_id=conversation_id, direction="outbound")
    assert [m.text for m in sent] == [REPLY_TEXT]
    assert sent[0].id in out
    assert re.search(r"replayed: true", out, re.I), out
    assert out.count(sent[0].id) == 2


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_pagination_sample_walks_every_page_once(run, sandbox, runtime):
    from contacts.services import contact_get_or_create_by_handle

    for i in range(130):
        contact_get_or_create_by_handle(
            workspace_id=sandbox["workspace"].id,
            livemode=False,
            platform="whatsapp",
            external_id=f"1555000{i:04d}",
        )
    out = ok(run("pagination", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}))
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
def test_webhook_sample_verifies_standard_webhooks_signatures(run, sandbox, runtime):
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"id":"evt_1","type":"message.received","data":{"text":"héllo"}}'
    env = _signed(secret, body)
    assert ok(run("webhooks", runtime, env)).strip() == "valid"

    rotated = {**env, "WEBHOOK_SIGNATURE": "v1,b2xkIHNpZ25hdHVyZQ== " + env["WEBHOOK_SIGNATURE"]}
    assert ok(run("webhooks", runtime, rotated)).strip() == "valid"

    tampered = run("webhooks", runtime, {**env, "WEBHOOK_BODY": body + " "})
    assert tampered.returncode == 1
    assert tampered.stdout.startswith("invalid")

    stale = _signed(secret, body, timestamp=int(time.time()) - 3600)
    assert run("webhooks", runtime, stale).returncode == 1


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_error_sample_shows_the_envelope(run, sandbox, runtime):
    out = ok(run("errors", runtime, {"INSTANTREPLY_API_KEY": sandbox["key"]}))
    assert "RESOURCE_NOT_FOUND" in out
    request_id = re.search(r"req_[0-9a-f]{32}", out).group(0)
    log = RequestLog.objects.get(id=request_id)
    assert log.status == 404
    assert log.workspace_id == sandbox["workspace"].id
