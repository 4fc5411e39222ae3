"""Submission for Meta's review: the API claims the template (``submitting``) and
hands it to the ``submit_template`` task, which records Meta's answer here."""

import logging

from django.db import transaction

from instantreply.api.errors import ApiError, describe_details, field_error, validation_error
from instantreply.api.request_ids import current_request_id
from instantreply.core.timeutil import now

from .. import rules
from ..models import CATEGORIES, CATEGORY_CHANGED, EDITABLE_STATUSES, Template
from ._common import _emit_status, _history, _set_status

logger = logging.getLogger("instantreply.templates")


@transaction.atomic
def template_submit(*, template: Template, simulate: dict | None = None) -> Template:
    """Move a draft/rejected template to ``submitting`` with one conditional UPDATE,
    so of two concurrent submits exactly one wins and only it enqueues the Meta
    call (after commit)."""
    if simulate and template.livemode:
        raise field_error(
            "simulate",
            "is only accepted with test keys",
            "simulate is only accepted with ir_test_ keys; live templates are reviewed by Meta.",
        )
    at = now()
    # The row lock makes a concurrent submit wait and then see 'submitting'; the
    # status condition on the UPDATE keeps the guarantee where locks are no-ops (SQLite
    # serialises writers instead).
    previous, examples, variable_count = (
        Template.objects.select_for_update()
        .filter(pk=template.pk)
        .values_list("status", "examples", "variable_count")
        .get()
    )
    if previous in EDITABLE_STATUSES:
        _refuse_unready_examples(template.id, examples, variable_count)
    moved = previous in EDITABLE_STATUSES and Template.objects.filter(
        pk=template.pk, status__in=EDITABLE_STATUSES
    ).update(
        status="submitting",
        submitted_at=at,
        submit_claimed_at=None,
        rejection_reason=None,
        updated_at=at,
    )
    if not moved:
        raise ApiError(
            "TEMPLATE_NOT_EDITABLE",
            f"Template {template.id} is {previous}; only draft or rejected templates can be "
            "submitted.",
        )
    template.refresh_from_db()
    _history(template, previous, "submitting", "api", "submitted for review")
    _emit_status(template, {"status": previous})
    review = (simulate or {}).get("review")
    reason = (simulate or {}).get("reason")
    template_id = template.id
    # Passed explicitly so the Meta call is traced under this request (§7) however
    # the task runs (eager, or a worker that did not get the publish header).
    request_id = current_request_id()
    transaction.on_commit(lambda: _enqueue_submit(template_id, review, reason, request_id))
    return template


def _refuse_unready_examples(template_id: str, examples: list, variable_count: int) -> None:
    """A draft may be saved with examples that do not match its variables yet (§8);
    Meta's review needs exactly one per body variable, so submit refuses it."""
    details = rules.check_examples(examples, variable_count)
    if details:
        raise validation_error(
            f"Template {template_id} cannot be submitted yet: {describe_details(details)}. "
            f"Set them with PATCH /v1/templates/{template_id}, then submit again.",
            details,
        )


@transaction.atomic
def template_resume(*, template: Template) -> Template:
    """The workspace accepts the category Meta moved a template to: a template the
    cost guard paused (``paused_reason: category_changed``) is approved again."""
    locked = Template.objects.select_for_update().get(pk=template.pk)
    if locked.status != "paused" or locked.paused_reason != CATEGORY_CHANGED:
        why = f"paused ({locked.paused_reason})" if locked.status == "paused" else locked.status
        raise ApiError(
            "TEMPLATE_NOT_EDITABLE",
            f"Template {locked.id} is {why}; only a template paused because Meta changed its "
            "category (paused_reason category_changed) can be resumed.",
        )
    return _set_status(
        locked,
        status="approved",
        source="api",
        detail=f"category change accepted: {locked.previous_category} → {locked.category}",
        guard=False,
    )


def _enqueue_submit(template_id: str, review, reason, request_id: str | None) -> None:
    # Imported here: the task module imports these services (an inherent cycle).
    from ..tasks import submit_template

    try:
        submit_template.delay(
            template_id, simulate_review=review, simulate_reason=reason, request_id=request_id
        )
    except Exception:
        logger.exception("enqueue of template submission %s failed", template_id)


def meta_components(template: Template) -> list[dict]:
    """The template's components in Meta's create shape (§10)."""
    out = []
    for component in template.components:
        kind = component["type"]
        if kind == "header":
            item = {"type": "HEADER", "format": (component.get("format") or "text").upper()}
            if component.get("text"):
                item["text"] = component["text"]
            out.append(item)
        elif kind == "body":
            item = {"type": "BODY", "text": component["text"]}
            if template.examples:
                item["example"] = {"body_text": [list(template.examples)]}
            out.append(item)
        elif kind == "footer":
            out.append({"type": "FOOTER", "text": component["text"]})
        elif kind == "buttons":
            buttons = []
            for button in component.get("buttons") or []:
                item = {"type": button["type"].upper(), "text": button["text"]}
                if button["type"] == "url":
                    item["url"] = button["url"]
                if button["type"] == "phone_number":
                    item["phone_number"] = button["phone_number"]
                buttons.append(item)
            out.append({"type": "BUTTONS", "buttons": buttons})
    return out


@transaction.atomic
def template_record_acceptance(
    *, template_id: str, meta_template_id: str, category: str | None, source: str
) -> Template | None:
    """Meta accepted the submission: ``pending`` with Meta's id (and its category,
    which may differ from the one requested)."""
    template = Template.objects.select_for_update().filter(pk=template_id).first()
    if template is None or template.status != "submitting":
        return template
    fields = {"meta_template_id": str(meta_template_id)}
    if category and str(category).lower() in CATEGORIES:
        fields["category"] = str(category).lower()
    return _set_status(
        template, status="pending", source=source, detail="accepted by Meta for review", **fields
    )


@transaction.atomic
def template_record_rejection(*, template_id: str, reason: str, source: str) -> Template | None:
    template = Template.objects.select_for_update().filter(pk=template_id).first()
    if template is None or template.status != "submitting":
        return template
    return _set_status(
        template, status="rejected", source=source, detail=reason, rejection_reason=reason
    )
