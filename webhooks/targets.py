"""Where webhooks may be sent (SSRF guard, §9).

Registration resolves the host and refuses it if *any* address is not a public
one. Delivery checks again at connect time: the delivery HTTP client (client.py)
keeps connections per thread (keep-alive), and with the guard on every new
connection resolves the host, checks every address it resolves to
(``vetted_address``), and connects to the checked one (the pin) — so a DNS
answer that changes between check and connect (rebinding) cannot reach an
internal service. TLS still verifies the certificate against the URL's host
name; a reused keep-alive connection stays on the address checked when it was
opened. The blocked ranges beyond Python's own come from requests-hardened.
``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (development and tests) lifts the address
check; https is required unless DEBUG or that setting is on.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES

from instantreply.api.errors import ApiError

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
