"""Template submission to Meta (§8, §10).

Design note — at most one Meta call per submission: the API moves the template to
``submitting`` with a conditional UPDATE (only one submit wins) and enqueues this
task after commit. A task can still run twice (acks_late redelivery, a manual
re-enqueue), so before calling Meta the run claims the submission with a second
conditional UPDATE on ``submit_claimed_at``; a run that finds it claimed does
nothing. The claim is released only when the request provably never reached Meta
(connection refused, 5xx, throttling), before a retry.
"""

import logging
import secrets

from celery import shared_task
from django.db import transaction

from instantreply.api.request_ids import set_request_id
from instantreply.core.tasks import RetryingTask
from instantreply.core.timeutil import now
from instantreply.meta.client import (
    MetaError,
    MetaNotSentError,
    MetaRequestError,
    MetaUnknownOutcomeError,
    list_templates,
)
from instantreply.meta.client import submit_template as graph_submit

from . import services
from .models import Template
from .simulation import reviewed_category

logger = logging.getLogger("instantreply.templates")

MAX_SUBMIT_RETRIES = 4


def _claim(template_id: str) -> Template | None:
    claimed = Template.objects.filter(
        pk=template_id, status="submitting", submit_claimed_at__isnull=True
    ).update(submit_claimed_at=now())
    if not claimed:
        return None
    return Template.objects.select_related("channel").get(pk=template_id)


@shared_task(
    name="templates_app.submit_template",
    base=RetryingTask,
    bind=True,
    max_retries=MAX_SUBMIT_RETRIES,
    soft_time_limit=45,
    time_limit=60,
)
def submit_template(
    self,
    template_id: str,
    simulate_review: str | None = None,
    simulate_reason: str | None = None,
    request_id: str | None = None,
) -> str:
    if request_id:
        set_request_id(request_id)
    template = _claim(template_id)
    if template is None:
        return "not-claimed"
    if not template.livemode:
        return _simulate(template, simulate_review, simulate_reason)

    try:
        answer = graph_submit(
            channel=template.channel,
            name=template.name,
            language=template.language,
            category=template.category,
            components=services.meta_components(template),
            subject_id=template.id,
        )
    except MetaNotSentError as exc:
        if self.may_retry:
            Template.objects.filter(pk=template.pk).update(submit_claimed_at=None)
            self.retry_later(exc)
        services.template_record_rejection(
            template_id=template.id,
            reason=f"Not submitted: Meta could not take the request after "
            f"{MAX_SUBMIT_RETRIES + 1} attempts ({exc.message}). Nothing reached Meta; "
            "submit again later.",
            source="worker",
        )
        return "unavailable"
    except MetaRequestError as exc:
        detail = f" {exc.details}" if exc.details else ""
        services.template_record_rejection(
            template_id=template.id,
            reason=f"Meta refused the submission (error {exc.catalogue_code or exc.http_status}): "
            f"{exc.message}.{detail}",
            source="worker",
        )
        return "rejected"
    except MetaUnknownOutcomeError as exc:
        return _after_unknown_outcome(template, exc)
    meta_id = answer.get("id")
    if not meta_id:
        services.template_record_rejection(
            template_id=template.id,
            reason="Meta answered without a template id; run manage.py sync_templates to see "
            "whether it was created before submitting again.",
            source="worker",
        )
        return "no-id"
    services.template_record_acceptance(
        template_id=template.id,
        meta_template_id=str(meta_id),
        category=answer.get("category"),
        source="worker",
    )
    status = str(answer.get("status") or "").upper()
    if status in services.META_STATUS and status != "PENDING":
        # Meta sometimes decides at once (e.g. APPROVED for a known-good shape).
        services.template_status_from_meta(
            waba_id=template.channel.waba_id,
            meta_template_id=str(meta_id),
            name=template.name,
            language=template.language,
            event=status,
            source="worker",
        )
    return "pending"


def _after_unknown_outcome(template: Template, exc) -> str:
    """The request went out and no answer came back: Meta may have created it. Look
    it up by name and language rather than resending."""

    try:
        after = None
        for _ in range(50):
            page = list_templates(channel=template.channel, after=after)
            for item in page.get("data") or []:
                if item.get("name") == template.name and item.get("language") == template.language:
                    services.template_record_acceptance(
                        template_id=template.id,
                        meta_template_id=str(item.get("id")),
                        category=item.get("category"),
                        source="worker",
                    )
                    return "pending-after-lookup"
            paging = page.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
    except MetaError as lookup_error:
        services.template_record_rejection(
            template_id=template.id,
            reason=f"Outcome unknown: Meta did not answer the submission ({exc.message}) and the "
            f"follow-up lookup failed ({lookup_error.message}). Run manage.py sync_templates "
            "before submitting again.",
            source="worker",
        )
        return "unknown-outcome"
    services.template_record_rejection(
        template_id=template.id,
        reason=f"Meta did not answer the submission ({exc.message}) and its template list, read "
        "right after, has no template with this name and language, so it was most likely not "
        "created: submit again. If Meta did create it, its review webhook will still update "
        "this template.",
        source="worker",
    )
    return "not-created"


def _simulate(template: Template, review: str | None, reason: str | None) -> str:
    """Test mode never reaches Meta (§3): accepted at once, then approved — or
    rejected when the submit asked for it. A utility template whose content is marketing
    is approved as marketing, as Meta does (§3)."""
    services.template_record_acceptance(
        template_id=template.id,
        meta_template_id=f"sim_{secrets.token_hex(8)}",
        category=None,
        source="simulator",
    )
    with transaction.atomic():
        locked = Template.objects.select_for_update().get(pk=template.pk)
        if locked.status != "pending":
            return "simulated"
        if review == "rejected":
            services._set_status(
                locked,
                status="rejected",
                source="simulator",
                detail="simulated rejection",
                rejection_reason=services.explain_rejection(reason or "INVALID_FORMAT"),
            )
        else:
            # Like Meta's review, the simulated one re-categorises what reads as marketing.
            category = reviewed_category(components=locked.components, category=locked.category)
            services._set_status(
                locked,
                status="approved",
                source="simulator",
                detail="simulated"
                + (f" (re-categorised as {category})" if category != locked.category else ""),
                category=category,
            )
    return "simulated"
