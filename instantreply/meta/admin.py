from django.contrib import admin

from .models import InboundEvent


@admin.register(InboundEvent)
class InboundEventAdmin(admin.ModelAdmin):
    list_display = ("id", "object_type", "status", "created_at", "processed_at", "request_id")
    list_filter = ("status", "object_type")
    search_fields = ("=id", "=request_id")
    readonly_fields = (
        "body_text",
        "headers",
        "object_type",
        "status",
        "reason",
        "request_id",
        "attempts",
        "created_at",
        "processed_at",
    )
    exclude = ("body",)
    show_full_result_count = False

    @admin.display(description="body")
    def body_text(self, obj):
        # Signed payloads from Meta carry no secrets; shown as received for support.
        return bytes(obj.body).decode("utf-8", errors="replace")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
