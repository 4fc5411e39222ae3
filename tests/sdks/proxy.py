"""A TCP proxy in front of the live server that can lose a response or answer for the
server, so the SDKs' retries meet real network failures in tests.

``proxy.lose_response(method, path)`` forwards the next request to that path (query
aside) to the server, lets it run there, then cuts the client's connection without an
answer: the client cannot tell whether it ran. ``proxy.answer(method, path, ...)``
answers the next such request itself (a 503 of a load balancer, say) without
forwarding it.
"""

import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field

# What the API answers in these cases (§2), for the proxy to answer in its place.

SERVICE_UNAVAILABLE = (
    b'{"error": {"code": "SERVICE_UNAVAILABLE", "message": "The database is unreachable.", '
    b'"doc_url": "https://www.instantreply.co/api-docs/errors#SERVICE_UNAVAILABLE", '
    b'"request_id": "req_0000000000000000000000000000000a", "details": []}}'
)
RATE_LIMITED = (
    b'{"error": {"code": "RATE_LIMITED", "message": "Over 1200 requests per minute.", '
    b'"doc_url": "https://www.instantreply.co/api-docs/errors#RATE_LIMITED", '
    b'"request_id": "req_0000000000000000000000000000000c", "details": []}}'
)
KEY_IN_USE = (
    b'{"error": {"code": "IDEMPOTENCY_KEY_IN_USE", "message": "A request with this '
    b'Idempotency-Key is still being processed.", '
    b'"doc_url": "https://www.instantreply.co/api-docs/errors#IDEMPOTENCY_KEY_IN_USE", '
    b'"request_id": "req_0000000000000000000000000000000b", "details": []}}'
)


def _read_request(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _with_connection_close(message: bytes) -> bytes:
    """One exchange per connection, both ways: the proxy reads the server's answer to
    EOF, and the client does not reuse a connection the proxy is about to close."""
    head, _, body = message.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


@dataclass
class Rule:
    method: str
    path: str
    action: str  # "lose" or "answer"
    raw: bytes = b""


@dataclass
class LossyProxy:
    upstream: tuple[str, int]
    rules: list[Rule] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def lose_response(self, method: str, path: str) -> None:
        with self.lock:
            self.rules.append(Rule(method, path, "lose"))

    def answer(self, method: str, path: str, status: str, headers: dict, body: bytes):
        head = [f"HTTP/1.1 {status}".encode()]
        head += [f"{k}: {v}".encode() for k, v in headers.items()]
        head.append(f"Content-Length: {len(body)}".encode())
        raw = b"\r\n".join(head) + b"\r\n\r\n" + body
        with self.lock:
            self.rules.append(Rule(method, path, "answer", raw))

    def _take_rule(self, request_line: str) -> Rule | None:
        method, target, _ = request_line.split(" ", 2)
        path = target.split("?")[0]
        with self.lock:
            self.seen.append(f"{method} {path}")
            for rule in self.rules:
                if (rule.method, rule.path) == (method, path):
                    self.rules.remove(rule)
                    return rule
        return None

    def handle(self, client: socket.socket) -> None:
        request = _read_request(client)
        if not request:
            return
        rule = self._take_rule(request.split(b"\r\n", 1)[0].decode("latin-1"))
        if rule is not None and rule.action == "answer":
            client.sendall(_with_connection_close(rule.raw))
            return
        with socket.create_connection(self.upstream, timeout=30) as upstream:
            upstream.sendall(_with_connection_close(request))
            response = b""
            while chunk := upstream.recv(65536):
                response += chunk
        if rule is not None:  # "lose": the server ran the request; the client hears nothing
            # Linger 0: closing sends a reset, as a dropped connection looks to a client.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        client.sendall(_with_connection_close(response))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_proxy(upstream_url: str):
    """(proxy, base_url, stop) for a live server URL like http://127.0.0.1:PORT."""
    host, port = upstream_url.removeprefix("http://").split(":")
    proxy = LossyProxy(upstream=(host, int(port)))

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            proxy.handle(self.request)

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return proxy, f"http://127.0.0.1:{server.server_address[1]}", stop
