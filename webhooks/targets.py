"""Where webhooks may be sent (SSRF guard, §9).

Registration resolves the host and refuses it if *any* address is not a public
one. Delivery goes through ``requests-hardened``, which resolves again, checks
the address and pins the connection to exactly that address — so a DNS answer
that changes between check and connect (rebinding) cannot reach an internal
service. ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (development and tests) lifts the
address check; https is required unless DEBUG or that setting is on.
"""

import ipaddress
import socket
import threading
from urllib.parse import urlsplit

from django.conf import settings
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES

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


_sessions = threading.local()


def session() -> HTTPSession:
    """A per-thread keep-alive session. With the guard on, requests-hardened checks
    and pins the address of every new connection; redirects are never followed."""
    guard = guard_enabled()
    cached = getattr(_sessions, "pair", None)
    if cached is None or cached[0] != guard:
        config = Config(
            ip_filter_enable=guard,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(TIMEOUT_SECONDS, TIMEOUT_SECONDS),
            user_agent_override=USER_AGENT,
        )
        http = HTTPSession(config)
        http.trust_env = False  # no proxies from the environment: they would bypass the pin
        cached = (guard, http)
        _sessions.pair = cached
    return cached[1]
