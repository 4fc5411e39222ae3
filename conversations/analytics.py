"""Reads behind GET /v1/analytics/summary (§8 Analytics).

Design note: the figures come from rollups that database triggers keep in the
transaction of every write (conversations/models.py, migration 0004), so a read
costs the same whether the range holds a thousand messages or a million. The
number of queries is fixed (six, in one read transaction): the workspace's
channels (id → platform); message counters per local day × channel, summed from
15-minute MessageStat buckets; conversations started / closed per local day from
ConversationStat buckets; active conversations (a partial index); new contacts;
first response times (PostgreSQL folds them with ``percentile_cont``; SQLite
returns one duration per opening and the percentile is taken here).

Days are the requested zone's: the range bounds are local midnights converted
to UTC, so a 23- or 25-hour DST day is exactly one day. Buckets are 15 UTC
minutes long and every current IANA offset (and DST shift) is a multiple of 15
minutes, so each bucket lies inside one local day of any zone; it is assigned
with ``TruncDate(bucket_start, tzinfo=zone)`` — ``AT TIME ZONE`` on PostgreSQL,
zoneinfo on SQLite — which also handles half- and quarter-hour zones.

First response: an inbound message *opens* a conversation when it is the first
message of a conversation started in the range (a FirstResponse row, with the
first outbound message at or after it), and *re-opens* it when it is the
message whose arrival turned a closed conversation active again (found through
the conversation.updated event the inbound service writes with it; these are
few, so their replies are looked up per event).
"""

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate

from contacts.models import Contact
from webhooks.models import Event

from .models import Channel, Conversation, ConversationStat, FirstResponse, Message, MessageStat

# A re-opening inbound message and the conversation.updated event announcing it
# are written in one transaction, milliseconds apart; a reopen by PATCH has no
# inbound message that close before it.
REOPEN_LINK_WINDOW = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class SummaryQuery:
    workspace_id: str
    livemode: bool
    start_date: dt.date
    end_date: dt.date
    zone: dt.tzinfo
    zone_name: str
    channel_id: str | None = None
    platform: str | None = None
    # The platform's channels, once read (see _summary).
    platform_channel_ids: tuple[str, ...] | None = None

    @property
    def start_at(self) -> dt.datetime:
        return local_midnight(self.start_date, self.zone)

    @property
    def end_at(self) -> dt.datetime:
        """Exclusive upper bound: midnight starting the day after ``end_date``."""
        return local_midnight(self.end_date + dt.timedelta(days=1), self.zone)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(count)]


def local_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The instant a local day starts, in UTC. Where a zone skips midnight (a DST
    jump at 00:00), fold=0 resolves the missing time with the offset in force
    before the jump, which is the first local instant of that day."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)


def _channel_filter(q: SummaryQuery) -> Q:
    cond = Q()
    if q.channel_id:
        cond &= Q(channel_id=q.channel_id)
    if q.platform and q.platform_channel_ids:
        # Literal ids: PostgreSQL estimates them from the column statistics, where a
        # subquery is guessed far too selective (a 33k-row nested loop in the bench).
        cond &= Q(channel_id__in=q.platform_channel_ids)
    elif q.platform:
        # An id list rather than a join: the big scans stay on one table.
        cond &= Q(
            channel_id__in=Channel.objects.filter(
                workspace_id=q.workspace_id, platform=q.platform
            ).values("id")
        )
    return cond


def _conversations(q: SummaryQuery):
    return Conversation.objects.filter(
        _channel_filter(q), workspace_id=q.workspace_id, livemode=q.livemode
    )


def _in_range(q: SummaryQuery, field: str) -> Q:
    return Q(**{f"{field}__gte": q.start_at, f"{field}__lt": q.end_at})


def _buckets(model, q: SummaryQuery):
    """The rollup rows of the range, grouped by local day (and ``by``)."""
    return (
        model.objects.filter(
            _channel_filter(q),
            _in_range(q, "bucket_start"),
            workspace_id=q.workspace_id,
            livemode=q.livemode,
        )
        .annotate(day=TruncDate("bucket_start", tzinfo=q.zone))
        .order_by()
    )


