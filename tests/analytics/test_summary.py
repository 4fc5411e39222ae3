"""GET /v1/analytics/summary against hand-counted fixtures (§8 Analytics).

The main fixture straddles the end of daylight saving time in America/New_York
(2026-11-01 02:00 EDT → 01:00 EST, a 25-hour day) and leaves two days empty.
"""

import datetime as dt

import pytest

from contacts.models import Contact
from conversations.models import Conversation, Message
from tests.helpers import error_of

URL = "/v1/analytics/summary"
NY = {"start_date": "2026-10-30", "end_date": "2026-11-03", "timezone": "America/New_York"}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def instagram(workspace):
    from conversations.services import channel_connect

    return channel_connect(
        workspace=workspace,
        platform="instagram",
        name="Insta",
        external_id="17841400000000001",
        access_token="EAAG-secret-token-instagram",
        display_handle="@acme",
    )


@pytest.fixture
def build(workspace):
    """Rows with chosen timestamps, written straight to the tables (the services
    stamp "now", and these figures are about the past)."""

    def contact(make_contact, created, livemode=True, ws=None):
        c = make_contact(ws=ws, livemode=livemode)
        Contact.objects.filter(pk=c.pk).update(created_at=utc(created))
        return c

    def conversation(channel, contact, created, status="active", closed=None, livemode=True):
        return Conversation.objects.create(
            workspace_id=channel.workspace_id,
            livemode=livemode,
            channel=channel,
            contact=contact,
            status=status,
            closed_at=utc(closed) if closed else None,
            created_at=utc(created),
            updated_at=utc(created),
        )

    def message(conv, direction, created, status=None):
        return Message.objects.create(
            workspace_id=conv.workspace_id,
            livemode=conv.livemode,
            conversation=conv,
            channel_id=conv.channel_id,
            direction=direction,
            type="text",
            text="hi",
            status=status or ("received" if direction == "inbound" else "delivered"),
            sender_type="contact" if direction == "inbound" else "api",
            created_at=utc(created),
            status_updated_at=utc(created),
        )

    def reopened(conv, at):
        """What the inbound service writes when a message re-opens a closed
        conversation: the conversation.updated event, in the message's transaction."""
        from webhooks.models import Event

        return Event.objects.create(
            workspace_id=conv.workspace_id,
            livemode=conv.livemode,
            type="conversation.updated",
            data={"id": conv.id, "status": "active"},
            previous_attributes={"status": "closed"},
            object_id=conv.id,
            created_at=utc(at),
        )

    class Build:
        pass

    b = Build()
    b.contact, b.conversation, b.message, b.reopened = contact, conversation, message, reopened
    return b


@pytest.fixture
def dst_data(build, channel, instagram, make_contact, other_workspace, other_channel_factory):
    b = build
    a = b.contact(make_contact, "2026-10-31T03:30:00")
    bb = b.contact(make_contact, "2026-11-02T04:30:00")
    c = b.contact(make_contact, "2026-11-01T05:30:00")
    d = b.contact(make_contact, "2026-10-30T03:59:00")  # Oct 29, 23:59 EDT: before the range

    # c1: opened Oct 30 23:30 EDT, answered after 60 s.
    c1 = b.conversation(channel, a, "2026-10-31T03:30:00")
    b.message(c1, "inbound", "2026-10-31T03:30:00")
    b.message(c1, "outbound", "2026-10-31T03:31:00", "delivered")
    b.message(c1, "outbound", "2026-10-31T03:35:00", "read")

    # c2: opened Nov 1 23:30 EST (Nov 2 in UTC), first reply failed after 120 s.
    c2 = b.conversation(channel, bb, "2026-11-02T04:30:00", "closed", "2026-11-02T05:30:00")
    b.message(c2, "inbound", "2026-11-02T04:30:00")
    b.message(c2, "outbound", "2026-11-02T04:32:00", "failed")
    b.message(c2, "outbound", "2026-11-02T05:30:00", "sent")

    # c3 (Instagram): opened 01:30 EDT, answered at 01:30 EST (3600 s), closed,
    # re-opened at 03:00 EST (which clears closed_at: only the event tells) and
    # answered 600 s later.
    c3 = b.conversation(instagram, c, "2026-11-01T05:30:00", "active")
    b.message(c3, "inbound", "2026-11-01T05:30:00")
    b.message(c3, "outbound", "2026-11-01T06:30:00", "delivered")
    b.message(c3, "inbound", "2026-11-01T08:00:00")
    b.reopened(c3, "2026-11-01T08:00:00.020")
    b.message(c3, "inbound", "2026-11-01T08:05:00")
    b.message(c3, "outbound", "2026-11-01T08:10:00", "queued")

    # c4: entirely outside the range (Oct 29 local; Nov 4 00:00 EST).
    c4 = b.conversation(channel, d, "2026-10-30T03:59:00", "closed", "2026-11-04T05:00:00")
    b.message(c4, "inbound", "2026-10-30T03:59:00")
    b.message(c4, "outbound", "2026-11-04T05:00:00", "delivered")

    # Test mode and another workspace, inside the range: never counted here.
    t = b.contact(make_contact, "2026-11-01T12:00:00", livemode=False)
    c5 = b.conversation(channel, t, "2026-11-01T12:00:00", livemode=False)
    b.message(c5, "inbound", "2026-11-01T12:00:00")
    b.message(c5, "outbound", "2026-11-01T12:00:05", "failed")
    other_channel = other_channel_factory(other_workspace)
    o = b.contact(make_contact, "2026-11-01T12:00:00", ws=other_workspace)
    c6 = b.conversation(other_channel, o, "2026-11-01T12:00:00")
    b.message(c6, "inbound", "2026-11-01T12:00:00")
    return {"whatsapp": channel, "instagram": instagram}


