import datetime as dt
import threading

import pytest
from django.db import connection

from conversations.models import DailyOutboundCount, Message
from conversations.services import outbound_quota_reserve
from instantreply.api.errors import ApiError
from instantreply.core.timeutil import now
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


def _set_today(workspace, count):
    DailyOutboundCount.objects.update_or_create(
        workspace=workspace, day=now().date(), defaults={"count": count}
    )


@pytest.fixture
def free_workspace(workspace):
    workspace.tier = "free"  # 250 outbound messages a day
    workspace.save()
    return workspace


def test_quota_reached_is_422_with_retry_after_until_midnight(
    api_client, free_workspace, conversation
):
    _set_today(free_workspace, 249)
    url = f"/v1/conversations/{conversation.id}/messages"
    assert api_client.post(url, {"text": "last one"}).status_code == 202
    response = api_client.post(url, {"text": "one too many"})
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "LIMIT_EXCEEDED"
    at = now()
    midnight = dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    assert abs(int(response["Retry-After"]) - (midnight - at).total_seconds()) <= 5
    assert "250" in error["message"]
    assert Message.objects.filter(direction="outbound").count() == 1
    assert DailyOutboundCount.objects.get(workspace=free_workspace).count == 250


def test_refused_send_does_not_use_quota(api_client, free_workspace, channel, conversation):
    url = f"/v1/conversations/{conversation.id}/messages"
    api_client.post(url, {"text": "x" * 5000})
    from conversations.services import channel_set_status

    channel_set_status(channel=channel, status="disconnected")
    assert api_client.post(url, {"text": "hi"}).status_code == 409
    assert not DailyOutboundCount.objects.filter(count__gt=0).exists()


def test_test_mode_messages_do_not_count(test_client, free_workspace, channel, receive):
    _set_today(free_workspace, 250)
    conversation = receive(channel, livemode=False).conversation
    response = test_client.post(f"/v1/conversations/{conversation.id}/messages", {"text": "hi"})
    assert response.status_code == 202
    assert DailyOutboundCount.objects.get(workspace=free_workspace).count == 250


def test_usage_reports_the_counter(api_client, free_workspace, conversation):
    api_client.post(f"/v1/conversations/{conversation.id}/messages", {"text": "hi"})
    messages = api_client.get("/v1/usage").json()["data"]["messages"]
    assert messages == {"sent_today": 1, "daily_quota": 250}


def test_counter_is_per_utc_day(free_workspace):
    DailyOutboundCount.objects.create(
        workspace=free_workspace, day=now().date() - dt.timedelta(days=1), count=250
    )
    outbound_quota_reserve(workspace=free_workspace, livemode=True)
    assert DailyOutboundCount.objects.get(workspace=free_workspace, day=now().date()).count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_at_249_of_250_let_exactly_one_through(free_workspace):
    _set_today(free_workspace, 249)
    barrier = threading.Barrier(2)
    outcomes = []

    def reserve():
        from django.db import transaction

        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                outbound_quota_reserve(workspace=free_workspace, livemode=True)
                # Hold the reservation open so the other thread decides while it is uncommitted.
                connection.cursor().execute("SELECT pg_sleep(0.2)")
            outcomes.append("ok")
        except ApiError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["LIMIT_EXCEEDED", "ok"]
    assert DailyOutboundCount.objects.get(workspace=free_workspace).count == 250


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_api_sends_at_249_of_250(free_workspace, api_key, channel, receive, monkeypatch):
    from conversations.services import sending
    from tests.helpers import ApiClient

    enqueued = []
    monkeypatch.setattr(sending, "enqueue_send", enqueued.append)

    conversation = receive(channel).conversation
    _set_today(free_workspace, 249)
    barrier = threading.Barrier(2)
    statuses = []

    def send(i):
        client = ApiClient(api_key[1])
        barrier.wait(timeout=10)
        statuses.append(
            client.post(
                f"/v1/conversations/{conversation.id}/messages", {"text": f"m{i}"}
            ).status_code
        )
        connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [202, 422]
    assert Message.objects.filter(direction="outbound").count() == 1
    assert enqueued == [Message.objects.get(direction="outbound").id]
    assert DailyOutboundCount.objects.get(workspace=free_workspace).count == 250