def channel_platforms(q: SummaryQuery) -> dict[str, str]:
    return dict(Channel.objects.filter(workspace_id=q.workspace_id).values_list("id", "platform"))


MESSAGE_COUNTERS = ("inbound", "outbound", "failed", "delivered", "settled")


def message_counts(q: SummaryQuery) -> list[dict]:
    """One row per (local day, channel) with the message counters: inbound,
    outbound, failed, delivered (outbound delivered or read) and settled
    (outbound that reached sent or failed)."""
    return list(
        _buckets(MessageStat, q)
        .values("day", "channel_id")
        .annotate(**{name: Sum(name) for name in MESSAGE_COUNTERS})
    )


def conversation_counts(q: SummaryQuery) -> dict[dt.date, dict]:
    """{local day: {"started": n, "closed": n}} for the days that have any."""
    rows = (
        _buckets(ConversationStat, q)
        .values("day")
        .annotate(started=Sum("started"), closed=Sum("closed"))
    )
    return {
        _as_date(row["day"]): {"started": row["started"], "closed": row["closed"]} for row in rows
    }


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def active_now(q: SummaryQuery) -> int:
    return _conversations(q).filter(status="active").count()


def new_contacts(q: SummaryQuery) -> int:
    contacts = Contact.objects.filter(
        _in_range(q, "created_at"), workspace_id=q.workspace_id, livemode=q.livemode
    )
    if q.channel_id or q.platform:
        # A contact belongs to a channel through its conversations there.
        on_channel = Conversation.objects.filter(_channel_filter(q), contact=OuterRef("pk"))
        contacts = contacts.filter(Exists(on_channel))
    return contacts.count()


def _openings_sql(q: SummaryQuery) -> tuple[str, list]:
    """SQL of (opened_at, replied_at) rows: one per opening in the range,
    replied_at null while unanswered. Openings come from FirstResponse rows;
    re-openings from their events, with the reply looked up per event. The
    re-openings CTE is materialised on PostgreSQL so that the outer filters are
    not pushed into it (which would repeat each per-event probe)."""
    opened = (
        FirstResponse.objects.filter(
            _channel_filter(q),
            _in_range(q, "conversation_created_at"),
            _in_range(q, "opened_at"),
            workspace_id=q.workspace_id,
            livemode=q.livemode,
        )
        .values("opened_at", "replied_at")
        .order_by()
    )
    # A re-opening leaves no trace on the conversation (closed_at is cleared), but
    # the inbound service announces it — conversation.updated with the previous
    # status "closed" — in the transaction that stores the message; the message
    # is the conversation's latest inbound one written just before the event.
    reopening_message = (
        Message.objects.filter(
            conversation_id=OuterRef("object_id"),
            direction="inbound",
            created_at__lte=OuterRef("created_at"),
            created_at__gte=OuterRef("created_at") - REOPEN_LINK_WINDOW,
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    reopen_events = Event.objects.filter(
        workspace_id=q.workspace_id,
        livemode=q.livemode,
        type="conversation.updated",
        previous_attributes__status="closed",
        created_at__gte=q.start_at,
        created_at__lt=q.end_at + REOPEN_LINK_WINDOW,
    ).exclude(data__status="closed")
    if q.channel_id or q.platform:
        reopen_events = reopen_events.filter(
            Exists(_conversations(q).filter(pk=OuterRef("object_id")))
        )
    reopened = (
        reopen_events.annotate(conv_id=F("object_id"), opened_at=Subquery(reopening_message))
        .values("conv_id", "opened_at")
        .order_by()
    )
    opened_sql, opened_params = opened.query.sql_with_params()
    reopened_sql, reopened_params = reopened.query.sql_with_params()
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    message = Message._meta.db_table
    # The conv_id/opened_at columns are aliased as such by the ORM.
    sql = (
        f"WITH r AS {materialized}({reopened_sql}) "
        f"SELECT f.opened_at, f.replied_at FROM ({opened_sql}) f "
        "UNION ALL "
        "SELECT r.opened_at,"
        f" (SELECT m.created_at FROM {message} m WHERE m.conversation_id = r.conv_id"
        "   AND m.direction = %s AND m.created_at >= r.opened_at"
        "   ORDER BY m.created_at, m.id LIMIT 1) AS replied_at"
        " FROM r WHERE r.opened_at >= %s AND r.opened_at < %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    return sql, [
        *reopened_params,
        *opened_params,
        "outbound",
        adapt(q.start_at),
        adapt(q.end_at),
    ]


def first_response_seconds(q: SummaryQuery) -> dict | None:
    sql, params = _openings_sql(q)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(d),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY d)"
                " FROM (SELECT EXTRACT(EPOCH FROM (s.replied_at - s.opened_at)) AS d"
                f" FROM ({sql}) s) t",
                params,
            )
            count, median, p90 = cursor.fetchone()
            if not count:
                return None
            return {"median": _seconds(median), "p90": _seconds(p90)}
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    durations = sorted(
        (_aware(replied) - _aware(opened)).total_seconds()
        for opened, replied in rows
        if replied is not None
    )
    if not durations:
        return None
    return {
        "median": _seconds(percentile_cont(durations, 0.5)),
        "p90": _seconds(percentile_cont(durations, 0.9)),
    }


