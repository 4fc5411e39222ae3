"""The sweep of stored Meta webhook events: events whose processing was lost are
queued again, events that never complete are given up, old handled ones purged."""

import datetime as dt

import pytest

from conversations.models import Message
from instantreply.core.timeutil import now
from instantreply.meta.tasks import sweep_inbound_events

from .payloads import signed, whatsapp_text


@pytest.mark.django_db
def test_the_sweeper_processes_webhook_events_left_unprocessed(wa_channel):
    from django.test import Client

    from instantreply.meta.models import InboundEvent

    body, headers = signed(whatsapp_text(wa_channel.external_id, wamid="wamid.LOST"))
    # No on-commit capture: the test transaction never commits, so the enqueue is lost.
    Client().post("/meta/webhook", data=body, content_type="application/json", headers=headers)
    event = InboundEvent.objects.get()
    InboundEvent.objects.filter(pk=event.pk).update(created_at=now() - dt.timedelta(minutes=5))
    assert sweep_inbound_events()["inbound_requeued"] == 1
    event.refresh_from_db()
    assert event.status == "processed"
    assert Message.objects.filter(external_id="wamid.LOST").exists()


@pytest.mark.django_db
def test_the_sweeper_gives_up_on_an_event_that_never_completes(wa_channel):
    from instantreply.meta.models import InboundEvent

    event = InboundEvent.objects.create(body=b"{}", attempts=8)
    InboundEvent.objects.filter(pk=event.pk).update(created_at=now() - dt.timedelta(minutes=5))
    sweep_inbound_events()
    event.refresh_from_db()
    assert event.status == "failed"
    assert "after 8 attempts" in event.reason


@pytest.mark.django_db
def test_the_sweeper_purges_old_handled_events_but_keeps_unprocessed_ones(settings):
    from instantreply.meta.models import InboundEvent

    old = now() - dt.timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS + 1)
    handled = InboundEvent.objects.create(body=b"{}", status="processed")
    fresh = InboundEvent.objects.create(body=b"{}", status="processed")
    InboundEvent.objects.filter(pk=handled.pk).update(created_at=old)
    assert sweep_inbound_events()["inbound_purged"] == 1
    assert list(InboundEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
