"""The HTTP client of webhook deliveries: one POST over a per-thread keep-alive
connection, with the SSRF pin of targets.py at connect time.

Design note: HTTP/1.1 written and read directly on the socket (TLS through the
standard ``ssl`` module, certificates verified against the URL's host name).
urllib3 (http.client underneath) cost about 0.24 ms of CPU per POST — its pool
bookkeeping, header objects and e-mail-parser header parsing — half of a
delivery's whole CPU; this costs about 0.03 ms (bench/webhooks_delivery.py). It
does only what a webhook POST needs: no redirects, no retries, no proxies (they
would bypass the pin), no compression (``Accept-Encoding: identity``), responses
framed by Content-Length, chunked encoding or the connection's end, interim 1xx
answers skipped. A connection is reused only after a response read to its end
without ``Connection: close``; one the receiver closed while idle is noticed
before the request is written, and replaced.

With the guard on (targets.guard_enabled), a new connection resolves the host,
checks every address (targets.vetted_address) and connects to the checked one;
a kept-alive connection stays on the address checked when it was opened.
"""

import socket
import ssl
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from select import POLLIN, poll

import certifi
from urllib3.util import parse_url

from .targets import guard_enabled, vetted_address

# Hosts a thread keeps keep-alive connections to (least recently used closed).
CONNECTIONS_PER_THREAD = 50
# A response head longer than this is not an HTTP answer we can use.
MAX_HEAD_BYTES = 65_536
_READ_SIZE = 65_536
_DEFAULT_PORTS = {"http": 80, "https": 443}


class SendFailed(Exception):
    """The POST got no usable HTTP answer; ``str(exc)`` is the attempt's error."""


class SendTimedOut(SendFailed):
    """No answer (status line and headers) before the deadline."""


class Response:
    """``status``; ``headers`` (lower-cased names, first occurrence kept); the first
    ``max_body`` bytes of the body; ``complete`` (the body was read to its end);
    ``timed_out`` (the deadline passed while the body was being read)."""

    __slots__ = ("status", "version", "headers", "body", "complete", "timed_out")

    def __init__(self, status: int, version: str, headers: dict[str, str]):
        self.status = status
        self.version = version
        self.headers = headers
        self.body = b""
        self.complete = False
        self.timed_out = False


@lru_cache(maxsize=4096)
def _target(url: str) -> tuple[str, str, int, str, bytes]:
    """(scheme, host to connect to, port, host as in the URL, start of the request)."""
    try:
        parts = parse_url(url)
    except ValueError as exc:  # urllib3's LocationParseError
        raise SendFailed(f"not sent: the URL cannot be parsed ({exc})")
    scheme = (parts.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS or not parts.host:
        raise SendFailed(f"not sent: '{url}' is not an absolute http(s) URL")
    port = parts.port or _DEFAULT_PORTS[scheme]
    host_header = parts.host if port == _DEFAULT_PORTS[scheme] else f"{parts.host}:{port}"
    # parse_url percent-encodes what the request target may not hold and refuses
    # such a host; checked again here because a request split in two would send
    # headers the URL chose.
    if any(ord(ch) <= 0x20 or ord(ch) >= 0x7F for ch in parts.request_uri + host_header):
        raise SendFailed("not sent: the URL contains whitespace or control characters")
    head = (
        f"POST {parts.request_uri} HTTP/1.1\r\nHost: {host_header}\r\nAccept-Encoding: identity\r\n"
    ).encode("ascii")
    return scheme, parts.host.strip("[]"), port, head


_tls = None


def tls_context() -> ssl.SSLContext:
    """Certificates verified (certifi's roots) and matched to the URL's host name."""
    global _tls
    if _tls is None:
        context = ssl.create_default_context(cafile=certifi.where())
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        _tls = context
    return _tls


class _Connection:
    __slots__ = ("sock", "buffer", "poller")

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.poller = poll()
        self.poller.register(sock, POLLIN)

    def dropped(self) -> bool:
        """Readable while idle: the receiver closed it (or sent what it should not)."""
        return bool(self.poller.poll(0)) or bool(self.buffer)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


_local = threading.local()


def _connections() -> OrderedDict:
    table = getattr(_local, "table", None)
    if table is None:
        table = _local.table = OrderedDict()
    return table


def close_connections() -> None:
    """Close this thread's kept-alive connections."""
    table = _connections()
    while table:
        table.popitem()[1].close()


def _connect(scheme: str, host: str, port: int, deadline: float) -> _Connection:
    address = vetted_address(host, port) if guard_enabled() else host
    try:
        sock = socket.create_connection((address, port), timeout=_remaining(deadline))
    except TimeoutError:
        raise SendTimedOut("connect timed out")
    except socket.gaierror as exc:
        raise SendFailed(f"connection failed: NameResolutionError: {host}: {exc}")
    except OSError as exc:
        raise SendFailed(f"connection failed: NewConnectionError: {exc}")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if scheme == "https":
        try:
            sock.settimeout(_remaining(deadline))
            sock = tls_context().wrap_socket(sock, server_hostname=host)
        except TimeoutError:
            sock.close()
            raise SendTimedOut("TLS handshake timed out")
        except (ssl.SSLError, ssl.CertificateError, OSError) as exc:
            sock.close()
            raise SendFailed(f"connection failed: SSLError: {exc}")
    return _Connection(sock)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, max_body: int):
    """POST ``body`` with ``headers`` (Host, Accept-Encoding and Content-Length are
    added); the answer within ``timeout`` seconds, its body read up to
    ``max_body`` bytes. Raises SendFailed without an answer, targets.UnsafeTarget
    when the guard refuses the address."""
    scheme, host, port, head = _target(url)
    deadline = time.monotonic() + timeout
    return _exchange(scheme, host, port, head, body, headers, deadline, max_body)


