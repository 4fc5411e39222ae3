"""Where webhooks may be sent (SSRF guard, §9).

Registration resolves the host and refuses it if *any* address is not a public
one. Delivery checks again at connect time: it sends through urllib3 connection
pools kept per thread (keep-alive), and with the guard on every new connection
resolves the host, checks every address it resolves to, and connects to the
checked one (the pin) — so a DNS answer that changes between check and connect
(rebinding) cannot reach an internal service. TLS still verifies the certificate
against the URL's host name; a reused keep-alive connection stays on the address
checked when it was opened. The blocked ranges beyond Python's own come from
requests-hardened. ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (development and tests)
lifts the address check; https is required unless DEBUG or that setting is on.

(urllib3 directly, not requests-hardened's session: requests' per-call machinery
cost about a millisecond of CPU per delivery, more than the rest of the delivery
path; bench/webhooks_delivery.py.)
"""

import functools
import ipaddress
import socket
import threading
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import Retry, parse_url
from urllib3.util import connection as _connection

from instantreply.api.errors import ApiError

from .delivery_policy import TIMEOUT_SECONDS

USER_AGENT = "InstantReply-Webhooks/1"
MAX_URL_LENGTH = 2048


def guard_enabled() -> bool:
    return not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS


def https_required() -> bool:
    return not (settings.DEBUG or settings.WEBHOOK_ALLOW_PRIVATE_TARGETS)


def address_problem(raw: str) -> str | None:
    """Why this address may not receive webhooks, or None if it is public."""
    ip = ipaddress.ip_address(raw.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, words in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
    ):
        if test:
            return words
    if any(ip in net for net in EXTRA_BLOCKED_NET_RANGES) or not ip.is_global:
        return "not a public internet address"
    return None


def _invalid_url(url: str, why: str) -> ApiError:
    return ApiError(
        "INVALID_WEBHOOK_URL",
        f"Webhook URL '{url}' cannot be used: {why}.",
        details=[{"field": "url", "issue": why}],
    )


def validate_url(url: str) -> str:
    """The URL as it will be stored, or ApiError INVALID_WEBHOOK_URL."""
    if len(url) > MAX_URL_LENGTH:
        raise ApiError(
            "INVALID_WEBHOOK_URL",
            f"Webhook URL is {len(url)} characters long; the maximum is {MAX_URL_LENGTH}.",
            details=[{"field": "url", "issue": f"must be at most {MAX_URL_LENGTH} characters"}],
        )
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise _invalid_url(url, "it contains whitespace or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _invalid_url(url, f"it is not a valid URL ({exc})")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise _invalid_url(
            url, "expected an absolute http(s) URL such as https://example.com/hooks"
        )
    if scheme != "https" and https_required():
        raise _invalid_url(url, "https is required")
    if parts.username is not None or parts.password is not None:
        raise _invalid_url(url, "credentials (user:password@) are not allowed in the URL")
    if guard_enabled():
        host = parts.hostname
        try:
            infos = socket.getaddrinfo(
                host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError):
            raise _invalid_url(url, f"host '{host}' could not be resolved")
        for info in infos:
            address = info[4][0]
            problem = address_problem(address)
            if problem:
                subject = (
                    f"{address} is {problem}"
                    if host == address
                    else f"host '{host}' resolves to {address}, which is {problem}"
                )
                raise _invalid_url(
                    url, f"{subject}; webhooks are only sent to public internet addresses"
                )
    return url


class UnsafeTarget(Exception):
    """At delivery time the URL's host resolved to an address that may not
    receive webhooks (DNS changed since registration, or it was registered while
    the guard was off)."""

    def __init__(self, host: str, address: str, problem: str):
        super().__init__(f"host '{host}' resolves to {address}, which is {problem}")
        self.host = host
        self.address = address
        self.problem = problem


def vetted_address(host: str, port: int) -> str:
    """The address to connect to for ``host``: every address it resolves to must
    be public (as at registration), and the first is the one used."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        address = info[4][0]
        problem = address_problem(address)
        if problem:
            raise UnsafeTarget(host, address, problem)
    return infos[0][4][0]


class _GuardedConnectionMixin:
    """Opens the socket to the vetted address instead of letting urllib3 resolve
    the name again; the Host header, SNI and certificate check keep the name."""

    def _new_conn(self):
        try:
            address = vetted_address(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        try:
            return _connection.create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


# Hosts a thread keeps keep-alive connections to (least recently used dropped).
POOLS_PER_THREAD = 50
_TIMEOUT = urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS)
# What ``retries=False, redirect=False`` would build on every call (Retry.from_int).
_NO_RETRIES = Retry(total=False, redirect=False)
_local = threading.local()


def _pools() -> urllib3.PoolManager:
    """This thread's pools; rebuilt when the guard setting changes (tests)."""
    guard = guard_enabled()
    cached = getattr(_local, "pair", None)
    if cached is None or cached[0] != guard:
        manager = urllib3.PoolManager(
            num_pools=POOLS_PER_THREAD,
            maxsize=1,
            retries=False,
            timeout=_TIMEOUT,
            ca_certs=certifi.where(),
        )
        if guard:
            manager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
        cached = (guard, manager)
        _local.pair = cached
    return cached[1]


@functools.lru_cache(maxsize=4096)
def _split(url: str) -> tuple[str, str, int | None, str]:
    parts = parse_url(url)
    return parts.scheme, parts.host, parts.port, parts.request_uri


def open_post(url: str, body: bytes, headers: dict):
    """POST ``body`` to ``url`` over this thread's keep-alive pool: no retries, no
    redirects followed, the response left unread (``preload_content=False``) for
    the caller to read and release. Proxies from the environment are never used:
    they would bypass the pin."""
    scheme, host, port, path = _split(url)
    pool = _pools().connection_from_host(host, port, scheme=scheme)
    return pool.urlopen(
        "POST",
        path,
        body=body,
        headers=headers,
        retries=_NO_RETRIES,
        redirect=False,
        assert_same_host=False,
        preload_content=False,
        release_conn=False,
    )
