"""Admin for support: staff-only, never shows a secret (hashes, tokens and
encrypted fields are excluded), searchable by the ids customers quote."""

import json

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html

from .models import Agent, ApiKey, DownstreamCall, IdempotencyRecord, RequestLog, Workspace
from .services import api_key_revoke


class FixedCountPaginator(Paginator):
    """Big tables: no COUNT(*) over millions of rows."""

    @cached_property
    def count(self):
        return 10_000


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


@admin.register(RequestLog)
class RequestLogAdmin(admin.ModelAdmin):
    """The trace view (§7): paste a req_ id in the search box; the page shows the
    request, the response and every downstream call in order."""

    list_display = ("id", "method", "path", "status", "duration_ms", "replayed", "created_at")
    search_fields = ("=id", "=idempotency_key")
    list_filter = ("method", "status")
    list_select_related = ("api_key", "workspace")
    raw_id_fields = ("workspace", "api_key")
    show_full_result_count = False
    paginator = FixedCountPaginator
    change_form_template = "admin/core/requestlog/trace.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        ids = trace_request_ids(term)
        if ids is not None:
            return queryset.filter(id__in=ids), False
        return super().get_search_results(request, queryset, term)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin's URLs carry the pk quoted ("_" → "_5F"); get_object wants it raw.
        log = self.get_object(request, unquote(object_id))
        extra = extra_context or {}
        if log is not None:
            extra["trace"] = {
                "request_headers": _pretty(log.request_headers),
                "request_body": _pretty(log.request_body),
                "response_headers": _pretty(log.response_headers),
                "response_body": _pretty(log.response_body),
                "calls": [
                    {
                        "call": call,
                        "request_body": _pretty(call.request_body),
                        "response_body": _pretty(call.response_body),
                    }
                    for call in DownstreamCall.objects.filter(request_id=log.id).order_by(
                        "created_at", "id"
                    )
                ],
                "related": related_activity(log.id),
            }
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
    rows: list[dict] = []
    for provider in ACTIVITY_PROVIDERS:
        rows.extend(provider(request_id))
    return sorted(rows, key=lambda r: r["at"])


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
    paginator = FixedCountPaginator
    raw_id_fields = ("workspace",)

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
