import datetime as dt
import functools

from django.db.models import F

from instantreply.api.filters import ApiFilterSet, EnumFilter, PrefixedIdFilter, SinceFilter
from instantreply.api.permissions import has_scope
from instantreply.core.timeutil import now

from .models import DELIVERY_STATUSES, EVENT_TYPES, Event, WebhookDelivery, WebhookEndpoint

EVENT_RETENTION = dt.timedelta(days=30)
# Who may read an event: the scope that reads its object (§9).
EVENT_READ_SCOPES = {
    "contact": "contacts:read",
    "conversation": "conversations:read",
    "message": "conversations:read",
    "template": "templates:read",
    "channel": "channels:read",
}
LISTED_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t != "webhook.test")


def event_read_scope(event_type: str) -> str:
    return EVENT_READ_SCOPES.get(event_type.split(".", 1)[0], "*")


def readable_event_types(scopes: list[str]) -> list[str]:
    return [t for t in LISTED_EVENT_TYPES if has_scope(scopes, event_read_scope(t))]


def read_scopes_of(scopes: list[str]) -> list[str]:
    """The read scopes a key holds (a :write scope includes its :read): what a
    webhook endpoint records of the key that configures it (§3)."""
    if "*" in scopes:
        return ["*"]
    reads = {s[: -len(":write")] + ":read" if s.endswith(":write") else s for s in scopes}
    return sorted(s for s in reads if s.endswith(":read"))


@functools.lru_cache(maxsize=256)
def _receivable(read_scopes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(readable_event_types(list(read_scopes)))


def endpoint_event_types(endpoint) -> list[str]:
    """The event types an endpoint receives: those it subscribes to ("*" = all)
    that the read scopes it recorded may read — what its ``events`` shows."""
    receivable = _receivable(tuple(endpoint.read_scopes))
    subscribed = LISTED_EVENT_TYPES if "*" in endpoint.events else endpoint.events
    return [t for t in subscribed if t in receivable or t == "webhook.test"]


def endpoint_may_read(endpoint, event_type: str) -> bool:
    """Whether the endpoint's recorded read scopes may read events of this type:
    no delivery of any kind (fan-out, resend, operators' replay) goes beyond them."""
    return event_type in _receivable(tuple(endpoint.read_scopes))


def endpoint_receives(endpoint, event_type: str) -> bool:
    """Whether fan-out delivers an event of this type to the endpoint: subscribed,
    and readable with its recorded scopes."""
    return endpoint_may_read(endpoint, event_type) and (
        "*" in endpoint.events or event_type in endpoint.events
    )


def visible_events(*, base_queryset, scopes: list[str]):
    """Events the key may see: readable types, the last 30 days."""
    return base_queryset.filter(
        type__in=readable_event_types(scopes), created_at__gte=now() - EVENT_RETENTION
    )


class EventFilter(ApiFilterSet):
    type = EnumFilter(values=LISTED_EVENT_TYPES)
    created_after = SinceFilter(field_name="created_at")

    class Meta:
        model = Event
        fields = []


def event_list(*, base_queryset, scopes: list[str], params):
    filterset = EventFilter(
        params, queryset=visible_events(base_queryset=base_queryset, scopes=scopes)
    )
    return filterset.apply()


class WebhookEndpointFilter(ApiFilterSet):
    status = EnumFilter(values=("enabled", "disabled"))

    class Meta:
        model = WebhookEndpoint
        fields = []


def webhook_endpoint_list(*, base_queryset, params):
    """Revoked endpoints leave the list (they still answer GET by id)."""
    filterset = WebhookEndpointFilter(params, queryset=base_queryset.exclude(status="revoked"))
    return filterset.apply()


class WebhookDeliveryFilter(ApiFilterSet):
    status = EnumFilter(values=DELIVERY_STATUSES)
    event_id = PrefixedIdFilter(field_name="event_id", prefix="evt")

    class Meta:
        model = WebhookDelivery
        fields = []


def webhook_delivery_list(*, endpoint, params):
    queryset = WebhookDelivery.objects.filter(endpoint=endpoint).annotate(
        event_type=F("event__type")
    )
    filterset = WebhookDeliveryFilter(params, queryset=queryset)
    return filterset.apply()