@pytest.fixture
def other_channel_factory():
    def make(ws):
        from conversations.services import channel_connect

        return channel_connect(
            workspace=ws,
            platform="messenger",
            name="Other page",
            external_id="555000111",
            access_token="EAAG-other",
        )

    return make


def day(date, started=0, inbound=0, outbound=0, failed=0):
    return {
        "date": date,
        "conversations_started": started,
        "inbound": inbound,
        "outbound": outbound,
        "failed": failed,
    }


def test_it_counts_the_hand_counted_fixture_across_the_dst_change(api_client, dst_data):
    response = api_client.get(URL, NY)
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {
        "start_date": "2026-10-30",
        "end_date": "2026-11-03",
        "timezone": "America/New_York",
        "conversations": {"started": 3, "closed": 1, "active_now": 2},
        "messages": {"inbound": 5, "outbound": 6, "failed": 1, "delivery_rate": 0.6},
        "contacts": {"new": 3},
        # durations 60, 120, 600, 3600 s: median (120+600)/2, p90 600 + 0.7 × 3000
        "first_response_seconds": {"median": 360.0, "p90": 2700.0},
        "by_day": [
            day("2026-10-30", started=1, inbound=1, outbound=2),
            day("2026-10-31"),
            day("2026-11-01", started=2, inbound=4, outbound=3, failed=1),
            day("2026-11-02", outbound=1),
            day("2026-11-03"),
        ],
        "by_platform": [
            {"platform": "whatsapp", "inbound": 2, "outbound": 4},
            {"platform": "instagram", "inbound": 3, "outbound": 2},
            {"platform": "messenger", "inbound": 0, "outbound": 0},
        ],
    }


def test_days_follow_the_requested_zone(api_client, dst_data):
    body = api_client.get(URL, {**NY, "timezone": "UTC"}).json()["data"]
    # In UTC, c1 (03:30Z Oct 31) and c2 (04:30Z Nov 2) move a day later.
    assert body["by_day"] == [
        day("2026-10-30", started=1, inbound=1),  # c4 at 03:59Z: Oct 29 in New York
        day("2026-10-31", started=1, inbound=1, outbound=2),
        day("2026-11-01", started=1, inbound=3, outbound=2),
        day("2026-11-02", started=1, inbound=1, outbound=2, failed=1),
        day("2026-11-03"),
    ]
    assert body["timezone"] == "UTC"


def test_half_hour_zones_bucket_by_local_day(api_client, build, channel, make_contact):
    # 20:00Z on Nov 1 is 01:30 on Nov 2 in Kolkata (+05:30): a UTC hour would
    # straddle two local days there, so the days come from the database.
    conv = build.conversation(channel, make_contact(), "2026-11-01T20:00:00")
    build.message(conv, "inbound", "2026-11-01T18:29:00")  # 23:59 Nov 1 IST
    build.message(conv, "inbound", "2026-11-01T18:30:00")  # 00:00 Nov 2 IST
    build.message(conv, "outbound", "2026-11-01T20:00:00", "delivered")
    body = api_client.get(
        URL, {"start_date": "2026-11-01", "end_date": "2026-11-02", "timezone": "Asia/Kolkata"}
    ).json()["data"]
    assert body["by_day"] == [
        day("2026-11-01", inbound=1),
        day("2026-11-02", started=1, inbound=1, outbound=1),
    ]


