"""The delivery HTTP client (webhooks/client.py) against a scripted socket server:
message framing, keep-alive reuse and its limits, timeouts, TLS verification."""

import datetime as dt
import socket
import ssl
import threading
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webhooks import client

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Scripted:
    """Accepts connections on a kernel-chosen port; answers each request with the
    next (raw bytes, close the connection afterwards) of ``script``; records the
    requests and counts the connections."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.script: list[tuple[bytes | None, bool]] = []
        self.requests: list[bytes] = []
        self.connections = 0
        self.tls = tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def answer(self, *answers):
        self.script.extend(a if isinstance(a, tuple) else (a, False) for a in answers)

    def _accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = int(
                    next(
                        line.split(b":", 1)[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    )
                )
                while len(buffer) < length:
                    buffer += sock.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + buffer[:length])
                buffer = buffer[length:]
                raw, close = self.script.pop(0) if self.script else (OK, False)
                if raw is None:  # never answer
                    time.sleep(5)
                    return
                sock.sendall(raw)
                if close:
                    return
        except (OSError, ssl.SSLError):
            return
        finally:
            sock.close()

    def url(self, scheme="http", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.port}/hooks?x=1"

    def stop(self):
        self.listener.close()


@pytest.fixture
def server():
    s = Scripted()
    yield s
    s.stop()
    client.close_connections()


def send(url, *, timeout=5.0, max_body=65_536):
    return client.post(url, b'{"a":1}', {"webhook-id": "evt_1"}, timeout=timeout, max_body=max_body)


def test_a_keep_alive_connection_carries_the_next_post(server):
    first, second = send(server.url()), send(server.url())
    assert (first.status, first.body, second.status, second.body) == (200, b"ok", 200, b"ok")
    assert server.connections == 1
    request = server.requests[0]
    assert request.startswith(b"POST /hooks?x=1 HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n".encode() in request
    assert b"webhook-id: evt_1\r\n" in request and b"Content-Length: 7\r\n" in request
    assert request.endswith(b'\r\n\r\n{"a":1}')


def test_a_chunked_answer_is_read_whole_and_the_connection_kept(server):
    server.answer(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\nok\r\n3;ext=1\r\n!!!\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    response = send(server.url())
    assert (response.status, response.body, response.complete) == (200, b"ok!!!", True)
    assert send(server.url()).status == 200
    assert server.connections == 1


def test_an_answer_without_length_is_read_to_the_end_of_the_connection(server):
    server.answer((b"HTTP/1.1 500 Oops\r\nRetry-After: 7\r\n\r\nbroken", True))
    response = send(server.url())
    assert (response.status, response.body, response.complete) == (500, b"broken", True)
    assert response.headers["retry-after"] == "7"
    assert send(server.url()).status == 200
    assert server.connections == 2


def test_connection_close_is_honoured(server):
    server.answer(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    assert send(server.url()).status == 200
    assert send(server.url()).status == 200
    assert server.connections == 2


def test_interim_answers_are_skipped(server):
    server.answer(
        b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
    )
    response = send(server.url())
    assert (response.status, response.body) == (201, b"")


def test_a_connection_the_receiver_closed_while_idle_is_replaced(server):
    server.answer((OK, True))  # keep-alive announced, then closed by the receiver
    assert send(server.url()).status == 200
    time.sleep(0.2)
    assert send(server.url()).status == 200
    assert server.connections == 2 and len(server.requests) == 2


def test_a_body_over_the_limit_is_cut_and_its_connection_dropped(server):
    server.answer(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100_000)
    response = send(server.url(), max_body=1000)
    assert (len(response.body), response.complete) == (1000, False)
    assert send(server.url()).status == 200
    assert server.connections == 2


def test_no_answer_before_the_deadline_is_a_timeout(server):
    server.answer(None)
    with pytest.raises(client.SendTimedOut):
        send(server.url(), timeout=0.3)


def test_a_body_still_arriving_at_the_deadline_is_marked_timed_out(server):
    server.answer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    response = send(server.url(), timeout=0.3)
    assert (response.status, response.timed_out, response.body) == (200, True, b"abc")


def test_a_connection_closed_without_an_answer_fails(server):
    server.answer((b"", True))
    with pytest.raises(client.SendFailed, match="RemoteDisconnected"):
        send(server.url())


def test_a_malformed_status_line_fails(server):
    server.answer(b"SMTP ready\r\n\r\n")
    with pytest.raises(client.SendFailed, match="BadStatusLine"):
        send(server.url())


def test_nothing_listening_fails_to_connect():
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(client.SendFailed, match="^connection failed"):
        send(f"http://127.0.0.1:{port}/hooks")


def test_control_characters_in_a_url_path_cannot_add_headers(server):
    assert send(server.url() + "\r\nX-Injected: 1").status == 200
    request_line, _, rest = server.requests[0].partition(b"\r\n")
    assert request_line == b"POST /hooks?x=1%0D%0AX-Injected:%201 HTTP/1.1"
    assert b"X-Injected" not in rest


def test_a_url_whose_host_cannot_be_parsed_is_not_sent():
    with pytest.raises(client.SendFailed, match="^not sent"):
        send("http://exa mple.com/hooks")


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    cert_path, key_path = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    s = Scripted(tls=context)
    s.cert_path = cert_path
    yield s
    s.stop()
    client.close_connections()


def test_https_refuses_a_certificate_no_trusted_authority_signed(tls_server):
    with pytest.raises(client.SendFailed, match="SSLError.*certificate verify failed"):
        send(tls_server.url("https", "localhost"))


def test_https_checks_the_certificate_against_the_urls_host(tls_server, monkeypatch):
    trusting = ssl.create_default_context(cafile=str(tls_server.cert_path))
    monkeypatch.setattr(client, "_tls", trusting)
    response = send(tls_server.url("https", "localhost"))
    assert (response.status, response.body) == (200, b"ok")
    # The same server under a name its certificate does not carry.
    with pytest.raises(client.SendFailed, match="SSLError"):
        send(tls_server.url("https", "127.0.0.1"))
