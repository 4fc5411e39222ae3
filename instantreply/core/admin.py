"""Admin for support: staff-only, never shows a secret (hashes, tokens and
encrypted fields are excluded), searchable by the ids customers quote."""

import datetime as dt
import json

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html

from .models import Agent, ApiKey, DownstreamCall, IdempotencyRecord, RequestLog, Workspace
from .services import api_key_revoke


class CappedCountPaginator(Paginator):
    """Big tables: the true count when the (filtered) set has at most ``cap`` rows,
    otherwise ``cap`` with ``capped`` set, which the admin templates show as "more
    than 10,000" (instantreply/templates/admin/). The count stops reading after
    cap + 1 rows (COUNT over a LIMIT subquery), so it stays cheap on millions of
    rows, and every page link it yields is a real, full page."""

    cap = 10_000

    @cached_property
    def count(self):
        counted = self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "tier", "created_at")
    search_fields = ("id", "name")
    list_filter = ("tier",)


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "email", "workspace", "created_at")
    search_fields = ("id", "email", "name")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "display_prefix",
        "mode",
        "workspace",
        "last_used_at",
        "revoked_at",
    )
    search_fields = ("id", "name", "prefix")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    exclude = ("hashed_key",)
    readonly_fields = ("prefix", "mode", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are created with manage.py create_api_key (shown once)

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key)