def test_a_message_reopening_a_closed_conversation_starts_a_new_wait(
    test_client, channel, django_capture_on_commit_callbacks
):
    """Through the real services: a customer writes, gets a reply, the agent
    closes the conversation, the customer writes again and gets another reply."""

    def inbound(text, **where):
        response = test_client.post("/v1/developer/simulate/inbound", {**where, "text": text})
        assert response.status_code == 202, response.content
        return response.json()["data"]

    def reply(conversation_id):
        with django_capture_on_commit_callbacks(execute=True):
            response = test_client.post(
                f"/v1/conversations/{conversation_id}/messages", {"text": "On it"}
            )
        assert response.status_code == 202, response.content
        return response.json()["data"]

    first = inbound("Hi", channel_id=channel.id, **{"from": {"external_id": "15551112222"}})
    conversation_id = first["conversation_id"]
    first_reply = reply(conversation_id)
    closed = test_client.patch(f"/v1/conversations/{conversation_id}", {"status": "closed"})
    assert closed.status_code == 200, closed.content
    again = inbound("Me again", conversation_id=conversation_id)
    assert Conversation.objects.get(pk=conversation_id).status == "active"
    second_reply = reply(conversation_id)

    # Known delays (the services stamp "now", milliseconds apart): the first
    # exchange moves two minutes back, the second reply 30 s after its message.
    reopened_at = Message.objects.get(pk=again["id"]).created_at
    opened_at = reopened_at - dt.timedelta(minutes=2)
    Message.objects.filter(pk=first["id"]).update(created_at=opened_at)
    Message.objects.filter(pk=first_reply["id"]).update(
        created_at=opened_at + dt.timedelta(seconds=10)
    )
    Message.objects.filter(pk=second_reply["id"]).update(
        created_at=reopened_at + dt.timedelta(seconds=30)
    )
    body = test_client.get(URL).json()["data"]
    assert body["first_response_seconds"] == {"median": 20.0, "p90": 28.0}
    assert body["conversations"]["started"] == 1


def test_it_filters_by_channel_and_platform(api_client, dst_data):
    by_channel = api_client.get(URL, {**NY, "channel_id": dst_data["instagram"].id}).json()["data"]
    assert by_channel["messages"] == {
        "inbound": 3,
        "outbound": 2,
        "failed": 0,
        "delivery_rate": 1.0,
    }
    assert by_channel["conversations"] == {"started": 1, "closed": 0, "active_now": 1}
    assert by_channel["contacts"] == {"new": 1}
    assert by_channel["first_response_seconds"] == {"median": 2100.0, "p90": 3300.0}

    by_platform = api_client.get(URL, {**NY, "platform": "WhatsApp"}).json()["data"]
    assert by_platform["by_platform"] == [{"platform": "whatsapp", "inbound": 2, "outbound": 4}]
    assert by_platform["messages"]["inbound"] == 2
    assert by_platform["contacts"] == {"new": 2}


@pytest.mark.parametrize("which", ["unknown", "foreign"])
def test_unknown_or_foreign_channel_counts_nothing(api_client, dst_data, other_workspace, which):
    from conversations.models import Channel

    channel_id = (
        "chan_" + "0" * 32
        if which == "unknown"
        else Channel.objects.get(workspace=other_workspace).id
    )
    response = api_client.get(URL, {**NY, "channel_id": channel_id})
    assert response.status_code == 200
    body = response.json()["data"]
    assert body["messages"] == {"inbound": 0, "outbound": 0, "failed": 0, "delivery_rate": None}
    assert body["conversations"] == {"started": 0, "closed": 0, "active_now": 0}
    assert body["first_response_seconds"] is None
    assert [d["inbound"] for d in body["by_day"]] == [0] * 5


def test_test_keys_see_only_test_data(test_client, dst_data):
    body = test_client.get(URL, NY).json()["data"]
    assert body["messages"] == {"inbound": 1, "outbound": 1, "failed": 1, "delivery_rate": 0.0}
    assert body["conversations"] == {"started": 1, "closed": 0, "active_now": 1}
    assert body["contacts"] == {"new": 1}
    assert body["first_response_seconds"] == {"median": 5.0, "p90": 5.0}


def test_other_workspaces_data_is_invisible(other_client, dst_data):
    body = other_client.get(URL, NY).json()["data"]
    assert body["messages"]["inbound"] == 1
    assert body["conversations"]["started"] == 1
    assert body["by_platform"][2] == {"platform": "messenger", "inbound": 1, "outbound": 0}


def test_default_range_is_the_30_days_ending_today_in_the_zone(api_client):
    from zoneinfo import ZoneInfo

    body = api_client.get(URL, {"timezone": "Pacific/Kiritimati"}).json()["data"]
    today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert body["end_date"] == today.isoformat()
    assert body["start_date"] == (today - dt.timedelta(days=29)).isoformat()
    assert len(body["by_day"]) == 30
    assert body["first_response_seconds"] is None
    assert body["messages"]["delivery_rate"] is None


