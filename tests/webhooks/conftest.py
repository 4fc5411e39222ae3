"""Fixtures of the webhook tests: a real local HTTP receiver (a server thread on
this suite's port range) whose answers a test scripts, and endpoint factories."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from webhooks import services
from webhooks.events import emit

PORT_RANGE = range(18400, 18450)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A sender killed mid-request (the worker crash test) leaves a broken pipe.
        pass


class Receiver:
    """Records every request; answers from ``script`` (a list of (status, headers,
    body, delay_seconds) consumed in order), then with ``default``."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple] = []
        self.default = (200, {}, b"ok", 0)
        self.lock = threading.Lock()
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def respond(self, *answers):
        """Queue answers: an int status or a (status, headers, body, delay) tuple."""
        for answer in answers:
            if isinstance(answer, int):
                answer = (answer, {}, b"", 0)
            self.script.append(answer)

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "at": time.time(),
                        }
                    )
                    answer = receiver.script.pop(0) if receiver.script else receiver.default
                status, headers, payload, delay = answer
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                # No keep-alive: a pooled connection must never reach the receiver
                # of an earlier test still bound to the same port.
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        for port in PORT_RANGE:
            try:
                self.server = _QuietServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port in 18400-18449")
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _private_targets_allowed():
    # The receiver lives on 127.0.0.1; SSRF tests switch the guard back on.
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=True):
        yield


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def make_endpoint(workspace):
    def make(url="https://hooks.example.com/in", events=("*",), ws=None, livemode=True):
        endpoint, secret = services.webhook_endpoint_create(
            workspace=ws or workspace,
            livemode=livemode,
            url=url,
            events=list(events),
            description=None,
            key_scopes=["*"],
        )
        endpoint.plain_secret = secret
        return endpoint

    return make


@pytest.fixture
def fire(workspace, django_capture_on_commit_callbacks):
    """Emit an event and run its fan-out and first delivery (eager tasks)."""

    def fire(type="contact.created", data=None, ws=None, livemode=True, previous=None):
        with django_capture_on_commit_callbacks(execute=True):
            return emit(
                workspace_id=(ws or workspace).id,
                livemode=livemode,
                type=type,
                data=data if data is not None else {"id": "cont_x", "name": "Ana"},
                object_id=(data or {}).get("id", "cont_x"),
                previous_attributes=previous,
            )

    return fire
