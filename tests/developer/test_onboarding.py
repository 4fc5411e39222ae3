"""GET /v1/developer/onboarding (§11): each step flips from undone to done only
when the real thing happens — through the API, or the operator command where
there is no API (keys, channels)."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from developer.onboarding import STEPS
from instantreply.core import services as core_services
from instantreply.core.timeutil import parse_ts
from tests.helpers import ApiClient

URL = "/v1/developer/onboarding"


class _Receiver:
    """A webhook receiver on 127.0.0.1 that answers 204 to everything."""

    def __init__(self):
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(204)
                self.send_header("Connection", "close")
                self.end_headers()

            def log_message(self, *args):
                pass

        for _ in range(100):
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
                break
            except OSError:
                continue
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    r = _Receiver()
    yield r
    r.stop()


def command_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def steps_of(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()["data"]
    return body, {s["id"]: s for s in body["steps"]}


def assert_flipped(before: dict, after: dict, step: str):
    assert before[step]["done"] is False and before[step]["completed_at"] is None
    assert after[step]["done"] is True
    parse_ts(after[step]["completed_at"])
    others = {k for k in after if k != step}
    assert {k: after[k]["done"] for k in others} == {k: before[k]["done"] for k in others}


def test_each_step_flips_when_the_real_thing_happens(
    db, receiver, django_capture_on_commit_callbacks
):
    workspace = core_services.workspace_create(name="Fresh Co", tier="growth")
    from developer.onboarding import onboarding_data

    assert onboarding_data(workspace)["next_step"] == "create_api_key"
    created = command_json(
        "create_api_key", "--workspace", workspace.id, "--mode", "test", "--scopes", "*"
    )
    client = ApiClient(created["key"])

    # Reading the checklist is not the first request the checklist asks for.
    body, s0 = steps_of(client)
    body, s0 = steps_of(client)
    assert s0["create_api_key"]["done"] is True
    assert body["total"] == 8
    assert body["completed"] == 1
    assert body["next_step"] == "first_authenticated_request"

    assert client.get("/v1/developer/capabilities").status_code == 200
    _, s1 = steps_of(client)
    assert_flipped(s0, s1, "first_authenticated_request")

    channel_id = command_json(
        "connect_channel",
        "--workspace",
        workspace.id,
        "--platform",
        "whatsapp",
        "--name",
        "Main",
        "--external-id",
        "109000000000321",
        "--access-token",
        "EAAG-onboarding",
        "--waba-id",
        "209000000000321",
    )["id"]
    _, s2 = steps_of(client)
    assert_flipped(s1, s2, "connect_channel")

    response = client.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]})
    assert response.status_code == 201, response.content
    endpoint_id = response.json()["data"]["id"]
    _, s3 = steps_of(client)
    assert_flipped(s2, s3, "register_webhook")

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/v1/webhooks/{endpoint_id}/test").status_code == 202
    assert receiver.bodies, "the test event reached the receiver"
    _, s4 = steps_of(client)
    assert_flipped(s3, s4, "first_webhook_delivered")

    inbound = client.post(
        "/v1/developer/simulate/inbound",
        {"channel_id": channel_id, "from": {"external_id": "15551239876"}, "text": "hello"},
    )
    assert inbound.status_code == 202, inbound.content
    _, s5 = steps_of(client)
    done = {k: v["done"] for k, v in s5.items()}
    assert done == {k: v["done"] for k, v in s4.items()}, "an inbound message is not a step"
    conversation_id = inbound.json()["data"]["conversation_id"]
    reply = client.post(f"/v1/conversations/{conversation_id}/messages", {"text": "hi!"})
    assert reply.status_code == 202, reply.content
    _, s6 = steps_of(client)
    assert_flipped(s5, s6, "send_first_message")

    keyed = client.post(
        f"/v1/conversations/{conversation_id}/read", headers={"Idempotency-Key": "onb-1"}
    )
    assert keyed.status_code == 200, keyed.content
    _, s7 = steps_of(client)
    assert_flipped(s6, s7, "use_idempotency_key")

    draft = client.post(
        "/v1/templates",
        {
            "channel_id": channel_id,
            "name": "order_shipped",
            "language": "en_US",
            "category": "utility",
            "components": [{"type": "body", "text": "Your order {{1}} has shipped today."}],
            "examples": ["#1234"],
        },
    )
    assert draft.status_code == 201, draft.content
    _, still = steps_of(client)
    assert still["submit_template"]["done"] is False, "a draft is not a submission"
    submitted = client.post(f"/v1/templates/{draft.json()['data']['id']}/submit")
    assert submitted.status_code == 202, submitted.content
    final, s8 = steps_of(client)
    assert_flipped(s7, s8, "submit_template")
    assert final["completed"] == final["total"] == 8
    assert final["next_step"] is None


def test_steps_have_a_sentence_and_a_docs_link(api_client):
    body = api_client.get(URL).json()["data"]
    assert [s["id"] for s in body["steps"]] == [s.id for s in STEPS]
    for step in body["steps"]:
        assert set(step) == {"id", "title", "done", "completed_at", "how", "doc_url"}
        assert step["how"].endswith(".") and step["how"].count(". ") == 0
        assert step["doc_url"].endswith(f"/getting-started#{step['id']}")


def test_another_workspaces_progress_does_not_count(api_client, other_client, channel):
    assert api_client.get("/v1/channels").status_code == 200
    mine = {s["id"]: s["done"] for s in api_client.get(URL).json()["data"]["steps"]}
    theirs = {s["id"]: s["done"] for s in other_client.get(URL).json()["data"]["steps"]}
    assert mine["connect_channel"] and mine["first_authenticated_request"]
    assert not theirs["connect_channel"] and not theirs["first_authenticated_request"]


def test_any_valid_key_may_read_it(client_with_scopes, anonymous_client):
    assert client_with_scopes("contacts:read").get(URL).status_code == 200
    assert anonymous_client.get(URL).status_code == 401
