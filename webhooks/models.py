from django.db import models

from instantreply.core.ids import PrefixedIdField
from instantreply.core.models import Workspace, WorkspaceScopedQuerySet
from instantreply.core.timeutil import now


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

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "livemode", "created_at", "id"], name="event_keyset"),
            models.Index(fields=["workspace", "livemode", "type", "created_at"], name="event_type"),
        ]

    def __str__(self):
        return f"{self.id} {self.type}"
