"""GET /v1/developer/onboarding (§11): the eight first steps of an integration,
each read from the records the step leaves behind — nothing is ticked by hand.

The checklist is the workspace's, across both modes: most people start with a
test key, and a test webhook or test send is the step done. One aggregate query
per step, so the cost does not grow with the workspace's data.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from conversations.models import Channel, Message
from instantreply.api.schema import data_response
from instantreply.api.serializers import TimestampField
from instantreply.api.views import ApiView, respond
from instantreply.core.models import ApiKey, RequestLog, Workspace
from instantreply.core.timeutil import format_ts, now
from templates_app.models import Template
from webhooks.models import WebhookDelivery, WebhookEndpoint

ONBOARDING_PATH = "/v1/developer/onboarding"


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    how: str


STEPS: tuple[Step, ...] = (
    Step(
        "create_api_key",
        "Create an API key",
        "Run manage.py create_api_key --workspace <ws_id> --mode test and keep the key it "
        "prints, because it is shown only once.",
    ),
    Step(
        "first_authenticated_request",
        "Make your first authenticated request",
        "Call GET /v1/developer/capabilities with the header 'Authorization: Bearer <key>'.",
    ),
    Step(
        "connect_channel",
        "Connect a channel",
        "Connect a WhatsApp number, Instagram account or Facebook Page with manage.py "
        "connect_channel, then check it with GET /v1/channels.",
    ),
    Step(
        "register_webhook",
        "Register a webhook endpoint",
        "POST /v1/webhooks with your HTTPS url and the events you want, and store the "
        "signing secret it returns.",
    ),
    Step(
        "first_webhook_delivered",
        "Receive your first webhook",
        "Answer a delivery with any 2xx within 10 seconds; POST /v1/webhooks/{id}/test "
        "sends one on demand.",
    ),
    Step(
        "send_first_message",
        "Send your first message",
        'POST /v1/conversations/{id}/messages with {"text": "..."} (a test key simulates '
        "the delivery), or POST /v1/trigger with an approved template.",
    ),
    Step(
        "use_idempotency_key",
        "Retry safely with an Idempotency-Key",
        "Send an Idempotency-Key header holding a fresh UUID on a POST, PATCH or DELETE, "
        "and reuse it when you retry that call.",
    ),
    Step(
        "submit_template",
        "Submit a message template",
        "Create a template with POST /v1/templates and send it to Meta for review with "
        "POST /v1/templates/{id}/submit.",
    ),
)


def step_doc_url(step_id: str) -> str:
    return f"{settings.DOCS_BASE_URL}/getting-started#{step_id}"


def _first(queryset, field: str) -> dt.datetime | None:
    return queryset.aggregate(first=Min(field))["first"]


def _first_per_mode(queryset, workspace) -> dt.datetime | None:
    """Earliest created_at over both modes, as two index-ordered probes on
    (workspace, livemode, created_at) in one query — a plain MIN across modes
    would read every row of a big table."""

    def first(livemode: bool):
        return Subquery(
            queryset.filter(livemode=livemode).order_by("created_at").values("created_at")[:1]
        )

    row = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(live=first(True), test=first(False))
        .values("live", "test")
        .get()
    )
    return min((t for t in row.values() if t), default=None)


def completion_times(workspace) -> dict[str, dt.datetime | None]:
    """When each step was first done (None while undone)."""
    ws = workspace.id
    # Request logs of GETs are purged after a week; a key last used before that
    # cut-off is the remaining evidence that requests were made.
    cutoff = now() - dt.timedelta(days=settings.REQUEST_LOG_GET_RETENTION_DAYS)
    keys = ApiKey.objects.filter(workspace_id=ws).aggregate(
        created=Min("created_at"),
        used_before_cutoff=Min("last_used_at", filter=Q(last_used_at__lt=cutoff)),
    )
    logged = _first(
        RequestLog.objects.retained()
        .filter(workspace_id=ws, api_key__isnull=False, status__lt=400)
        .exclude(path=ONBOARDING_PATH),
        "created_at",
    )
    first_request = min((t for t in (logged, keys["used_before_cutoff"]) if t), default=None)
    channels = Channel.objects.filter(workspace_id=ws).aggregate(
        connected=Min("connected_at"), created=Min("created_at")
    )
    return {
        "create_api_key": keys["created"],
        "first_authenticated_request": first_request,
        "connect_channel": channels["connected"] or channels["created"],
        "register_webhook": _first(WebhookEndpoint.objects.filter(workspace_id=ws), "created_at"),
        "first_webhook_delivered": _first(
            WebhookDelivery.objects.filter(endpoint__workspace_id=ws, status="succeeded"),
            "created_at",
        ),
        "send_first_message": _first_per_mode(
            Message.objects.filter(workspace_id=ws, direction="outbound"), workspace
        ),
        "use_idempotency_key": _first(
            RequestLog.objects.retained().filter(workspace_id=ws, idempotency_key__isnull=False),
            "created_at",
        ),
        "submit_template": _first(
            Template.objects.filter(workspace_id=ws, submitted_at__isnull=False), "submitted_at"
        ),
    }


def onboarding_data(workspace) -> dict:
    times = completion_times(workspace)
    steps = [
        {
            "id": step.id,
            "title": step.title,
            "done": times[step.id] is not None,
            "completed_at": format_ts(times[step.id]),
            "how": step.how,
            "doc_url": step_doc_url(step.id),
        }
        for step in STEPS
    ]
    undone = [s["id"] for s in steps if not s["done"]]
    return {
        "steps": steps,
        "completed": len(steps) - len(undone),
        "total": len(steps),
        "next_step": undone[0] if undone else None,
    }


class OnboardingStepSerializer(serializers.Serializer):
    id = serializers.ChoiceField(choices=[s.id for s in STEPS])
    title = serializers.CharField()
    done = serializers.BooleanField()
    completed_at = TimestampField(allow_null=True)
    how = serializers.CharField(help_text="The next action, in one sentence.")
    doc_url = serializers.URLField(help_text="The section of the getting-started guide.")


class OnboardingSerializer(serializers.Serializer):
    steps = OnboardingStepSerializer(many=True)
    completed = serializers.IntegerField()
    total = serializers.IntegerField()
    next_step = serializers.CharField(
        allow_null=True, help_text="The id of the first undone step; null when all are done."
    )


class OnboardingView(ApiView):
    @extend_schema(
        operation_id="onboarding_retrieve",
        summary="Check onboarding progress",
        description=(
            "The steps from a new key to a first delivered message (create a key, make a call, "
            "connect a channel, register a webhook, send a message, use an idempotency key, "
            "submit a template), each marked done from what really happened in the workspace, and "
            "the next step to take."
        ),
        responses={200: data_response(OnboardingSerializer)},
    )
    def get(self, request):
        return respond(onboarding_data(self.workspace))
