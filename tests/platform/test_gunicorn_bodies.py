"""Issue 10 item 5, through gunicorn (the point is the server): a body over 1 MiB
gets the 413 envelope, not a reset connection, whatever the answer that refuses
it, and a retry with the same Idempotency-Key and a normal body is executed."""

import re
import subprocess
import sys
import time
import uuid

import pytest
import requests

from tests.workers import ROOT, stop_process_group, wait_for, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

LIMIT = 1_048_576


@pytest.fixture
def server(transactional_db, tmp_path):
    """gunicorn (one sync worker, the production worker class) on a port the
    kernel picks, serving the test database; tasks run in-process."""
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "instantreply.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--log-level",
                "info",
            ],
            cwd=ROOT,
            env=worker_env(CELERY_TASK_ALWAYS_EAGER="true"),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = wait_for(lambda: _booted(log_path), timeout=30)
        yield url
    finally:
        stop_process_group(proc)


def _booted(log_path) -> str | None:
    text = log_path.read_text()
    match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", text)
    return match.group(1) if match and "Booting worker" in text else None


@pytest.fixture
def test_conversation(server, channel, workspace, make_key):
    """A test-mode key and a test conversation with an open window, made over HTTP."""
    _, raw = make_key(workspace, mode="test")
    headers = {"Authorization": f"Bearer {raw}"}
    response = requests.post(
        f"{server}/v1/developer/simulate/inbound",
        json={"channel_id": channel.id, "from": {"external_id": "15550001111"}, "text": "Hi"},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 202, response.text
    return headers, response.json()["data"]["conversation_id"]


def oversized_body() -> bytes:
    padding = LIMIT + 10 - len(b'{"text": ""}')
    body = b'{"text": "' + b"x" * padding + b'"}'
    assert len(body) == LIMIT + 10
    return body


class SlowBody:
    """The oversized body, read out in pieces milliseconds apart, as a client on
    a real network sends it: the server sees the headers long before the end of
    the body. Answering and closing then, with the rest unread, makes the kernel
    reset the connection, which can discard the answer (the issue saw it in 2 of
    3 plain posts; how often depends on timing and on the gunicorn version,
    which since 26 drains up to 64 KiB itself before closing)."""

    def __init__(self, data: bytes):
        self.data = data
        self.sent = 0

    def __len__(self) -> int:  # requests sends it with this Content-Length
        return len(self.data) - self.sent

    def read(self, size: int = -1) -> bytes:
        time.sleep(0.01)
        size = len(self) if size is None or size < 0 else min(size, 65_536)
        piece = self.data[self.sent : self.sent + size]
        self.sent += len(piece)
        return piece


def post_slowly(url: str, headers: dict) -> requests.Response:
    return requests.post(
        url,
        data=SlowBody(oversized_body()),
        headers={**headers, "Content-Type": "application/json"},
        timeout=30,
    )


def test_an_oversized_message_gets_413_and_a_retry_with_the_same_key_is_executed(
    server, test_conversation
):
    headers, conversation_id = test_conversation
    url = f"{server}/v1/conversations/{conversation_id}/messages"
    key = str(uuid.uuid4())
    for _ in range(3):  # the reset happened in 2 of 3 runs: every run must get the 413
        response = post_slowly(url, {**headers, "Idempotency-Key": key})
        assert response.status_code == 413, response.text[:500]
        assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
        assert response.json()["error"]["request_id"] == response.headers["X-Request-Id"]
    retry = requests.post(
        url, json={"text": "Thanks!"}, headers={**headers, "Idempotency-Key": key}, timeout=10
    )
    assert retry.status_code == 202, retry.text
    assert "Idempotent-Replayed" not in retry.headers
    assert retry.json()["data"]["text"] == "Thanks!"


def test_an_oversized_body_with_a_bad_key_gets_its_401(server):
    response = requests.post(
        f"{server}/v1/conversations/conv_{'0' * 32}/messages",
        data=oversized_body(),
        headers={"Authorization": "Bearer ir_live_" + "x" * 40, "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_API_KEY"


def test_an_oversized_meta_webhook_post_gets_413(server):
    response = post_slowly(f"{server}/meta/webhook", {})
    assert response.status_code == 413, response.text[:500]
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
