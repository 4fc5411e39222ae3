import datetime as dt

from django.contrib import admin
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from instantreply.core.admin import CappedCountPaginator
from instantreply.core.ids import has_prefix
from instantreply.core.models import DownstreamCall, RequestLog
from webhooks.models import Event

from .models import Channel, Conversation, Message, Trigger


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "platform", "status", "external_id", "workspace", "connected_at")
    search_fields = ("=id", "name", "=external_id", "display_handle")
    list_filter = ("platform", "status")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    exclude = ("access_token",)  # a secret: never shown
    readonly_fields = ("status",)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Support finds a conversation by its id, the contact's id, or the customer's
    platform handle (wa_id, IGSID, PSID or @username)."""

    list_display = (
        "id",
        "channel",
        "contact",
        "status",
        "livemode",
        "message_count",
        "last_message_at",
        "workspace",
    )
    search_fields = (
        "=id",
        "=contact__id",
        "=contact__handles__external_id",
        "=contact__handles__username",
    )
    list_filter = ("status", "livemode", "channel__platform")
    list_select_related = ("channel", "contact", "workspace")
    raw_id_fields = ("workspace", "channel", "contact", "assignee")
    show_full_result_count = False
    paginator = CappedCountPaginator


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Searchable by message id, Meta message id (wamid…/mid…), conversation id and
    the customer's platform handle."""

    list_display = (
        "id",
        "direction",
        "type",
        "status",
        "external_id",
        "conversation",
        "livemode",
        "created_at",
    )
    search_fields = (
        "=id",
        "=external_id",
        "=conversation__id",
        "=conversation__contact__handles__external_id",
        "=conversation__contact__handles__username",
    )
    list_filter = ("direction", "status", "livemode")
    list_select_related = ("conversation", "channel")
    raw_id_fields = ("workspace", "conversation", "channel")
    readonly_fields = ("status", "status_updated_at", "error", "external_id")
    show_full_result_count = False
    paginator = CappedCountPaginator


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ("id", "message", "channel", "livemode", "created_at")
    search_fields = ("=id", "=message__id", "=message__external_id")
    list_select_related = ("message", "channel")
    raw_id_fields = ("workspace", "message", "conversation", "contact", "channel")
    readonly_fields = ("timeline",)
    show_full_result_count = False
    paginator = CappedCountPaginator


_REQUEST_MARGIN = dt.timedelta(minutes=10)


def _object_of(term: str):
    if has_prefix(term, "msg"):
        return Message.objects.filter(pk=term).first()
    if has_prefix(term, "trg"):
        return Trigger.objects.filter(pk=term).first()
    if has_prefix(term, "conv"):
        return Conversation.objects.filter(pk=term).first()
    return None


def trace_request_ids_for(term: str) -> list[str] | None:
    """The request ids that touched a msg_/trg_/conv_ id, for the RequestLog trace
    search: requests whose path or response names it, Meta calls made about it,
    and events it emitted (their request ids include /meta/webhook posts)."""
    obj = _object_of(term)
    if obj is None:
        return None
    names = {obj.pk}
    if isinstance(obj, Trigger):
        names.add(obj.message_id)
    elif isinstance(obj, Message):
        trigger_id = Trigger.objects.filter(message_id=obj.pk).values_list("id", flat=True).first()
        if trigger_id:
            names.add(trigger_id)
    ids: set[str] = set()
    ids.update(
        DownstreamCall.objects.retained()
        .filter(subject_id__in=names, request_id__isnull=False)
        .values_list("request_id", flat=True)
    )
    ids.update(
        Event.objects.filter(object_id__in=names, request_id__isnull=False).values_list(
            "request_id", flat=True
        )
    )
    # Bounded to the object's workspace and lifetime (with a margin: a request log
    # is stamped when the request starts) so the text match stays cheap.
    mentions = Q()
    for name in names:
        mentions |= Q(path__contains=name) | Q(response_text__contains=name)
    ids.update(
        RequestLog.objects.retained()
        .filter(workspace_id=obj.workspace_id, created_at__gte=obj.created_at - _REQUEST_MARGIN)
        .annotate(response_text=Cast("response_body", TextField()))
        .filter(mentions)
        .values_list("id", flat=True)
    )
    return sorted(ids)


def message_activity(request_id: str) -> list[dict]:
    """For the trace page of a request: what became of the messages it created —
    every state of their triggers' timelines (queued, Meta's accept, the status
    webhooks Meta posted later) and the Meta calls made for them by workers, so
    support sees the request, the Meta calls and the status webhooks together."""
    message_ids = set(
        Event.objects.filter(request_id=request_id, object_id__startswith="msg_").values_list(
            "object_id", flat=True
        )
    )
    # A send answers 202 before any event: the message is named in the response.
    log = RequestLog.objects.retained().only("response_body").get_by_request_id(request_id)
    body = log.response_body if log is not None else None
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        for name in ("id", "message_id"):
            if isinstance(data.get(name), str) and data[name].startswith("msg_"):
                message_ids.add(data[name])
    if not message_ids:
        return []
    out: list[dict] = []
    for trigger in Trigger.objects.filter(message_id__in=message_ids):
        recorded = {e.get("state") for e in trigger.timeline if not _is_ignored_report(e)}
        for entry in trigger.timeline:
            # Meta repeats a status we already recorded (its "sent" webhook after
            # the send's own accept): stamped in whole seconds, it would sort ahead
            # of the real entry. It changed nothing, so the trace leaves it out.
            if _is_ignored_report(entry) and entry.get("state") in recorded:
                continue
            try:
                at = dt.datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
            except (KeyError, TypeError, ValueError):
                continue
            detail = f" — {entry['detail']}" if entry.get("detail") else ""
            out.append(
                {
                    "at": at,
                    "kind": "state",
                    "text": f"{trigger.message_id} {entry.get('state')}{detail}",
                }
            )
    calls = (
        DownstreamCall.objects.retained()
        .filter(subject_id__in=message_ids)
        .exclude(request_id=request_id)
    )
    for call in calls:
        out.append(
            {
                "at": call.created_at,
                "kind": "call",
                "text": f"worker call {call.id} for {call.subject_id}: {call.method} {call.url} → "
                f"{call.status if call.status is not None else 'no response'}"
                + (f" ({call.error})" if call.error else ""),
                "bodies": (
                    ("Request body", call.request_body),
                    ("Response body", call.response_body),
                ),
            }
        )
    return out


def _is_ignored_report(entry: dict) -> bool:
    """A status report that would have moved the message backwards (services/delivery.py)."""
    detail = entry.get("detail") or ""
    return detail.startswith("reported after ") and "; ignored" in detail