def _pretty(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


class MethodFilter(admin.SimpleListFilter):
    """Fixed choices: the admin's default filter lists them with a SELECT DISTINCT
    over the whole table (~250 ms at a million rows, on every page view)."""

    title = "method"
    parameter_name = "method"

    def lookups(self, request, model_admin):
        return [(m, m) for m in ("GET", "POST", "PATCH", "PUT", "DELETE")]

    def queryset(self, request, queryset):
        return queryset.filter(method=self.value()) if self.value() else queryset


class StatusClassFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status_class"
    _CLASSES = {"2xx": (200, 300), "3xx": (300, 400), "4xx": (400, 500), "5xx": (500, 600)}

    def lookups(self, request, model_admin):
        return [(name, name) for name in self._CLASSES]

    def queryset(self, request, queryset):
        if self.value() not in self._CLASSES:
            return queryset
        low, high = self._CLASSES[self.value()]
        return queryset.filter(status__gte=low, status__lt=high)


@admin.register(RequestLog)
class RequestLogAdmin(admin.ModelAdmin):
    """The trace view (§7): paste a req_ id in the search box; the page shows the
    request, the response and every downstream call in order."""

    list_display = ("id", "method", "path", "status", "duration_ms", "replayed", "created_at")
    search_fields = ("=id", "=idempotency_key")
    list_filter = (MethodFilter, StatusClassFilter)
    list_select_related = ("api_key", "workspace")
    raw_id_fields = ("workspace", "api_key")
    show_full_result_count = False
    paginator = CappedCountPaginator
    change_form_template = "admin/core/requestlog/trace.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The list, the search and the trace page: expired rows are hidden until
        # their day partition is dropped (core/partitions.py).
        return super().get_queryset(request).retained()

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        ids = trace_request_ids(term)
        if ids is not None:
            return queryset.filter(id__in=ids), False
        return super().get_search_results(request, queryset, term)

    def get_object(self, request, object_id, from_field=None):
        # By the time in the req_ id: the table is partitioned by day (core/partitions.py).
        return self.get_queryset(request).get_by_request_id(object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin's URLs carry the pk quoted ("_" → "_5F"); get_object wants it raw.
        log = self.get_object(request, unquote(object_id))
        extra = extra_context or {}
        if log is not None:
            extra["timeline"] = trace_timeline(log)
        return super().change_view(request, object_id, form_url, extra)


# Apps register how an object id (msg_, trg_, conv_, evt_) maps to the request ids
# that touched it, and what else happened under a request (webhook deliveries…).
TRACE_RESOLVERS: list = []
ACTIVITY_PROVIDERS: list = []


def trace_request_ids(term: str) -> list[str] | None:
    if term.startswith("req_"):
        return [term]
    for resolver in TRACE_RESOLVERS:
        ids = resolver(term)
        if ids is not None:
            return ids
    return None


def related_activity(request_id: str) -> list[dict]:
    """What happened because of a request, from every app's provider. A row is
    ``{"at", "kind", "text"}`` plus optional ``"bodies"``: (label, JSON value) pairs
    the trace page shows collapsed."""
    rows: list[dict] = []
    for provider in ACTIVITY_PROVIDERS:
        rows.extend(provider(request_id))
    return sorted(rows, key=lambda r: r["at"])


def _elapsed(delta: dt.timedelta) -> str:
    ms = round(delta.total_seconds() * 1000)
    sign = "-" if ms < 0 else "+"
    ms = abs(ms)
    if ms < 1000:
        return f"{sign}{ms} ms"
    if ms < 60_000:
        return f"{sign}{ms / 1000:.1f} s"
    minutes, seconds = divmod(ms // 1000, 60)
    if minutes < 60:
        return f"{sign}{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes} min"


def _bodies(*pairs) -> list[dict]:
    return [{"label": label, "json": _pretty(value)} for label, value in pairs]


def trace_timeline(log: RequestLog) -> list[dict]:
    """The trace page as a timeline: the request, its response, then every
    downstream call, event, webhook delivery and message state in time order, each
    with the time elapsed since the request arrived (the log is stamped when the
    response is done, so arrival is that stamp less the duration)."""
    started = log.created_at - dt.timedelta(milliseconds=log.duration_ms)
    head = [
        {
            "at": started,
            "kind": "request",
            "text": f"{log.method} {log.path}",
            "bodies": _bodies(("Headers", log.request_headers), ("Body", log.request_body_value)),
        },
        {
            "at": log.created_at,
            "kind": "response",
            "text": f"{log.status} in {log.duration_ms} ms"
            + (" (idempotent replay)" if log.replayed else ""),
            "bodies": _bodies(("Headers", log.response_headers), ("Body", log.response_body)),
        },
    ]
    rest = [
        {
            "at": call.created_at,
            "kind": "call",
            "text": f"{call.service} {call.method} {call.url} → "
            f"{call.status if call.status is not None else 'no response'}"
            + (f" in {call.duration_ms} ms" if call.duration_ms is not None else "")
            + (f" — {call.error}" if call.error else ""),
            "bodies": _bodies(
                ("Request body", call.request_body), ("Response body", call.response_body)
            ),
        }
        for call in DownstreamCall.objects.retained().for_request(log.id)
    ]
    for row in related_activity(log.id):
        rest.append(
            {
                "at": row["at"],
                "kind": row.get("kind", "activity"),
                "text": row["text"],
                "bodies": _bodies(*row.get("bodies", ())),
            }
        )
    rest.sort(key=lambda r: r["at"])
    for row in head + rest:
        row["elapsed"] = _elapsed(row["at"] - started)
    return head + rest


@admin.register(DownstreamCall)
class DownstreamCallAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "service",
        "method",
        "url",
        "status",
        "duration_ms",
        "request_link",
        "created_at",
    )
    search_fields = ("=id", "=request_id", "=subject_id")
    list_filter = ("service",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    raw_id_fields = ("workspace",)

    def get_queryset(self, request):
        return super().get_queryset(request).retained()

    @admin.display(description="request")
    def request_link(self, obj):
        if not obj.request_id:
            return "-"
        return format_html(
            '<a href="../requestlog/{}/change/">{}</a>', obj.request_id, obj.request_id
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("key", "workspace", "livemode", "status_code", "request_id", "expires_at")
    search_fields = ("=key", "=request_id")
    raw_id_fields = ("workspace",)
    exclude = ("body_encrypted",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
