"""Support views of events, endpoints and deliveries. Signing secrets are never
shown: the fields are excluded from every form and list. Re-enable and replay
call the same services as the API and manage.py."""

from django.contrib import admin, messages

from instantreply.core.admin import CappedCountPaginator

from . import services
from .models import Event, WebhookDelivery, WebhookEndpoint

SECRET_FIELDS = ("secret", "previous_secret")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "object_id", "livemode", "workspace", "created_at")
    search_fields = ("=id", "=object_id", "=request_id")
    list_filter = ("type", "livemode")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Replay to every enabled endpoint subscribed to the type")
    def replay(self, request, queryset):
        count = 0
        for event in queryset:
            count += len(services.webhook_event_replay(event=event))
        self.message_user(request, f"{count} deliveries scheduled.", messages.SUCCESS)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "url",
        "status",
        "livemode",
        "workspace",
        "last_success_at",
        "last_failure_at",
        "created_at",
    )
    search_fields = ("=id", "url")
    list_filter = ("status", "livemode")
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace",)
    exclude = (*SECRET_FIELDS, "previous_secret_expires_at")
    readonly_fields = (
        "id",
        "workspace",
        "livemode",
        "url",
        "events",
        "description",
        "status",
        "disabled_reason",
        "created_at",
        "updated_at",
        "last_success_at",
        "last_failure_at",
        "failing_since",
        "consecutive_failures",
        "revoked_at",
    )
    actions = ["enable", "send_test"]

    def has_add_permission(self, request):
        return False  # endpoints are registered through the API (the secret is shown once)

    @admin.action(description="Re-enable selected endpoints")
    def enable(self, request, queryset):
        done = 0
        for endpoint in queryset.exclude(status="revoked"):
            services.webhook_endpoint_enable(endpoint=endpoint)
            done += 1
        self.message_user(request, f"{done} endpoint(s) enabled.", messages.SUCCESS)

    @admin.action(description="Send a webhook.test event")
    def send_test(self, request, queryset):
        done = 0
        for endpoint in queryset.exclude(status="revoked"):
            services.webhook_endpoint_send_test(endpoint=endpoint)
            done += 1
        self.message_user(request, f"{done} test event(s) queued.", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "endpoint",
        "event",
        "attempt",
        "status",
        "response_status",
        "duration_ms",
        "created_at",
        "next_attempt_at",
    )
    search_fields = ("=id", "=event__id", "=endpoint__id")
    list_filter = ("status",)
    list_select_related = ("endpoint", "event")
    raw_id_fields = ("endpoint", "event")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Resend the event to this endpoint now")
    def replay(self, request, queryset):
        done = 0
        for delivery in queryset.select_related("endpoint", "event"):
            if delivery.endpoint.status == "revoked":
                continue
            services.webhook_event_replay(event=delivery.event, endpoint=delivery.endpoint)
            done += 1
        self.message_user(request, f"{done} deliveries scheduled.", messages.SUCCESS)
