"""Reads behind GET /v1/analytics/summary (§8 Analytics).

Design note: every figure comes from a database aggregate and the number of
queries is fixed whatever the row count (six, in one read transaction): the workspace's channels (id →
platform); one GROUP BY over messages (local day × channel × direction ×
status) that feeds the totals, ``by_day``, ``by_platform`` and the delivery
rate; conversations started per local day; closed / active counts; new
contacts; first response times (PostgreSQL folds them with ``percentile_cont``;
SQLite returns the per-opening durations and the percentile is taken here, over
one row per opening, never over messages).

Days are the requested zone's: the range bounds are local midnights converted
to UTC, so a 23- or 25-hour DST day is exactly one day, and rows are bucketed
with ``TruncDate(..., tzinfo=zone)`` — ``AT TIME ZONE`` on PostgreSQL, zoneinfo
on SQLite — which also handles half- and quarter-hour zones.

First response: an inbound message *opens* a conversation when it is the first
message of a conversation started in the range, and *re-opens* it when it is the
message whose arrival turned a closed conversation active again (found through
the conversation.updated event the inbound service writes with it). Its response
time runs to the first outbound message of the conversation created at or after
it. The work is per conversation or re-opening (index probes on (conversation,
created_at) and (conversation, direction, created_at)), never per message.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import TruncDate

from contacts.models import Contact

from .models import Channel, Conversation, Message

DELIVERED_STATES = frozenset({"delivered", "read"})
# "Outbound that reached sent or failed": the delivery rate's denominator.
SETTLED_STATES = frozenset({"sent", "delivered", "read", "failed"})
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
    if q.platform:
        # An id list rather than a join: the big scans stay on one table.
        cond &= Q(
            channel_id__in=Channel.objects.filter(
                workspace_id=q.workspace_id, platform=q.platform
            ).values("id")
        )
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


def _day(field: str, q: SummaryQuery):
    return TruncDate(field, tzinfo=q.zone)


def channel_platforms(q: SummaryQuery) -> dict[str, str]:
    return dict(Channel.objects.filter(workspace_id=q.workspace_id).values_list("id", "platform"))


def message_counts(q: SummaryQuery) -> list[dict]:
    """One row per (local day, channel, direction, status) with its count."""
    return list(
        _messages(q)
        .filter(_in_range(q, "created_at"))
        .annotate(day=_day("created_at", q))
        .values("day", "channel_id", "direction", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def conversations_started_by_day(q: SummaryQuery) -> dict[dt.date, int]:
    rows = (
        _conversations(q)
        .filter(_in_range(q, "created_at"))
        .annotate(day=_day("created_at", q))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    return {_as_date(day): n for day, n in rows}


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


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


def _first(messages, field: str):
    return Subquery(messages.order_by("created_at", "id").values(field)[:1])


def _openings_sql(q: SummaryQuery) -> tuple[str, list]:
    """SQL of (opened_at, replied_at) rows: one per opening in the range,
    replied_at null while unanswered. The candidate conversations and their
    opening times come from the ORM; the CTE is materialised on PostgreSQL so
    that the outer filters are not pushed into it (which would repeat each
    per-conversation probe)."""
    from webhooks.models import Event

    in_conv = Message.objects.filter(conversation_id=OuterRef("pk"))
    opened = (
        _conversations(q)
        .filter(_in_range(q, "created_at"))
        .annotate(
            conv_id=F("id"),
            opened_at=_first(in_conv, "created_at"),
            opener_direction=_first(in_conv, "direction"),
        )
        .values("conv_id", "opened_at", "opener_direction")
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
        reopen_events.annotate(
            conv_id=F("object_id"),
            opened_at=Subquery(reopening_message),
            opener_direction=Value("inbound"),
        )
        .values("conv_id", "opened_at", "opener_direction")
        .order_by()
    )
    wrap = "({})" if connection.features.supports_parentheses_in_compound else "{}"
    parts = []
    params: list = []
    for qs in (opened, reopened):
        sql, p = qs.query.sql_with_params()
        parts.append(wrap.format(sql))
        params.extend(p)
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    message = Message._meta.db_table
    # The conv_id/opened_at/opener_direction columns are aliased as such by the ORM.
    sql = (
        f"WITH o AS {materialized}({' UNION ALL '.join(parts)}) "
        "SELECT o.opened_at,"
        f" (SELECT m.created_at FROM {message} m WHERE m.conversation_id = o.conv_id"
        "   AND m.direction = %s AND m.created_at >= o.opened_at"
        "   ORDER BY m.created_at, m.id LIMIT 1) AS replied_at"
        " FROM o WHERE o.opener_direction = %s AND o.opened_at >= %s AND o.opened_at < %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    return sql, [*params, "outbound", "inbound", adapt(q.start_at), adapt(q.end_at)]


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
    rows = message_counts(q)
    started = conversations_started_by_day(q)
    totals = conversation_totals(q)

    by_day = {day: {"inbound": 0, "outbound": 0, "failed": 0} for day in q.days}
    by_platform = {p: {"inbound": 0, "outbound": 0} for p in platforms}
    counts = {"inbound": 0, "outbound": 0, "failed": 0, "delivered": 0, "settled": 0}
    for row in rows:
        n, direction, status = row["n"], row["direction"], row["status"]
        failed = n if status == "failed" else 0
        counts[direction] += n
        counts["failed"] += failed
        if direction == "outbound":
            counts["delivered"] += n if status in DELIVERED_STATES else 0
            counts["settled"] += n if status in SETTLED_STATES else 0
        day = by_day.get(_as_date(row["day"]))
        if day is not None:
            day[direction] += n
            day["failed"] += failed
        platform = by_platform.get(platform_of.get(row["channel_id"]))
        if platform is not None:
            platform[direction] += n

    settled = counts["settled"]
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
