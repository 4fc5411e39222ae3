from django.db import models

from instantreply.core.ids import PrefixedIdField
from instantreply.core.models import Workspace, WorkspaceScopedQuerySet
from instantreply.core.timeutil import now

LEAD_STAGES = ("new", "engaged", "qualified", "customer", "lost")
LEAD_TEMPERATURES = ("cold", "warm", "hot")
PLATFORM_CHOICES = [(p, p) for p in ("whatsapp", "instagram", "messenger")]


class Contact(models.Model):
    id = PrefixedIdField(prefix="cont")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    livemode = models.BooleanField(default=True)
    name = models.CharField(max_length=200, null=True, blank=True)
    email = models.EmailField(max_length=254, null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    lead_stage = models.CharField(
        max_length=16, choices=[(s, s) for s in LEAD_STAGES], default="new"
    )
    lead_temperature = models.CharField(
        max_length=8, choices=[(t, t) for t in LEAD_TEMPERATURES], null=True, blank=True
    )
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["workspace", "livemode", "created_at", "id"], name="contact_keyset"
            ),
            models.Index(fields=["workspace", "livemode", "updated_at"], name="contact_updated"),
        ]

    def __str__(self):
        return f"{self.name or self.phone or self.id}"


class ContactHandle(models.Model):
    """A contact's identity on one platform: WhatsApp wa_id (or business-scoped user
    id), Instagram IGSID, Messenger PSID. Unique per workspace and mode."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="handles")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField(default=True)
    platform = models.CharField(max_length=16, choices=PLATFORM_CHOICES)
    external_id = models.CharField(max_length=128)
    username = models.CharField(max_length=128, null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "livemode", "platform", "external_id"],
                name="contact_handle_unique",
            )
        ]
        indexes = [models.Index(fields=["platform", "contact"], name="handle_platform")]

    def __str__(self):
        return f"{self.platform}:{self.external_id}"
