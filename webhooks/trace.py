"""Admin trace view hooks (§7): an evt_ or whd_ id leads to the request that
emitted the event, and a request's trace lists the events it emitted and every
delivery attempt they caused — made later by workers, shown in order."""

from instantreply.core.ids import has_prefix

from .models import Event, WebhookDelivery


def trace_request_ids_for(term: str) -> list[str] | None:
    if has_prefix(term, "evt"):
        rows = Event.objects.filter(pk=term)
    elif has_prefix(term, "whd"):
        rows = Event.objects.filter(deliveries__pk=term)
    else:
        return None
    return [r for r in rows.values_list("request_id", flat=True) if r]


def delivery_activity(request_id: str) -> list[dict]:
    out = []
    events = list(Event.objects.filter(request_id=request_id).only("id", "type", "created_at"))
    for event in events:
        out.append(
            {
                "at": event.created_at,
                "kind": "event",
                "text": f"event {event.id} ({event.type}) emitted",
            }
        )
    deliveries = WebhookDelivery.objects.filter(event__in=events).select_related("endpoint")
    for d in deliveries:
        result = d.status if d.response_status is None else f"{d.status} (HTTP {d.response_status})"
        out.append(
            {
                "at": d.attempted_at or d.created_at,
                "kind": "webhook",
                "text": f"webhook delivery {d.id}: attempt {d.attempt} of {d.event_id} to "
                f"{d.endpoint.url} — {result}" + (f": {d.error}" if d.error else ""),
            }
        )
    return out
