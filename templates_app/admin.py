import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from instantreply.api.errors import ApiError

from . import services
from .models import Template, TemplateHistory


class HistoryInline(admin.TabularInline):
    model = TemplateHistory
    extra = 0
    fields = ("created_at", "from_status", "to_status", "source", "detail", "request_id")
    readonly_fields = fields
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    """Read-only for support: templates change through the API and Meta's webhooks
    (the services), never by hand here."""

    list_display = (
        "id",
        "name",
        "language",
        "category",
        "status",
        "quality",
        "livemode",
        "channel",
        "workspace",
        "updated_at",
    )
    list_filter = ("status", "category", "livemode", "quality")
    search_fields = ("=id", "name", "=meta_template_id", "=channel__id")
    list_select_related = ("workspace", "channel")
    raw_id_fields = ("workspace", "channel")
    show_full_result_count = False
    inlines = [HistoryInline]
    readonly_fields = (
        "id",
        "workspace",
        "channel",
        "livemode",
        "name",
        "language",
        "category",
        "status",
        "components_pretty",
        "examples",
        "variable_count",
        "rejection_reason",
        "meta_template_id",
        "quality",
        "submitted_at",
        "pause_on_category_change",
        "previous_category",
        "category_changed_at",
        "paused_reason",
        "created_at",
        "updated_at",
        "validation_report",
    )
    exclude = ("components", "submit_claimed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only (the change form renders read-only).
        return request.method in ("GET", "HEAD")

    @admin.display(description="components")
    def components_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.components, indent=2))

    @admin.display(description="validation report")
    def validation_report(self, obj):
        try:
            report = services.template_validate(template=obj, market=None)
        except ApiError as exc:
            return exc.message
        cost = report["cost"]
        phrases = format_html_join(
            "",
            "<li><b>{}</b> [{}:{}–{}] {} <i>{}</i></li>",
            (
                (p["phrase"], p["component"], p["start"], p["end"], p["reason"], p["suggestion"])
                for p in report["flagged_phrases"]
            ),
        )
        coaching = format_html_join("", "<li>{}</li>", ((c,) for c in report["coaching"]))
        return format_html(
            "<p>requested <b>{}</b>, predicted <b>{}</b> (confidence {}), fits: {}</p>"
            "<p>cost in {}: {} → {} {} per message (gap {} per 1,000; rates as of {})</p>"
            "<p>Flagged:</p><ul>{}</ul><p>Coaching:</p><ul>{}</ul>",
            report["requested_category"],
            report["predicted_category"],
            report["confidence"],
            report["fits"],
            cost["market"],
            cost["requested_rate"],
            cost["predicted_rate"],
            cost["currency"],
            cost["gap_per_1000"],
            cost["rates_as_of"],
            phrases or "none",
            coaching or "none",
        )
