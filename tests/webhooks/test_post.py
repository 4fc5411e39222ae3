"""webhooks.delivery.post over urllib3 against a scripted keep-alive server: how
the answer is read (kept body, what is recorded) and when the connection may carry
the next POST (only after a complete answer)."""

import socket
import threading
import time

import pytest

from webhooks import delivery


class Scripted:
    """Answers each request with the next of ``script`` (raw bytes, or a function
    given the socket); counts the connections it accepted."""

    def __init__(self):
        self.script: list = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hooks"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        with sock:
            try:
                self._answer(sock)
            except OSError:
                pass  # the client dropped the connection (as it should, in some tests)

    def _answer(self, sock):
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            while len(buffer) < length:
                buffer += sock.recv(65536)
            buffer = buffer[length:]
            answer = self.script.pop(0)
            if callable(answer):
                answer(sock)
            else:
                sock.sendall(answer)

    def close(self):
        self.listener.close()


@pytest.fixture
def server():
    s = Scripted()
    yield s
    s.close()


def send(url):
    return delivery.post(url, b'{"id":"evt_1"}', {"Content-Type": "application/json"})


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


@pytest.mark.parametrize(
    "answer, body",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
            "hello",
        ),
        (b"HTTP/1.1 204 No Content\r\n\r\n", ""),
        (b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nbusy", "busy"),
    ],
)
def test_a_complete_answer_leaves_the_connection_for_the_next_post(server, answer, body):
    server.script += [answer, OK]
    first = send(server.url)
    assert first.body == body
    second = send(server.url)
    assert (second.status, second.body) == (200, "ok")
    assert server.connections == 1


def test_an_answer_framed_by_the_connections_end_is_read_whole_and_not_reused(server):
    def answer_then_close(sock):
        sock.sendall(b"HTTP/1.1 200 OK\r\n\r\nall of it")
        sock.shutdown(socket.SHUT_WR)

    server.script += [answer_then_close, OK]
    first = send(server.url)
    assert (first.status, first.body, first.error) == (200, "all of it", None)
    assert send(server.url).status == 200
    assert server.connections == 2


def test_a_body_past_the_read_limit_keeps_its_first_4_kb_and_closes_the_connection(server):
    big = b"x" * (delivery.RESPONSE_BODY_READ_MAX + 10_000)

    def answer_in_two_parts(sock):
        # The rest arrives after the reader stopped: on a reused connection it would
        # be taken for the start of the next answer.
        head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(big)
        sock.sendall(head + big[: delivery.RESPONSE_BODY_READ_MAX + 1])
        time.sleep(0.3)
        sock.sendall(big[delivery.RESPONSE_BODY_READ_MAX + 1 :])

    server.script += [answer_in_two_parts, OK]
    first = send(server.url)
    assert (first.status, first.body) == (200, "x" * delivery.RESPONSE_BODY_KEPT)
    second = send(server.url)
    assert (second.status, second.body) == (200, "ok")
    assert server.connections == 2


def test_a_body_cut_off_is_recorded_with_the_receivers_status_and_the_connection_dropped(
    server,
):
    def cut(sock):
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
        sock.shutdown(socket.SHUT_WR)

    server.script += [cut, OK]
    first = send(server.url)
    assert first.status == 200
    assert first.error.startswith("connection failed: ProtocolError")
    assert send(server.url).status == 200
    assert server.connections == 2


def test_a_body_trickling_past_the_time_limit_is_a_timeout(server, monkeypatch):
    # The limit is checked between receives of the body (each waits at most the
    # socket timeout): a 2xx head is not a success when its body is still arriving.
    monkeypatch.setattr(delivery.policy, "TIMEOUT_SECONDS", 0.3)

    def trickle(sock):
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
        for _ in range(100):
            sock.sendall(b"x")
            time.sleep(0.05)

    server.script += [trickle]
    outcome = send(server.url)
    assert (outcome.status, outcome.succeeded) == (None, False)
    assert outcome.error == "timed out: the response took longer than 0.3 s"
