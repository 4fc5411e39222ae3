from django.contrib import admin

from .models import Contact, ContactHandle


class HandleInline(admin.TabularInline):
    model = ContactHandle
    extra = 0
    fields = ("platform", "external_id", "username", "created_at")
    readonly_fields = fields
    raw_id_fields = ("workspace",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "phone",
        "email",
        "lead_stage",
        "livemode",
        "workspace",
        "created_at",
    )
    search_fields = ("=id", "name", "email", "phone", "=handles__external_id", "handles__username")
    list_filter = ("livemode", "lead_stage")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    inlines = [HandleInline]
    show_full_result_count = False
