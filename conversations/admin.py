from django.contrib import admin

from .models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "platform", "status", "external_id", "workspace", "connected_at")
    search_fields = ("=id", "name", "=external_id", "display_handle")
    list_filter = ("platform", "status")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    exclude = ("access_token",)  # a secret: never shown
    readonly_fields = ("status",)
