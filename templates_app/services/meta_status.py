"""Meta's decisions on a template after submission: ``message_template_status_update``
and ``template_category_update`` webhooks (and a decision Meta gives at once in its
answer to the submission)."""

from django.db import transaction
from django.db.models import Q

from ..models import CATEGORIES, META_PAUSE_REASON, Template
from ._common import _set_status

# Meta's template statuses (webhook ``event`` and list ``status``) in our enum (§8).
META_STATUS = {
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "PENDING": "pending",
    "IN_APPEAL": "pending",
    "PAUSED": "paused",
    "DISABLED": "disabled",
    "FLAGGED": "approved",
    "ARCHIVED": "disabled",
    "PENDING_DELETION": "disabled",
    "DELETED": "disabled",
    "LIMIT_EXCEEDED": "disabled",
    "UNARCHIVED": "approved",
    "REINSTATED": "approved",
}
REJECTION_REASONS = {
    "ABUSIVE_CONTENT": "Meta found abusive content in the template.",
    "CATEGORY_NOT_AVAILABLE": "The requested category is not available to this business.",
    "INCORRECT_CATEGORY": "The content does not match the requested category; run "
    "POST /v1/templates/{id}/validate to see what reads as marketing.",
    "INVALID_FORMAT": "The template's format is invalid (variables, examples or component limits).",
    "PROMOTIONAL": "Promotional content in a template that is not marketing; remove it "
    "or submit the template as marketing.",
    "SCAM": "Meta judged the content to be a possible scam.",
    "TAG_CONTENT_MISMATCH": "The content does not match the category or tag.",
}


def explain_rejection(reason: str | None) -> str | None:
    if not reason or str(reason).upper() == "NONE":
        return None
    key = str(reason).upper()
    text = REJECTION_REASONS.get(key)
    return f"{key}: {text}" if text else str(reason)


@transaction.atomic
def template_status_from_meta(
    *,
    waba_id: str,
    meta_template_id: str,
    name: str | None,
    language: str | None,
    event: str,
    reason: str | None = None,
    new_category: str | None = None,
    source: str = "meta_webhook",
) -> list[Template] | None:
    """A ``message_template_status_update`` (event APPROVED, REJECTED, PAUSED, …) or
    ``template_category_update`` (event CATEGORY_UPDATE with ``new_category``) from
    Meta. A WABA's template is shared by every phone number (channel) under it, so
    every matching live template is updated. Redeliveries change nothing and emit
    nothing. Returns the templates matched, or None when none is known."""
    match = Q(meta_template_id=str(meta_template_id))
    if name and language:
        match |= Q(name=name, language=language, meta_template_id__isnull=True)
    templates = list(
        Template.objects.select_for_update()
        .select_related("channel")
        .filter(match, channel__waba_id=str(waba_id), livemode=True)
        .order_by("created_at", "id")
    )
    if not templates:
        return None
    event_key = str(event or "").upper()
    meta_event = {
        "event": event_key,
        "reason": reason,
        "new_category": new_category,
        "meta_template_id": str(meta_template_id),
    }
    for template in templates:
        status = META_STATUS.get(event_key, template.status)
        fields: dict = {}
        if template.meta_template_id != str(meta_template_id):
            fields["meta_template_id"] = str(meta_template_id)
        if event_key == "REJECTED":
            fields["rejection_reason"] = explain_rejection(reason) or "Rejected by Meta."
        elif status in ("approved", "pending"):
            fields["rejection_reason"] = None
        if event_key == "FLAGGED":
            fields["quality"] = "low"
        if new_category and str(new_category).lower() in CATEGORIES:
            fields["category"] = str(new_category).lower()
        if event_key == "PAUSED":
            # Meta pauses a template for its quality (error 132015); its reason, when it
            # gives one, is kept as it says it.
            fields["paused_reason"] = (
                str(reason).lower()
                if reason and str(reason).upper() != "NONE"
                else META_PAUSE_REASON
            )
        detail = f"Meta: {event_key}" + (f" ({reason})" if reason and reason != "NONE" else "")
        _set_status(
            template, status=status, source=source, detail=detail, meta_event=meta_event, **fields
        )
    return templates
