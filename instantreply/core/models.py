"""Platform models: tenants, keys, and the records the API platform keeps about
itself (request traces, downstream calls, idempotent results)."""

import datetime as dt

from django.conf import settings
from django.db import models

from .crypto import EncryptedTextField
from .ids import PrefixedIdField, time_of_id
from .partitions import READ_METHODS
from .timeutil import now

TIER_CHOICES = [(t, t) for t in ("free", "starter", "growth", "scale")]
MODE_CHOICES = [("live", "live"), ("test", "test")]


class WorkspaceScopedQuerySet(models.QuerySet):
    """Tenancy and test-mode separation in one place (§3).

    ``for_key`` is the only way API code reaches rows: it narrows to the key's
    workspace and, for models that carry ``livemode``, to the key's mode — so a view
    cannot forget either.
    """

    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)

    def for_key(self, api_key):
        qs = self.filter(workspace_id=api_key.workspace_id)
        if any(f.name == "livemode" for f in self.model._meta.concrete_fields):
            qs = qs.filter(livemode=api_key.livemode)
        return qs


class Workspace(models.Model):
    id = PrefixedIdField(prefix="ws")
    name = models.CharField(max_length=200)
    tier = models.CharField(max_length=16, choices=TIER_CHOICES, default="free")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.name} ({self.id})"


class Agent(models.Model):
    id = PrefixedIdField(prefix="agt")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=now)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "email"], name="agent_unique_email")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class ApiKey(models.Model):
    """Only a SHA-256 of the key is kept; ``prefix`` (the first 12 random characters)
    is the indexed lookup and the hash is compared in constant time."""

    id = PrefixedIdField(prefix="key")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, default="Default key")
    mode = models.CharField(max_length=4, choices=MODE_CHOICES, default="live")
    prefix = models.CharField(max_length=32, unique=True)
    hashed_key = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at", "id"])]

    def __str__(self):
        return f"{self.name} ({self.display_prefix}…)"

    @property
    def livemode(self) -> bool:
        return self.mode == "live"

    @property
    def display_prefix(self) -> str:
        return f"ir_{self.mode}_{self.prefix[:8]}"

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.scopes


# How far a trace row's created_at may sit from the time in its req_ id: a log is
# stamped when the response is done, a downstream call at any later time; the
# margin before covers a clock stepped back between the two.
ID_TIME_MARGIN = dt.timedelta(days=1)


