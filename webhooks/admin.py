from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "object_id", "livemode", "workspace", "created_at")
    search_fields = ("=id", "=object_id", "=request_id")
    list_filter = ("type", "livemode")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    show_full_result_count = False