def _aware(value) -> dt.datetime:
    """SQLite hands raw SQL datetimes back as text (stored in UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def percentile_cont(sorted_values: list[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont: linear interpolation between the two nearest
    ranks, so both database modes give the same figure."""
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return sorted_values[low]
    weight = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * weight


def _seconds(value) -> float:
    return round(float(value), 3)


def analytics_summary(q: SummaryQuery, *, platforms: tuple[str, ...]) -> dict:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL's JIT compiles these plans on every call, and the
            # compilation costs more than it saves (0.5 s of a 1.6 s query in
            # bench/analytics_summary.py); SET LOCAL ends with the transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return _summary(q, platforms)


def _summary(q: SummaryQuery, platforms: tuple[str, ...]) -> dict:
    platform_of = channel_platforms(q)
    if q.platform:
        ids = tuple(sorted(c for c, p in platform_of.items() if p == q.platform))
        q = dataclasses.replace(q, platform_channel_ids=ids)
    rows = message_counts(q)
    conversations = conversation_counts(q)
    active = active_now(q)

    by_day = {day: {"inbound": 0, "outbound": 0, "failed": 0} for day in q.days}
    by_platform = {p: {"inbound": 0, "outbound": 0} for p in platforms}
    counts = dict.fromkeys(MESSAGE_COUNTERS, 0)
    for row in rows:
        for name in MESSAGE_COUNTERS:
            counts[name] += row[name]
        day = by_day.get(_as_date(row["day"]))
        if day is not None:
            for name in ("inbound", "outbound", "failed"):
                day[name] += row[name]
        platform = by_platform.get(platform_of.get(row["channel_id"]))
        if platform is not None:
            platform["inbound"] += row["inbound"]
            platform["outbound"] += row["outbound"]

    settled = counts["settled"]
    started = {day: c["started"] for day, c in conversations.items()}
    return {
        "start_date": q.start_date.isoformat(),
        "end_date": q.end_date.isoformat(),
        "timezone": q.zone_name,
        "conversations": {
            "started": sum(started.values()),
            "closed": sum(c["closed"] for c in conversations.values()),
            "active_now": active,
        },
        "messages": {
            "inbound": counts["inbound"],
            "outbound": counts["outbound"],
            "failed": counts["failed"],
            "delivery_rate": round(counts["delivered"] / settled, 4) if settled else None,
        },
        "contacts": {"new": new_contacts(q)},
        "first_response_seconds": first_response_seconds(q),
        "by_day": [
            {"date": day.isoformat(), "conversations_started": started.get(day, 0), **c}
            for day, c in by_day.items()
        ],
        "by_platform": [{"platform": p, **c} for p, c in by_platform.items()],
    }
