"""The one way a template's status changes: recorded in its history and announced
as ``template.status_updated``."""

from datetime import datetime

from instantreply.api.request_ids import current_request_id
from instantreply.core.timeutil import format_ts, now
from webhooks.events import emit

from ..models import CATEGORY_CHANGED, COSTLIER_MOVES, Template, TemplateHistory
from ..serializers import template_data


def _history(template, from_status, to_status, source, detail=None, meta_event=None):
    TemplateHistory.objects.create(
        template=template,
        from_status=from_status,
        to_status=to_status,
        source=source,
        detail=detail,
        meta_event=meta_event,
        request_id=current_request_id(),
    )


def _emit_status(template: Template, previous: dict) -> None:
    emit(
        workspace_id=template.workspace_id,
        livemode=template.livemode,
        type="template.status_updated",
        data=template_data(template),
        object_id=template.id,
        previous_attributes=previous,
    )


def _set_status(
    template: Template,
    *,
    status: str,
    source: str,
    detail: str | None = None,
    meta_event: dict | None = None,
    category: str | None = None,
    guard: bool = True,
    **fields,
) -> Template:
    """Apply a status change (and other fields) to a locked template, record it and
    announce it. Nothing changes and nothing is emitted when it is already so.

    ``category`` is Meta's word on the category (its answer, a webhook, a sync, the
    simulated review): every change of it sets ``previous_category`` and
    ``category_changed_at``. Unless ``guard`` is off (the workspace accepting a change),
    the cost guard then has the last word on the status (``_guarded``)."""
    if category is not None and category != template.category:
        fields.update(
            category=category, previous_category=template.category, category_changed_at=now()
        )
    if guard:
        status, fields["paused_reason"] = _guarded(template, status, fields)
    elif status != "paused":
        fields["paused_reason"] = None
    previous = {}
    if template.status != status:
        previous["status"] = template.status
    for field, value in fields.items():
        if getattr(template, field) != value:
            old = getattr(template, field)
            # The event names old values as the API shows them (§9).
            previous[field] = format_ts(old) if isinstance(old, datetime) else old
    if not previous:
        return template
    old_status = template.status
    template.status = status
    for field, value in fields.items():
        setattr(template, field, value)
    template.updated_at = now()
    template.save()
    _history(template, old_status, status, source, detail, meta_event)
    _emit_status(template, previous)
    return template


def _guarded(template: Template, status: str, fields: dict) -> tuple[str, str | None]:
    """The status and ``paused_reason`` a decision of Meta's leads to, cost guard
    included (§8): a template with ``pause_on_category_change`` that Meta approves in a
    costlier category than the one it had — moved now, or earlier in this review —
    is ``paused`` (``category_changed``) instead, and stays so whatever Meta says
    next about its approval, until the workspace resumes it or Meta moves it back.
    A pause of Meta's own keeps Meta's reason (``fields["paused_reason"]``)."""
    category = fields.get("category", template.category)
    held = template.status == "paused" and template.paused_reason == CATEGORY_CHANGED
    if held:
        if status not in ("approved", "paused"):
            return status, None  # rejected, disabled…: Meta's decision replaces the hold
        if "category" in fields and category == template.previous_category:
            return "approved", None  # moved back: what the workspace chose costs again
        return "paused", CATEGORY_CHANGED
    if status == "approved" and template.pause_on_category_change:
        moved_now = (template.category, category) in COSTLIER_MOVES and "category" in fields
        moved_in_review = (
            "category" not in fields
            and template.status in ("submitting", "pending")
            and (template.previous_category, category) in COSTLIER_MOVES
            and template.category_changed_at is not None
            and template.submitted_at is not None
            and template.category_changed_at >= template.submitted_at
        )
        if moved_now or moved_in_review:
            return "paused", CATEGORY_CHANGED
    if status == "paused":
        return status, fields.get("paused_reason", template.paused_reason)
    return status, None
