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


CONVERSATION_STATUSES = ("active", "pending", "closed")
MESSAGE_DIRECTIONS = ("inbound", "outbound")
MESSAGE_TYPES = (
    "text",
    "template",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "reaction",
    "unsupported",
)
MESSAGE_STATUSES = ("received", "queued", "sending", "sent", "delivered", "read", "failed")
SENDER_TYPES = ("contact", "agent", "api", "automation")
MESSAGE_TAGS = ("human_agent",)


def _choices(values):
    return [(v, v) for v in values]


class Conversation(models.Model):
    """One thread per (channel, contact), in one mode (§8)."""

    id = PrefixedIdField(prefix="conv")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField(default=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="conversations")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="conversations"
    )
    status = models.CharField(
        max_length=8, choices=_choices(CONVERSATION_STATUSES), default="active"
    )
    assignee = models.ForeignKey(
        "core.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.JSONField(default=list, blank=True)
    last_message_preview = models.CharField(max_length=140, null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Meta's timestamp of the customer's latest message: the messaging window's start.
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "livemode", "created_at", "id"], name="conv_keyset"),
            models.Index(fields=["workspace", "livemode", "updated_at"], name="conv_updated"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["channel", "contact"], name="conv_channel_contact")
        ]

    def __str__(self):
        return self.id


class Trigger(models.Model):
    """One outbound delivery: a reply or a business-initiated template send (§8)."""

    id = PrefixedIdField(prefix="trg")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField(default=True)
    message = models.OneToOneField(
        "conversations.Message", on_delete=models.CASCADE, related_name="trigger"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    template_id = models.CharField(max_length=40, null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # [{state, at, detail}] kept in Meta's time order.
    timeline = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "livemode", "created_at", "id"], name="trg_keyset")
        ]

    def __str__(self):
        return self.id


class Message(models.Model):
    id = PrefixedIdField(prefix="msg")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField(default=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # Denormalised from the conversation so Meta ids are unique (and found) per channel.
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=8, choices=_choices(MESSAGE_DIRECTIONS))
    type = models.CharField(max_length=16, choices=_choices(MESSAGE_TYPES), default="text")
    text = models.TextField(null=True, blank=True)
    template = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=_choices(MESSAGE_STATUSES))
    sender_type = models.CharField(max_length=12, choices=_choices(SENDER_TYPES))
    sender_id = models.CharField(max_length=40, null=True, blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    tag = models.CharField(max_length=16, choices=_choices(MESSAGE_TAGS), null=True, blank=True)
    simulate_error_code = models.CharField(max_length=32, null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    status_updated_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "created_at", "id"], name="msg_conv_keyset"),
            models.Index(fields=["workspace", "livemode", "created_at", "id"], name="msg_keyset"),
            # The sweeper's scan for stuck queued/sending messages.
            models.Index(fields=["status", "status_updated_at"], name="msg_status_age"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="msg_channel_external_id",
            )
        ]

    def __str__(self):
        return self.id

    @property
    def trigger_id_or_none(self) -> str | None:
        try:
            return self.trigger.id
        except Trigger.DoesNotExist:
            return None


class DailyOutboundCount(models.Model):
    """Live outbound messages accepted per workspace per UTC day (§6, §11). Reserved
    with a conditional UPDATE in the transaction that creates the message, so two
    parallel sends at quota - 1 cannot both pass."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "day"], name="outbound_count_unique_day")
        ]

    def __str__(self):
        return f"{self.workspace_id} {self.day}: {self.count}"


# -- analytics rollups ------------------------------------------------------------
# Read by GET /v1/analytics/summary (conversations/analytics.py) instead of scanning
# messages. They are written by database triggers (migration 0004), not by Python:
# every write path — the services, bulk loads, the demo seeder, admin edits,
# cascading deletes — keeps them exact, and `manage.py rebuild_analytics`
# recomputes them from the raw rows. Workspace and channel are plain columns, not
# foreign keys: a cascading delete removes messages after or before these rows in
# no fixed order, and a trigger writing a row for a workspace being deleted must
# not fail its commit.
ROLLUP_BUCKET_SECONDS = 900


class MessageStat(models.Model):
    """Messages per 15-minute UTC bucket (every current IANA offset is a multiple of
    15 minutes, so each bucket lies inside one local day of any zone). ``shard``
    spreads concurrent writers of one busy bucket over several rows; readers sum."""

    workspace_id = models.CharField(max_length=40)
    livemode = models.BooleanField()
    channel_id = models.CharField(max_length=40)
    bucket_start = models.DateTimeField()
    shard = models.SmallIntegerField(default=0)
    inbound = models.IntegerField(default=0)
    outbound = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    # Outbound delivered or read, and outbound that reached sent or failed.
    delivered = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace_id", "livemode", "bucket_start", "channel_id", "shard"],
                name="message_stat_key",
            )
        ]

    def __str__(self):
        return f"{self.channel_id} {self.bucket_start}"


class ConversationStat(models.Model):
    """Conversations created (``started``) and closed (by ``closed_at``) per
    15-minute UTC bucket; a re-opening clears closed_at and so leaves the bucket."""

    workspace_id = models.CharField(max_length=40)
    livemode = models.BooleanField()
    channel_id = models.CharField(max_length=40)
    bucket_start = models.DateTimeField()
    shard = models.SmallIntegerField(default=0)
    started = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace_id", "livemode", "bucket_start", "channel_id", "shard"],
                name="conversation_stat_key",
            )
        ]

    def __str__(self):
        return f"{self.channel_id} {self.bucket_start}"


class FirstResponse(models.Model):
    """A conversation's opening: its first message when that is inbound, and the
    first outbound message at or after it (null while unanswered). Re-openings are
    few and are read from their conversation.updated events instead."""

    conversation_id = models.CharField(max_length=40, primary_key=True)
    workspace_id = models.CharField(max_length=40)
    livemode = models.BooleanField()
    channel_id = models.CharField(max_length=40)
    conversation_created_at = models.DateTimeField()
    opened_at = models.DateTimeField()
    replied_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["workspace_id", "livemode", "opened_at"], name="first_response_range"
            )
        ]

    def __str__(self):
        return self.conversation_id
