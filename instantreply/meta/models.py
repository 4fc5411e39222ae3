from django.db import models

from instantreply.core.timeutil import now

INBOUND_STATUSES = ("received", "processed", "ignored", "failed")
# Request headers worth keeping with an event: enough to replay or debug a delivery,
# never the signature (it is only meaningful with the app secret anyway).
KEPT_HEADERS = ("content-type", "user-agent", "x-forwarded-for")


class InboundEvent(models.Model):
    """One POST from Meta to /meta/webhook, stored as received before any parsing, so
    nothing Meta sent is lost when processing fails or the worker is down (§10)."""

    id = models.BigAutoField(primary_key=True)
    body = models.BinaryField()
    headers = models.JSONField(default=dict, blank=True)
    object_type = models.CharField(max_length=64, null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=[(s, s) for s in INBOUND_STATUSES], default="received"
    )
    reason = models.TextField(null=True, blank=True)
    request_id = models.CharField(max_length=40, null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweeper's scan for events whose processing task was lost.
            models.Index(fields=["status", "created_at"], name="inbound_status_age"),
        ]

    def __str__(self):
        return f"inbound {self.id} ({self.object_type or '?'}, {self.status})"
