from django.db import models

from instantreply.core.crypto import EncryptedTextField
from instantreply.core.ids import PrefixedIdField
from instantreply.core.models import Workspace, WorkspaceScopedQuerySet
from instantreply.core.timeutil import now

PLATFORMS = ("whatsapp", "instagram", "messenger")
CHANNEL_STATUSES = ("connected", "disconnected", "error")


class Channel(models.Model):
    """A connected WhatsApp number, Instagram account or Facebook Page. Shared by
    live and test keys (§3); connected by operators (manage.py connect_channel)."""

    id = PrefixedIdField(prefix="chan")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(max_length=16, choices=[(p, p) for p in PLATFORMS])
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=[(s, s) for s in CHANNEL_STATUSES], default="connected"
    )
    external_id = models.CharField(max_length=64)
    display_handle = models.CharField(max_length=64, null=True, blank=True)
    waba_id = models.CharField(max_length=64, null=True, blank=True)
    access_token = EncryptedTextField()
    last_event_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=32, null=True, blank=True)
    last_error_message = models.TextField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at", "id"], name="channel_keyset")]
        constraints = [
            # Inbound routing is never ambiguous (§8): one live owner per external id.
            models.UniqueConstraint(
                fields=["platform", "external_id"],
                condition=~models.Q(status="disconnected"),
                name="channel_external_id_unique_active",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.platform} {self.external_id})"
