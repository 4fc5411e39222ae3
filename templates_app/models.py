from django.db import models

from conversations.models import Channel
from instantreply.core.ids import PrefixedIdField
from instantreply.core.models import Workspace, WorkspaceScopedQuerySet
from instantreply.core.timeutil import now

CATEGORIES = ("marketing", "utility", "authentication")
STATUSES = ("draft", "submitting", "pending", "approved", "rejected", "paused", "disabled")
QUALITIES = ("high", "medium", "low", "unknown")
EDITABLE_STATUSES = ("draft", "rejected")
HISTORY_SOURCES = ("api", "worker", "meta_webhook", "sync", "simulator")
# Why the cost guard holds a template (§8): Meta moved it to a costlier category.
CATEGORY_CHANGED = "category_changed"
# Why Meta paused a template when it does not say: Meta pauses templates for their
# quality (error 132015), and its template list carries no reason at all.
META_PAUSE_REASON = "low_quality"
# Category moves that raise the price of every send (Meta's rate card: marketing is the
# dearest category in every market).
COSTLIER_MOVES = frozenset({("utility", "marketing"), ("authentication", "marketing")})


class Template(models.Model):
    """A WhatsApp message template of one channel (§8). ``components`` is stored in
    the API's own shape (lower-case types); the Meta shape is built when submitting."""

    id = PrefixedIdField(prefix="tpl")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="templates")
    livemode = models.BooleanField(default=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=512)
    language = models.CharField(max_length=16)
    category = models.CharField(max_length=16, choices=[(c, c) for c in CATEGORIES])
    status = models.CharField(
        max_length=16, choices=[(s, s) for s in STATUSES], default="draft", db_index=True
    )
    components = models.JSONField(default=list)
    # Example values of the body variables, which Meta's review requires.
    examples = models.JSONField(default=list, blank=True)
    variable_count = models.PositiveSmallIntegerField(default=0)
    rejection_reason = models.TextField(null=True, blank=True)
    meta_template_id = models.CharField(max_length=64, null=True, blank=True)
    quality = models.CharField(max_length=8, choices=[(q, q) for q in QUALITIES], default="unknown")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The cost guard (§8): Meta's last category change, and whether a costlier one
    # pauses the template until the workspace accepts it (POST .../resume).
    pause_on_category_change = models.BooleanField(default=False)
    previous_category = models.CharField(
        max_length=16, choices=[(c, c) for c in CATEGORIES], null=True, blank=True
    )
    category_changed_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(max_length=64, null=True, blank=True)
    # Set by the one worker run that may call Meta for the current submission.
    submit_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "name", "language", "livemode"], name="template_unique_name"
            )
        ]
        indexes = [
            models.Index(
                fields=["workspace", "livemode", "created_at", "id"], name="template_keyset"
            ),
            models.Index(fields=["meta_template_id"], name="template_meta_id"),
        ]

    def __str__(self):
        return f"{self.name} [{self.language}] ({self.status})"

    @property
    def body_text(self) -> str:
        for component in self.components:
            if component.get("type") == "body":
                return component.get("text") or ""
        return ""


class TemplateHistory(models.Model):
    """Every status change and submission attempt of a template, for support
    (admin): who moved it, from what to what, and Meta's words when it was Meta."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, null=True, blank=True)
    to_status = models.CharField(max_length=16)
    source = models.CharField(max_length=16, choices=[(s, s) for s in HISTORY_SOURCES])
    detail = models.TextField(null=True, blank=True)
    meta_event = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=40, null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "template history"

    def __str__(self):
        return f"{self.template_id}: {self.from_status} → {self.to_status} ({self.source})"