def retention_cutoffs(at: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The trace store's cutoffs at ``at`` (default now), §7: GET/HEAD request logs
    older than the first are expired, every other trace row older than the second.
    The purge (core/maintenance.py) and the read filter (``retained()``) both use
    these, so what a read shows and what a purge keeps never disagree."""
    at = at or now()
    return (
        at - dt.timedelta(days=settings.REQUEST_LOG_GET_RETENTION_DAYS),
        at - dt.timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS),
    )


class RequestLogQuerySet(WorkspaceScopedQuerySet):
    def retained(self, at: dt.datetime | None = None):
        """The rows still within retention: every read path starts here. On
        PostgreSQL expired rows stay stored until their whole day partition is
        dropped (core/partitions.py), up to a day past their cutoff; this hides
        them meanwhile, and the bound on created_at lets the planner skip the
        dropped-soon days. On SQLite the purge deletes them at each run anyway."""
        reads_cutoff, cutoff = retention_cutoffs(at)
        return self.filter(created_at__gte=cutoff).filter(
            ~models.Q(method__in=READ_METHODS) | models.Q(created_at__gte=reads_cutoff)
        )

    def get_by_request_id(self, request_id: str):
        """The row with this req_ id, or None. On PostgreSQL the trace store is
        partitioned by day (core/partitions.py); the time in the UUIDv7 id narrows
        the search to the days around it, and only a row stamped outside them (its
        created_at moved) costs a second, unnarrowed lookup."""
        if "\x00" in request_id:  # PostgreSQL refuses NUL; no id holds one
            return None
        at = time_of_id(request_id)
        if at is not None:
            log = self.filter(
                pk=request_id,
                created_at__gte=at - ID_TIME_MARGIN,
                created_at__lt=at + ID_TIME_MARGIN,
            ).first()
            if log is not None:
                return log
        return self.filter(pk=request_id).first()


class DownstreamCallQuerySet(models.QuerySet):
    def retained(self, at: dt.datetime | None = None):
        """The calls still within retention (the general cutoff, whatever the
        method of the request they were made for); see RequestLogQuerySet.retained."""
        return self.filter(created_at__gte=retention_cutoffs(at)[1])

    def for_request(self, request_id: str):
        """The calls made on behalf of a request, in order. A call is made after its
        request arrived, so the days before the req_ id's time are not searched."""
        calls = self.filter(request_id=request_id)
        at = time_of_id(request_id)
        if at is not None:
            calls = calls.filter(created_at__gte=at - ID_TIME_MARGIN)
        return calls.order_by("created_at", "id")


NOT_FOUND = object()
# Apps that keep a request's body in a row of their own (``request_body_in_event``)
# register how to read it: ``reader(request_id)`` gives the body as the trace
# shows it (a JSON value), or NOT_FOUND when that request is not theirs.
REQUEST_BODY_READERS: list = []


class RequestLog(models.Model):
    """One row per /v1 or /meta request: what arrived and what we answered (§7).

    Design note: a /meta/webhook POST stores its raw event and this row in one
    statement; its body would be in both. Repeating it was about 40 % of the row's
    PostgreSQL CPU and 30 % of its WAL on the acknowledgement's path (process
    groups beside bench/meta_ingest.py's floor at 1,200 posts/s; 2,300 → 1,885 bytes
    of WAL per ack), so a body kept as it arrived is read back from the event instead
    (``request_body_value``), which lives as long as the log (meta's sweep)."""

    id = models.CharField(max_length=40, primary_key=True)  # the req_ id
    # A log, written by every request: no foreign-key constraint in the database
    # (each row's deferred checks, and the key-share locks they take on the same
    # workspace and key rows from every concurrent request, were a large part of
    # PostgreSQL's CPU per request: bench/platform_throughput.py). Django still
    # cascades and nulls on delete; a row written just after its key was deleted
    # keeps that key's id. No index of its own for workspace: (workspace,
    # created_at) below serves every lookup by workspace.
    workspace = models.ForeignKey(
        Workspace,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    api_key = models.ForeignKey(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2048)
    query = models.JSONField(default=dict)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    replayed = models.BooleanField(default=False)
    request_headers = models.JSONField(default=dict)
    request_body = models.JSONField(null=True, blank=True)
    request_body_truncated = models.BooleanField(default=False)
    # True: the body is not in this row but in the row the request stored with it
    # (a /meta/webhook POST's raw event), read through REQUEST_BODY_READERS. Only
    # a body kept as it arrived (JSON within the cap, no secret-like key) is left
    # out so; request_body is then NULL.
    request_body_in_event = models.BooleanField(default=False, db_default=False)
    response_headers = models.JSONField(default=dict)
    response_body = models.JSONField(null=True, blank=True)
    response_body_truncated = models.BooleanField(default=False)
    error_code = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = RequestLogQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "created_at"]),
            models.Index(fields=["created_at"]),
            # Support's "5xx" admin filter: the server errors, newest first, without
            # scanning the table; partial, so ordinary requests never write to it.
            models.Index(
                fields=["id"], condition=models.Q(status__gte=500), name="core_reqlog_5xx_idx"
            ),
        ]

    def __str__(self):
        return f"{self.id} {self.method} {self.path} → {self.status}"

    @property
    def request_body_value(self):
        """The request's body as the trace shows it: this row's, or, when the row
        says it is kept with the request's event, that event's (None once the event
        is gone)."""
        if not self.request_body_in_event:
            return self.request_body
        for reader in REQUEST_BODY_READERS:
            found = reader(self.id)
            if found is not NOT_FOUND:
                return found
        return None


class DownstreamCall(models.Model):
    """A call we made to another service on behalf of a request (§7)."""

    SERVICE_CHOICES = [("meta_graph", "meta_graph"), ("webhook", "webhook")]

    id = PrefixedIdField(prefix="dc")
    request_id = models.CharField(max_length=40, null=True, blank=True, db_index=True)
    workspace = models.ForeignKey(
        Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.CharField(max_length=16, choices=SERVICE_CHOICES)
    method = models.CharField(max_length=10)
    url = models.CharField(max_length=2048)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)
    request_body = models.JSONField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    # What the call was about (msg_/tpl_/whd_ id), so admin can trace by object too.
    subject_id = models.CharField(max_length=40, null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=now)

    objects = DownstreamCallQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.id} {self.method} {self.url} → {self.status}"


class IdempotencyRecord(models.Model):
    """The stored outcome of a request made with an Idempotency-Key (§5).

    Written in the same transaction as the request's side effects; the claim on
    the key while the request runs is a transaction-scoped advisory lock, so it
    dies with the transaction (or the process) — there is no lease to expire.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField()
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    request_id = models.CharField(max_length=40)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100, default="application/json")
    # Stored encrypted when it holds a secret (the webhook creation response).
    body = models.TextField(blank=True, default="")
    body_encrypted = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "livemode", "key"], name="idempotency_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.key} → {self.status_code}"