def _exchange(scheme, host, port, head, body, headers, deadline, max_body) -> Response:
    table = _connections()
    key = (guard_enabled(), scheme, host, port)
    conn = table.pop(key, None)
    if conn is not None and conn.dropped():
        conn.close()
        conn = None
    if conn is None:
        conn = _connect(scheme, host, port, deadline)
    request = (
        head
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode("latin-1")
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    keep = False
    try:
        sock = conn.sock
        try:
            sock.settimeout(_remaining(deadline))
            sock.sendall(request)
            response = _read_head(conn, deadline)
        except TimeoutError:
            raise SendTimedOut("no answer in time")
        except OSError as exc:
            raise SendFailed(f"connection failed: ProtocolError: {type(exc).__name__}: {exc}")
        keep = _read_body(conn, response, deadline, max_body)
        return response
    finally:
        if keep:
            table[key] = conn
            while len(table) > CONNECTIONS_PER_THREAD:
                table.popitem(last=False)[1].close()
        else:
            conn.close()


def _fill(conn: _Connection, deadline: float) -> bool:
    """Read more into the buffer; False at the end of the stream."""
    conn.sock.settimeout(_remaining(deadline))
    chunk = conn.sock.recv(_READ_SIZE)
    if not chunk:
        return False
    conn.buffer += chunk
    return True


def _read_head(conn: _Connection, deadline: float) -> Response:
    """The final answer's status line and headers (interim 1xx answers skipped)."""
    buffer = conn.buffer
    while True:
        end = buffer.find(b"\r\n\r\n")
        while end < 0:
            if len(buffer) > MAX_HEAD_BYTES:
                raise SendFailed("connection failed: ProtocolError: response head too long")
            if not _fill(conn, deadline):
                raise SendFailed(
                    "connection failed: ProtocolError: RemoteDisconnected: Remote end closed "
                    "connection without response"
                    if not buffer
                    else "connection failed: ProtocolError: incomplete response head"
                )
            end = buffer.find(b"\r\n\r\n")
        lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
        del buffer[: end + 4]
        version, _, rest = lines[0].partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise SendFailed(f"connection failed: ProtocolError: BadStatusLine: {lines[0][:100]!r}")
        status = int(code)
        if 100 <= status < 200 and status != 101:
            continue
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers.setdefault(name.strip().lower(), value.strip())
        return Response(status, version, headers)


def _read_body(conn: _Connection, response: Response, deadline: float, max_body: int) -> bool:
    """Read the body (up to ``max_body`` bytes kept); returns whether the connection
    may carry another request."""
    headers = response.headers
    try:
        if response.status in (101, 204, 304):
            response.complete = True
            reusable = response.status != 101
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            reusable = _read_chunked(conn, response, deadline, max_body)
        elif "content-length" in headers:
            try:
                length = int(headers["content-length"])
                if length < 0:
                    raise ValueError
            except ValueError:
                response.body = b""
                return False
            reusable = _read_length(conn, response, deadline, max_body, length)
        else:
            _read_to_close(conn, response, deadline, max_body)
            return False
    except TimeoutError:
        response.timed_out = True
        if not response.body:
            response.body = bytes(conn.buffer[:max_body])
        return False
    except OSError:
        # The body was cut off: what arrived is kept, the connection is not reused.
        response.body = bytes(conn.buffer[:max_body])
        return False
    connection = headers.get("connection", "").lower()
    if "close" in connection or (response.version == "HTTP/1.0" and "keep-alive" not in connection):
        return False
    return reusable and response.complete and not conn.buffer


def _read_length(conn, response, deadline, max_body, length) -> bool:
    buffer = conn.buffer
    while len(buffer) < length and len(buffer) <= max_body:
        if not _fill(conn, deadline):
            response.body = bytes(buffer[:max_body])
            return False
    response.body = bytes(buffer[: min(length, max_body)])
    if len(buffer) >= length:
        del buffer[:length]
        response.complete = True
        return True
    return False


def _read_to_close(conn, response, deadline, max_body) -> None:
    buffer = conn.buffer
    while len(buffer) <= max_body:
        if not _fill(conn, deadline):
            response.complete = True
            break
    response.body = bytes(buffer[:max_body])


def _read_chunked(conn, response, deadline, max_body) -> bool:
    buffer = conn.buffer
    body = bytearray()
    while True:
        end = buffer.find(b"\r\n")
        while end < 0:
            if not _fill(conn, deadline):
                response.body = bytes(body[:max_body])
                return False
            end = buffer.find(b"\r\n")
        size_text = bytes(buffer[:end]).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            response.body = bytes(body[:max_body])
            return False
        del buffer[: end + 2]
        if size == 0:
            # Trailers, up to the empty line that ends the message.
            while True:
                end = buffer.find(b"\r\n")
                while end < 0:
                    if not _fill(conn, deadline):
                        response.body = bytes(body[:max_body])
                        return False
                    end = buffer.find(b"\r\n")
                line = buffer[:end]
                del buffer[: end + 2]
                if not line:
                    response.body = bytes(body[:max_body])
                    response.complete = True
                    return True
        while len(buffer) < size + 2:
            if len(body) + len(buffer) > max_body or not _fill(conn, deadline):
                body += buffer[:size]
                response.body = bytes(body[:max_body])
                return False
        body += buffer[:size]
        del buffer[: size + 2]
        if len(body) > max_body:
            response.body = bytes(body[:max_body])
            return False
