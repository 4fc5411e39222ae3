"""Reads behind GET /v1/analytics/summary (§8 Analytics).

Design note: every figure comes from a database aggregate, and the number of
queries is fixed (five) whatever the row count — one GROUP BY over messages
(day × direction × platform) feeds the totals, ``by_day`` and ``by_platform``;
conversations take one grouped and one plain aggregate; contacts one count; first
response times one query (PostgreSQL folds them with ``percentile_cont``; SQLite
returns the per-conversation durations and the percentile is taken here).

Days are the days of the requested zone: the range bounds are local midnights
converted to UTC (so a 23- or 25-hour DST day is exactly one day), and rows are
bucketed with ``TruncDate(..., tzinfo=zone)`` — ``AT TIME ZONE`` on PostgreSQL,
zoneinfo on SQLite.

First response: an inbound message *opens* a conversation when nothing precedes
it in that conversation, and *re-opens* it when it is the first inbound message
after the conversation's ``closed_at``. Its response time runs to the first
outbound message of the conversation created at or after it.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from contacts.models import Contact

from .models import Conversation, Message

DELIVERED_STATES = ("delivered", "read")
# "Outbound that reached sent or failed": the delivery rate's denominator.
SETTLED_STATES = ("sent", "delivered", "read", "failed")


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


def _channel_filter(q: SummaryQuery, prefix: str = "") -> Q:
    cond = Q()
    if q.channel_id:
        cond &= Q(**{f"{prefix}channel_id": q.channel_id})
    if q.platform:
        cond &= Q(**{f"{prefix}channel__platform": q.platform})
    return cond


def _messages(q: SummaryQuery):
    return Message.objects.filter(
        _channel_filter(q), workspace_id=q.workspace_id, livemode=q.livemode
    )


def _conversations(q: SummaryQuery):
    return Conversation.objects.filter(
        _channel_filter(q), workspace_id=q.workspace_id, livemode=q.livemode
    )


def _in_range(q: SummaryQuery, field: str) -> Q:
    return Q(**{f"{field}__gte": q.start_at, f"{field}__lt": q.end_at})


def message_counts(q: SummaryQuery) -> list[dict]:
    """One row per (local day, direction, platform) with the status counts."""
    return list(
        _messages(q)
        .filter(_in_range(q, "created_at"))
        .annotate(day=TruncDate("created_at", tzinfo=q.zone))
        .values("day", "direction", platform=F("channel__platform"))
        .annotate(
            n=Count("id"),
            failed=Count("id", filter=Q(status="failed")),
            delivered=Count("id", filter=Q(status__in=DELIVERED_STATES)),
            settled=Count("id", filter=Q(status__in=SETTLED_STATES)),
        )
        .order_by()
    )


def conversations_started_by_day(q: SummaryQuery) -> dict[dt.date, int]:
    rows = (
        _conversations(q)
        .filter(_in_range(q, "created_at"))
        .annotate(day=TruncDate("created_at", tzinfo=q.zone))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    return {_as_date(day): n for day, n in rows}


def conversation_totals(q: SummaryQuery) -> dict:
    return _conversations(q).aggregate(
        closed=Count("id", filter=_in_range(q, "closed_at")),
        active_now=Count("id", filter=Q(status="active")),
    )


def new_contacts(q: SummaryQuery) -> int:
    contacts = Contact.objects.filter(
        _in_range(q, "created_at"), workspace_id=q.workspace_id, livemode=q.livemode
    )
    if q.channel_id or q.platform:
        # A contact belongs to a channel through its conversations there.
        on_channel = Conversation.objects.filter(_channel_filter(q), contact=OuterRef("pk"))
        contacts = contacts.filter(Exists(on_channel))
    return contacts.count()


def _openers(q: SummaryQuery):
    """Inbound messages in range that opened or re-opened their conversation, each
    with the time of the first outbound reply (null while unanswered)."""
    conv = OuterRef("conversation_id")
    earlier_any = Message.objects.filter(conversation_id=conv).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id"))
    )
    earlier_inbound_since_close = Message.objects.filter(
        conversation_id=conv,
        direction="inbound",
        created_at__gt=OuterRef("conversation__closed_at"),
    ).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id"))
    )
    first_reply = (
        Message.objects.filter(
            conversation_id=conv, direction="outbound", created_at__gte=OuterRef("created_at")
        )
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    opened = ~Exists(earlier_any)
    reopened = Q(
        conversation__closed_at__isnull=False,
        created_at__gt=F("conversation__closed_at"),
    ) & ~Exists(earlier_inbound_since_close)
    return (
        _messages(q)
        .filter(_in_range(q, "created_at"), direction="inbound")
        .filter(opened | reopened)
        .annotate(opened_at=F("created_at"), replied_at=Subquery(first_reply))
        .filter(replied_at__isnull=False)
        .values("opened_at", "replied_at")
        .order_by()
    )


def first_response_seconds(q: SummaryQuery) -> dict | None:
    openers = _openers(q)
    if connection.vendor == "postgresql":
        inner, params = openers.query.sql_with_params()
        sql = (
            "SELECT count(*),"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
            " percentile_cont(0.9) WITHIN GROUP (ORDER BY d)"
            " FROM (SELECT EXTRACT(EPOCH FROM (s.replied_at - s.opened_at)) AS d"
            f" FROM ({inner}) s) t"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count, median, p90 = cursor.fetchone()
        if not count:
            return None
        return {"median": _seconds(median), "p90": _seconds(p90)}
    durations = sorted((row["replied_at"] - row["opened_at"]).total_seconds() for row in openers)
    if not durations:
        return None
    return {
        "median": _seconds(percentile_cont(durations, 0.5)),
        "p90": _seconds(percentile_cont(durations, 0.9)),
    }


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


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def analytics_summary(q: SummaryQuery, *, platforms: tuple[str, ...]) -> dict:
    rows = message_counts(q)
    started = conversations_started_by_day(q)
    totals = conversation_totals(q)

    by_day = {day: {"inbound": 0, "outbound": 0, "failed": 0} for day in q.days}
    by_platform = {p: {"inbound": 0, "outbound": 0} for p in platforms}
    inbound = outbound = failed = delivered = settled = 0
    for row in rows:
        day = by_day.get(_as_date(row["day"]))
        if row["direction"] == "inbound":
            inbound += row["n"]
        else:
            outbound += row["n"]
            delivered += row["delivered"]
            settled += row["settled"]
        failed += row["failed"]
        if day is not None:
            day[row["direction"]] += row["n"]
            day["failed"] += row["failed"]
        if row["platform"] in by_platform:
            by_platform[row["platform"]][row["direction"]] += row["n"]

    return {
        "start_date": q.start_date.isoformat(),
        "end_date": q.end_date.isoformat(),
        "timezone": q.zone_name,
        "conversations": {
            "started": sum(started.values()),
            "closed": totals["closed"],
            "active_now": totals["active_now"],
        },
        "messages": {
            "inbound": inbound,
            "outbound": outbound,
            "failed": failed,
            "delivery_rate": round(delivered / settled, 4) if settled else None,
        },
        "contacts": {"new": new_contacts(q)},
        "first_response_seconds": first_response_seconds(q),
        "by_day": [
            {
                "date": day.isoformat(),
                "conversations_started": started.get(day, 0),
                **counts,
            }
            for day, counts in by_day.items()
        ],
        "by_platform": [{"platform": p, **counts} for p, counts in by_platform.items()],
    }
