from django.db import models
from django.db.models import Q

from instantreply.core.crypto import EncryptedTextField
from instantreply.core.ids import PrefixedIdField
from instantreply.core.models import Workspace, WorkspaceScopedQuerySet
from instantreply.core.timeutil import now

# Every event ``webhooks.events.emit`` accepts (§9).
EVENT_TYPES = (
    "conversation.created",
    "conversation.updated",
    "message.received",
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "contact.created",
    "contact.updated",
    "template.status_updated",
    "channel.status_updated",
    "webhook.test",
)


class Event(models.Model):
    """The outbox (§9): written in the same transaction as the change it announces."""

    id = PrefixedIdField(prefix="evt")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="events")
    livemode = models.BooleanField(default=True)
    type = models.CharField(max_length=64)
    data = models.JSONField()
    previous_attributes = models.JSONField(null=True, blank=True)
    # The object the event is about (msg_/conv_/…), for traces and admin search.
    object_id = models.CharField(max_length=40, db_index=True)
    request_id = models.CharField(max_length=40, null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    # Set (once, by a conditional UPDATE) when the deliveries were created, so a
    # repeated fan-out task never doubles them and the sweeper finds lost ones.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "livemode", "created_at", "id"], name="event_keyset"),
            models.Index(fields=["workspace", "livemode", "type", "created_at"], name="event_type"),
            models.Index(
                fields=["created_at"],
                name="event_not_fanned_out",
                condition=Q(fanned_out_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.id} {self.type}"


ENDPOINT_STATUSES = ("enabled", "disabled", "revoked")


class WebhookEndpoint(models.Model):
    id = PrefixedIdField(prefix="wh")
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    livemode = models.BooleanField(default=True)
    url = models.CharField(max_length=2048)
    events = models.JSONField(default=list)
    # The read scopes of the key that registered it (or last changed its url or
    # events): it receives only the event types they may read (§3).
    read_scopes = models.JSONField(default=list)
    description = models.CharField(max_length=500, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=[(s, s) for s in ENDPOINT_STATUSES], default="enabled"
    )
    # Signing secrets (whsec_…), encrypted at rest; the previous one keeps signing
    # beside the new one until previous_secret_expires_at (rotation overlap).
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    # Start of the current run of failures and its length; both reset by a 2xx.
    failing_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["workspace", "livemode", "created_at", "id"], name="webhook_endpoint_keyset"
            ),
            models.Index(
                fields=["workspace", "livemode", "status"], name="webhook_endpoint_fanout"
            ),
        ]

    def __str__(self):
        return f"{self.id} {self.url}"


DELIVERY_STATUSES = ("succeeded", "failed", "pending")


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one endpoint. A pending row is a
    scheduled attempt: the periodic dispatcher enqueues it when next_attempt_at
    comes, and a worker claims it (claimed_at) before sending."""

    id = PrefixedIdField(prefix="whd")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=16, choices=[(s, s) for s in DELIVERY_STATUSES], default="pending"
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the row was last handed to the broker, and when a worker took it.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "created_at", "id"], name="webhook_delivery_keyset"),
            models.Index(fields=["event", "endpoint"], name="webhook_delivery_event"),
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.id} {self.status} (attempt {self.attempt})"
