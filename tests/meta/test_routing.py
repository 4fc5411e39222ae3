"""Meta's front door calls handlers the apps register from ready(): every kind it
routes has an owner, and a missing or misspelt one fails loudly, never silently."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conversations import selectors, services
from instantreply.meta import routing
from templates_app.services import template_status_from_meta


def test_every_kind_the_front_door_routes_is_registered_by_an_app():
    assert set(routing.HANDLERS) == set(routing.HANDLER_KINDS)
    assert routing.handler("message_received") is services.inbound_message_receive
    assert routing.handler("status_applied") is services.message_status_apply
    assert routing.handler("echo_recorded") is services.outbound_echo_record
    assert routing.handler("channel") is selectors.channel_for_meta
    assert routing.handler("send_in_flight") is selectors.channel_send_in_flight
    assert routing.handler("template_updated") is template_status_from_meta


def test_it_refuses_to_register_an_unknown_kind():
    with pytest.raises(ImproperlyConfigured, match="no handler kind 'mesage_received'"):
        routing.register("mesage_received", print)


def test_a_kind_no_app_registered_fails_loudly(monkeypatch):
    monkeypatch.delitem(routing.HANDLERS, "template_updated")
    with pytest.raises(ImproperlyConfigured, match="No app registered a Meta 'template_updated'"):
        routing.handler("template_updated")
