import socket

import pytest
from django.test import override_settings

from tests.helpers import error_of
from webhooks.models import WebhookDelivery

guard_on = override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False, DEBUG=False)


def _public_dns(monkeypatch, address="93.184.215.14"):
    """Resolve every name to one public address, without touching the network."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in ("localhost",) or host.replace(".", "").isdigit() or ":" in host:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 443))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://169.254.169.254/", "169.254.169.254 is a link-local address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://100.64.0.1/", "not a public internet address"),
        ("http://localhost:8080/", "host 'localhost' resolves to"),
    ],
)
def test_private_targets_are_refused_at_registration(api_client, url, words):
    with guard_on:
        response = api_client.post(
            "/v1/webhooks", {"url": url.replace("http:", "https:"), "events": ["*"]}
        )
        plain = api_client.post("/v1/webhooks", {"url": url, "events": ["*"]})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "INVALID_WEBHOOK_URL"
    assert words in error["message"]
    assert error["details"] == [{"field": "url", "issue": error["details"][0]["issue"]}]
    # Over http the https rule answers first; either way nothing is registered.
    assert error_of(plain)["code"] == "INVALID_WEBHOOK_URL"


def test_a_name_resolving_to_loopback_is_refused(api_client, monkeypatch):
    _public_dns(monkeypatch, address="127.0.0.1")
    with guard_on:
        response = api_client.post(
            "/v1/webhooks", {"url": "https://rebind.example.com/x", "events": ["*"]}
        )
    error = error_of(response)
    assert error["code"] == "INVALID_WEBHOOK_URL"
    assert (
        "host 'rebind.example.com' resolves to 127.0.0.1, which is a loopback address"
        in error["message"]
    )


def test_https_is_required_when_the_guard_is_on(api_client, monkeypatch):
    _public_dns(monkeypatch)
    with guard_on:
        plain = api_client.post(
            "/v1/webhooks", {"url": "http://hooks.example.com/x", "events": ["*"]}
        )
        secure = api_client.post(
            "/v1/webhooks", {"url": "https://hooks.example.com/x", "events": ["*"]}
        )
    assert "https is required" in error_of(plain)["message"]
    assert secure.status_code == 201


def test_http_is_fine_in_debug_but_private_addresses_are_not(api_client, monkeypatch):
    _public_dns(monkeypatch)
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False, DEBUG=True):
        ok = api_client.post("/v1/webhooks", {"url": "http://hooks.example.com/x", "events": ["*"]})
        private = api_client.post("/v1/webhooks", {"url": "http://10.1.2.3/x", "events": ["*"]})
    assert ok.status_code == 201
    assert error_of(private)["code"] == "INVALID_WEBHOOK_URL"


def test_an_unresolvable_host_is_refused(api_client, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with guard_on:
        response = api_client.post(
            "/v1/webhooks", {"url": "https://nowhere.invalid/x", "events": ["*"]}
        )
    assert "could not be resolved" in error_of(response)["message"]


def test_delivery_checks_the_connected_address_again(make_endpoint, receiver, fire):
    """Registered while allowed (or DNS said public); at delivery time the address
    actually connected to is checked (webhooks.targets) and refused."""
    endpoint = make_endpoint(url=receiver.url.replace("127.0.0.1", "localhost"))
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False, DEBUG=True):
        fire()
    assert receiver.requests == []
    row = WebhookDelivery.objects.get(endpoint=endpoint, attempt=1)
    assert row.status == "failed" and row.response_status is None
    assert "not a public internet address" in row.error and "127.0.0.1" in row.error
    assert WebhookDelivery.objects.filter(endpoint=endpoint, attempt=2, status="pending").exists()


def test_a_dns_answer_changed_after_registration_is_caught_at_connect_time(
    make_endpoint, receiver, fire, monkeypatch
):
    port = receiver.server.server_address[1]
    endpoint = make_endpoint(url=f"http://rebind.example.com:{port}/hooks")
    _public_dns(monkeypatch, address="127.0.0.1")
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False, DEBUG=True):
        fire()
    assert receiver.requests == []
    assert (
        "resolves to 127.0.0.1" in WebhookDelivery.objects.get(endpoint=endpoint, attempt=1).error
    )