def test_a_366_day_range_is_allowed(api_client):
    body = api_client.get(URL, {"start_date": "2027-01-01", "end_date": "2028-01-01"}).json()
    assert len(body["data"]["by_day"]) == 366


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start_date": "2026-11-03", "end_date": "2026-11-01"}, "end_date"),
        ({"start_date": "2026-11-01", "end_date": "2027-11-02"}, "end_date"),
        ({"start_date": "2026-02-30", "end_date": "2026-03-01"}, "start_date"),
        ({"start_date": "2026-11-01", "end_date": "2026/11/02"}, "end_date"),
        ({"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-11-02"}, "start_date"),
        ({"start_date": "", "end_date": "2026-11-02"}, "start_date"),
        ({"start_date": "2026-11-01"}, "end_date"),
        ({"end_date": "2026-11-01"}, "start_date"),
    ],
)
def test_bad_ranges_are_invalid_date_range(api_client, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "INVALID_DATE_RANGE"
    assert error["details"][0]["field"] == field


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "EST5EDT6", "utc"])
def test_unknown_timezone_is_a_validation_error_with_a_detail(api_client, zone):
    response = api_client.get(URL, {"timezone": zone})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [{"field": "timezone", "issue": f"unknown IANA time zone '{zone}'"}]


def test_unsupported_platform_is_invalid_platform(api_client):
    error = error_of(api_client.get(URL, {"platform": "tiktok"}))
    assert error["code"] == "INVALID_PLATFORM"


def test_channel_id_needs_its_prefix(api_client):
    response = api_client.get(URL, {"channel_id": "conv_123"})
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "channel_id"


def test_it_needs_the_analytics_scope(client_with_scopes):
    response = client_with_scopes("conversations:read").get(URL)
    assert response.status_code == 403
    assert "analytics:read" in error_of(response)["message"]
    assert client_with_scopes("analytics:read").get(URL).status_code == 200


def _grow(build, channel, make_contact, conversations: int):
    """``conversations`` threads of 3 messages each, spread over the range."""
    start = utc("2026-10-30T04:00:00")
    convs = []
    for i in range(conversations):
        at = start + dt.timedelta(minutes=37 * i)
        contact = make_contact()
        conv = Conversation.objects.create(
            workspace_id=channel.workspace_id,
            channel=channel,
            contact=contact,
            created_at=at,
            updated_at=at,
            status="closed" if i % 3 == 0 else "active",
            closed_at=at + dt.timedelta(hours=1) if i % 3 == 0 else None,
        )
        convs.append((conv, at))
    rows = []
    for conv, at in convs:
        for offset, direction, status in (
            (0, "inbound", "received"),
            (45, "outbound", "delivered"),
            (90, "outbound", "failed"),
        ):
            rows.append(
                Message(
                    workspace_id=conv.workspace_id,
                    conversation=conv,
                    channel_id=conv.channel_id,
                    direction=direction,
                    status=status,
                    sender_type="contact" if direction == "inbound" else "api",
                    created_at=at + dt.timedelta(seconds=offset),
                    status_updated_at=at,
                )
            )
    Message.objects.bulk_create(rows)


def test_the_query_count_does_not_grow_with_the_data(
    api_client, workspace, build, channel, make_contact, django_assert_num_queries, is_postgres
):
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations.analytics import SummaryQuery, analytics_summary

    query = SummaryQuery(
        workspace_id=workspace.id,
        livemode=True,
        start_date=dt.date(2026, 10, 30),
        end_date=dt.date(2026, 11, 3),
        zone=ZoneInfo("America/New_York"),
        zone_name="America/New_York",
    )
    api_client.get(URL, NY)  # warm-up: last_used_at and other once-a-minute writes
    # Six reads, inside a savepoint here (the test's transaction), plus SET LOCAL
    # jit on PostgreSQL.
    expected = 6 + 2 + (1 if is_postgres else 0)

    _grow(build, channel, make_contact, 5)
    with django_assert_num_queries(expected):
        small = analytics_summary(query, platforms=("whatsapp",))
    with CaptureQueriesContext(connection) as request_queries:
        assert api_client.get(URL, NY).status_code == 200

    _grow(build, channel, make_contact, 45)
    with django_assert_num_queries(expected):
        big = analytics_summary(query, platforms=("whatsapp",))
    with django_assert_num_queries(len(request_queries)):
        assert api_client.get(URL, NY).json()["data"]["messages"] == big["messages"]

    assert small["messages"]["inbound"] == 5
    assert big["messages"]["inbound"] == 50
    assert big["messages"]["failed"] == 50
    assert big["first_response_seconds"] == {"median": 45.0, "p90": 45.0}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_it_refuses_dates_at_the_ends_of_the_calendar(api_client, day):
    response = api_client.get("/v1/analytics/summary", {"start_date": day, "end_date": day})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "INVALID_DATE_RANGE"
    assert error["details"][0]["field"] == "start_date"
