"""The one way a template's status changes: recorded in its history and announced
as ``template.status_updated``."""

from instantreply.api.request_ids import current_request_id
from instantreply.core.timeutil import now
from webhooks.events import emit

from ..models import Template, TemplateHistory
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
    **fields,
) -> Template:
    """Apply a status change (and other fields) to a locked template, record it and
    announce it. Nothing changes and nothing is emitted when it is already so."""
    previous = {}
    if template.status != status:
        previous["status"] = template.status
    for field, value in fields.items():
        if getattr(template, field) != value:
            previous[field] = getattr(template, field)
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
