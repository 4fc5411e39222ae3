"""Writes on templates: create, edit, submit, Meta's status updates, sync, and the
checks a template send goes through (``template_for_send``, the extension point
``conversations.services.sending._resolve_template`` calls)."""

import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import Q

from conversations.models import Channel
from instantreply.api.errors import ApiError
from instantreply.api.tracing import current_request_id
from instantreply.core.timeutil import now
from webhooks.events import emit

from . import classifier, pricing, rules
from .models import EDITABLE_STATUSES, Template, TemplateHistory
from .serializers import template_data

logger = logging.getLogger("instantreply.templates")

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
META_QUALITY = {"GREEN": "high", "YELLOW": "medium", "RED": "low", "UNKNOWN": "unknown"}
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
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}\Z")
# Meta refuses body parameters with new lines, tabs or more than 4 spaces in a row.
BAD_PARAM_RE = re.compile(r"[\n\t]| {5,}")


def _invalid(message: str, details: list[dict]) -> ApiError:
    return ApiError("VALIDATION_ERROR", message, details=details)


def _describe(details: list[dict]) -> str:
    shown = "; ".join(f"{d['field']} {d['issue']}" for d in details[:3])
    more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
    return shown + more


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


def _whatsapp_channel(*, workspace_id: str, channel_id, field: str = "channel_id") -> Channel:
    channel = (
        Channel.objects.filter(workspace_id=workspace_id, pk=channel_id).first()
        if isinstance(channel_id, str)
        else None
    )
    if channel is None:
        raise _invalid(
            f"{field} '{channel_id}' is not a channel of this workspace (see GET /v1/channels).",
            [{"field": field, "issue": "no such channel in this workspace"}],
        )
    if channel.platform != "whatsapp":
        raise _invalid(
            f"Templates are WhatsApp only; channel {channel.id} is on {channel.platform}.",
            [{"field": field, "issue": f"must be a whatsapp channel, not {channel.platform}"}],
        )
    return channel


def _name_taken(channel, name, language, livemode) -> ApiError:
    return ApiError(
        "TEMPLATE_NAME_TAKEN",
        f"Channel {channel.id} already has a template named '{name}' in language "
        f"'{language}'; choose another name, or edit the existing one if it is a draft.",
    )


def _checked(*, name, language, components, examples) -> tuple[list, int]:
    normalised, variable_count, details = rules.check_definition(
        name=name, language=language, components=components, examples=examples
    )
    if details:
        raise _invalid(
            f"The template breaks WhatsApp's template rules: {_describe(details)}.", details
        )
    return normalised, variable_count


# -- create / edit --------------------------------------------------------------------
@transaction.atomic
def template_create(*, api_key, data: dict) -> Template:
    channel = _whatsapp_channel(workspace_id=api_key.workspace_id, channel_id=data["channel_id"])
    examples = data.get("examples") or []
    components, variable_count = _checked(
        name=data["name"],
        language=data["language"],
        components=data["components"],
        examples=examples,
    )
    livemode = api_key.livemode
    if Template.objects.filter(
        channel=channel, name=data["name"], language=data["language"], livemode=livemode
    ).exists():
        raise _name_taken(channel, data["name"], data["language"], livemode)
    at = now()
    try:
        with transaction.atomic():
            template = Template.objects.create(
                workspace_id=api_key.workspace_id,
                livemode=livemode,
                channel=channel,
                name=data["name"],
                language=data["language"],
                category=data["category"],
                status="draft",
                components=components,
                examples=examples,
                variable_count=variable_count,
                created_at=at,
                updated_at=at,
            )
    except IntegrityError:
        # A concurrent create with the same name won the unique constraint.
        raise _name_taken(channel, data["name"], data["language"], livemode)
    _history(template, None, "draft", "api", "created")
    return template


@transaction.atomic
def template_update(*, template: Template, changes: dict) -> Template:
    """Edit a draft or rejected template. Validation (422) comes before the state
    check (409), per the contract's precedence."""
    locked = Template.objects.select_for_update().get(pk=template.pk)
    name = changes.get("name", locked.name)
    language = changes.get("language", locked.language)
    raw_components = changes.get("components", locked.components)
    examples = changes.get("examples", locked.examples)
    components, variable_count = _checked(
        name=name, language=language, components=raw_components, examples=examples
    )
    if locked.status not in EDITABLE_STATUSES:
        raise ApiError(
            "TEMPLATE_NOT_EDITABLE",
            f"Template {locked.id} is {locked.status}; only draft or rejected templates can be "
            "edited. Create a new template (another name or language) to change it.",
        )
    if (name, language) != (locked.name, locked.language) and Template.objects.filter(
        channel_id=locked.channel_id, name=name, language=language, livemode=locked.livemode
    ).exclude(pk=locked.pk).exists():
        raise _name_taken(locked.channel, name, language, locked.livemode)
    locked.name = name
    locked.language = language
    locked.category = changes.get("category", locked.category)
    locked.components = components
    locked.examples = examples
    locked.variable_count = variable_count
    locked.updated_at = now()
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise _name_taken(locked.channel, name, language, locked.livemode)
    return locked


# -- validate -------------------------------------------------------------------------
def template_validate(*, template: Template, market: str | None) -> dict:
    """The category report of POST /v1/templates/:id/validate. No side effects."""
    card = pricing.rate_card()
    try:
        country = pricing.resolve_market(
            market=market, phone=template.channel.display_handle, card=card
        )
    except pricing.UnknownMarket as exc:
        raise _invalid(f"{exc}.", [{"field": "market", "issue": str(exc)}])
    report = classifier.classify(
        components=template.components, requested_category=template.category
    )
    predicted = report["predicted_category"]
    return {
        "template_id": template.id,
        "requested_category": template.category,
        "predicted_category": predicted,
        "fits": predicted == template.category,
        "confidence": report["confidence"],
        "flagged_phrases": report["flagged_phrases"],
        "coaching": report["coaching"],
        "cost": pricing.cost_gap(
            requested=template.category, predicted=predicted, country=country, card=card
        ),
    }


# -- submit ---------------------------------------------------------------------------
@transaction.atomic
def template_submit(*, template: Template, simulate: dict | None = None) -> Template:
    """Move a draft/rejected template to ``submitting`` with one conditional UPDATE,
    so of two concurrent submits exactly one wins and only it enqueues the Meta
    call (after commit)."""
    if simulate and template.livemode:
        raise _invalid(
            "simulate is only accepted with ir_test_ keys; live templates are reviewed by Meta.",
            [{"field": "simulate", "issue": "is only accepted with test keys"}],
        )
    at = now()
    # The row lock makes a concurrent submit wait and then see 'submitting'; the
    # status condition on the UPDATE keeps the guarantee where locks are no-ops (SQLite
    # serialises writers instead).
    previous = (
        Template.objects.select_for_update()
        .filter(pk=template.pk)
        .values_list("status", flat=True)
        .first()
    )
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


def _enqueue_submit(template_id: str, review, reason, request_id: str | None) -> None:
    from .tasks import submit_template

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


def components_from_meta(raw) -> tuple[list[dict], list[str]]:
    """Meta's component list (sync) in our shape, and the body's example values."""
    by_type: dict[str, dict] = {}
    examples: list[str] = []
    for component in raw if isinstance(raw, list) else []:
        if not isinstance(component, dict):
            continue
        kind = str(component.get("type") or "").lower()
        if kind not in rules.COMPONENT_TYPES or kind in by_type:
            continue
        out = {"type": kind, "text": None, "format": None, "buttons": []}
        if kind == "header":
            fmt = str(component.get("format") or "TEXT").lower()
            out["format"] = fmt if fmt in rules.HEADER_FORMATS else "text"
            out["text"] = component.get("text")
        elif kind in ("body", "footer"):
            out["text"] = component.get("text")
            if kind == "body":
                body_text = (component.get("example") or {}).get("body_text")
                if isinstance(body_text, list) and body_text and isinstance(body_text[0], list):
                    examples = [str(v) for v in body_text[0]]
        else:
            for button in component.get("buttons") or []:
                btype = str(button.get("type") or "").lower()
                if btype not in rules.BUTTON_TYPES:
                    continue
                out["buttons"].append(
                    {
                        "type": btype,
                        "text": button.get("text"),
                        "url": button.get("url") if btype == "url" else None,
                        "phone_number": button.get("phone_number")
                        if btype == "phone_number"
                        else None,
                    }
                )
        by_type[kind] = out
    return [by_type[k] for k in rules.COMPONENT_TYPES if k in by_type], examples


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
    if category and category.lower() in ("marketing", "utility", "authentication"):
        fields["category"] = category.lower()
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


def explain_rejection(reason: str | None) -> str | None:
    if not reason or str(reason).upper() == "NONE":
        return None
    key = str(reason).upper()
    text = REJECTION_REASONS.get(key)
    return f"{key}: {text}" if text else str(reason)


# -- Meta's decisions ----------------------------------------------------------------
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
        if new_category and new_category.lower() in ("marketing", "utility", "authentication"):
            fields["category"] = new_category.lower()
        detail = f"Meta: {event_key}" + (f" ({reason})" if reason and reason != "NONE" else "")
        _set_status(
            template, status=status, source=source, detail=detail, meta_event=meta_event, **fields
        )
    return templates


# -- sync -----------------------------------------------------------------------------
@transaction.atomic
def _upsert_from_meta(channel: Channel, item: dict) -> str:
    name = item.get("name")
    language = item.get("language")
    if not name or not language:
        return "skipped"
    status = META_STATUS.get(str(item.get("status") or "").upper(), "pending")
    category = str(item.get("category") or "").lower()
    if category not in ("marketing", "utility", "authentication"):
        category = "marketing"
    quality_raw = item.get("quality_score")
    quality_key = (
        quality_raw.get("score") if isinstance(quality_raw, dict) else quality_raw
    ) or "UNKNOWN"
    quality = META_QUALITY.get(str(quality_key).upper(), "unknown")
    if str(item.get("status") or "").upper() == "FLAGGED":
        quality = "low"
    components, examples = components_from_meta(item.get("components"))
    body = next((c.get("text") or "" for c in components if c["type"] == "body"), "")
    variable_count = max([int(m) for m in re.findall(r"\{\{([1-9][0-9]*)\}\}", body)] or [0])
    meta_id = str(item.get("id")) if item.get("id") is not None else None
    rejection = explain_rejection(item.get("rejected_reason")) if status == "rejected" else None
    existing = (
        Template.objects.select_for_update()
        .filter(channel=channel, name=name, language=language, livemode=True)
        .first()
    )
    if existing is None:
        at = now()
        template = Template.objects.create(
            workspace_id=channel.workspace_id,
            livemode=True,
            channel=channel,
            name=name,
            language=language,
            category=category,
            status=status,
            components=components,
            examples=examples,
            variable_count=variable_count,
            meta_template_id=meta_id,
            quality=quality,
            rejection_reason=rejection,
            created_at=at,
            updated_at=at,
        )
        _history(template, None, status, "sync", "imported from Meta")
        return "created"
    before = (existing.status, existing.category, existing.quality, existing.meta_template_id)
    changed_content = existing.components != components or existing.examples != examples
    if changed_content:
        existing.components = components
        existing.examples = examples
        existing.variable_count = variable_count
        existing.updated_at = now()
        existing.save()
    _set_status(
        existing,
        status=status,
        source="sync",
        detail="synchronised from Meta",
        category=category,
        quality=quality,
        meta_template_id=meta_id,
        rejection_reason=rejection,
    )
    after = (existing.status, existing.category, existing.quality, existing.meta_template_id)
    return "updated" if changed_content or before != after else "unchanged"


def template_sync(*, channel: Channel, page_size: int = 100) -> dict:
    """Pull every template of the channel's WABA, following Meta's cursor paging,
    and upsert them as live templates of this channel."""
    from instantreply.meta import client

    if channel.platform != "whatsapp" or not channel.waba_id:
        raise ValueError(f"channel {channel.id} is not a WhatsApp channel with a WABA id")
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    pages = 0
    after = None
    seen_cursors = set()
    while True:
        page = client.list_templates(channel=channel, after=after, limit=page_size)
        pages += 1
        for item in page.get("data") or []:
            if isinstance(item, dict):
                counts[_upsert_from_meta(channel, item)] += 1
        paging = page.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        # Meta signals the last page by leaving out ``next``; a repeated cursor would
        # loop forever, so it also ends the walk.
        if not paging.get("next") or not after or after in seen_cursors:
            break
        seen_cursors.add(after)
    return {"id": channel.id, "waba_id": channel.waba_id, "pages": pages, **counts}


# -- sending --------------------------------------------------------------------------
NOT_APPROVED_HELP = {
    "draft": "it has not been submitted yet: POST /v1/templates/{id}/submit, then wait for "
    "template.status_updated with status approved",
    "submitting": "it is being submitted to Meta; wait for template.status_updated with status "
    "approved",
    "pending": "Meta is still reviewing it (usually minutes, up to 48 hours); wait for "
    "template.status_updated with status approved",
    "rejected": "Meta rejected it ({reason}); edit it with PATCH /v1/templates/{id} and "
    "submit it again",
    "paused": "Meta paused it for low quality (Meta error 132015: 3 hours the first time, 6 "
    "the second); stop the campaign, improve the content and send again once it is approved",
    "disabled": "Meta disabled it (Meta error 132016: paused too often, archived or deleted); "
    "create a new template with different content",
}


def _sendable(
    *, channel, template_id, variables: list, livemode: bool, id_field: str, vars_field: str
) -> Template:
    template = (
        Template.objects.filter(
            pk=template_id, workspace_id=channel.workspace_id, livemode=livemode
        ).first()
        if isinstance(template_id, str)
        else None
    )
    mode = "live" if livemode else "test"
    if template is None:
        raise _invalid(
            f"{id_field} '{template_id}' is not a template of this workspace ({mode} mode).",
            [{"field": id_field, "issue": f"no such template in this workspace ({mode} mode)"}],
        )
    if template.channel_id != channel.id:
        raise _invalid(
            f"Template {template.id} belongs to channel {template.channel_id}, not {channel.id}; "
            "a template can only be sent from its own WhatsApp number.",
            [{"field": id_field, "issue": f"belongs to channel {template.channel_id}"}],
        )
    if len(variables) != template.variable_count:
        raise _invalid(
            f"Template '{template.name}' has {template.variable_count} variable(s) and "
            f"{len(variables)} were sent; send exactly one value per {{{{n}}}}.",
            [
                {
                    "field": vars_field,
                    "issue": f"must hold exactly {template.variable_count} value(s); got "
                    f"{len(variables)}",
                }
            ],
        )
    details = []
    for index, value in enumerate(variables):
        if not isinstance(value, str) or not value.strip():
            details.append(
                {"field": f"{vars_field}[{index}]", "issue": "must be a non-blank string"}
            )
        elif BAD_PARAM_RE.search(value):
            details.append(
                {
                    "field": f"{vars_field}[{index}]",
                    "issue": "may not contain new lines, tabs or more than 4 spaces in a row "
                    "(Meta refuses such parameters)",
                }
            )
    if details:
        raise _invalid(f"Invalid template variables: {_describe(details)}.", details)
    hydrated = rules.PLACEHOLDER_RE.sub(
        lambda m: _value_for(m.group(0), variables), template.body_text
    )
    if len(hydrated) > rules.BODY_MAX:
        raise _invalid(
            f"With these values the body is {len(hydrated)} characters; WhatsApp allows "
            f"{rules.BODY_MAX} (Meta error 132005).",
            [{"field": vars_field, "issue": f"make the body exceed {rules.BODY_MAX} characters"}],
        )
    if template.status != "approved":
        help_text = NOT_APPROVED_HELP.get(template.status, "").format(
            id=template.id, reason=template.rejection_reason or "no reason given"
        )
        raise ApiError(
            "TEMPLATE_NOT_APPROVED",
            f"Template '{template.name}' ({template.id}) is {template.status}, and only approved "
            f"templates can be sent: {help_text}.",
        )
    return template


def _value_for(token: str, variables: list) -> str:
    match = rules.POSITIONAL_RE.match(token)
    index = int(match.group(1)) - 1 if match else -1
    # A template synced from Meta may use named parameters, which v1 does not fill.
    return variables[index] if 0 <= index < len(variables) else token


def template_for_send(*, channel, template_id: str, variables: list, livemode: bool) -> dict:
    """The message's ``template`` JSON ``{id, name, language, variables}``, or the
    contract's 422: unknown template, another channel's template, wrong variable
    count (VALIDATION_ERROR), or not approved (TEMPLATE_NOT_APPROVED). Called by
    conversations' ``_resolve_template`` before anything is queued."""
    template = _sendable(
        channel=channel,
        template_id=template_id,
        variables=variables,
        livemode=livemode,
        id_field="template.id",
        vars_field="template.variables",
    )
    return {
        "id": template.id,
        "name": template.name,
        "language": template.language,
        "variables": list(variables),
    }


@transaction.atomic
def trigger_send(
    *,
    api_key,
    channel_id,
    template_id,
    variables: list,
    phone: str | None = None,
    contact_id: str | None = None,
    metadata: dict | None = None,
    simulate_error_code: str | None = None,
):
    """POST /v1/trigger: an approved template to a phone number or contact, creating
    the contact and conversation when new (test keys create test ones). Every check
    runs before anything is written."""
    from contacts.models import Contact, ContactHandle
    from contacts.services import contact_get_or_create_by_handle
    from conversations import services as conversation_services
    from conversations.services._common import (
        conversation_for_event,
        conversation_get_or_create,
        emit_conversation,
    )

    livemode = api_key.livemode
    channel = _whatsapp_channel(workspace_id=api_key.workspace_id, channel_id=channel_id)
    _sendable(
        channel=channel,
        template_id=template_id,
        variables=variables,
        livemode=livemode,
        id_field="template_id",
        vars_field="variables",
    )
    if phone is not None:
        if not E164_RE.match(phone):
            raise _invalid(
                f"phone '{phone}' is not an E.164 number such as +14155550123.",
                [{"field": "phone", "issue": "must be E.164: '+', country code, number"}],
            )
        wa_id = phone[1:]
        contact, _ = contact_get_or_create_by_handle(
            workspace_id=api_key.workspace_id,
            livemode=livemode,
            platform="whatsapp",
            external_id=wa_id,
            phone=phone,
        )
    else:
        contact = Contact.objects.for_key(api_key).filter(pk=contact_id).first()
        if contact is None:
            raise _invalid(
                f"contact_id '{contact_id}' is not a contact of this workspace "
                f"({'live' if livemode else 'test'} mode).",
                [{"field": "contact_id", "issue": "no such contact in this workspace"}],
            )
        if not ContactHandle.objects.filter(contact=contact, platform="whatsapp").exists():
            raise _invalid(
                f"Contact {contact.id} has no WhatsApp identity to send to; send 'phone' instead.",
                [{"field": "contact_id", "issue": "has no whatsapp handle"}],
            )
    conversation, created = conversation_get_or_create(
        channel=channel, contact=contact, livemode=livemode
    )
    if created:
        emit_conversation(conversation_for_event(conversation.pk), "conversation.created")
    return conversation_services.message_send(
        conversation=conversation,
        api_key=api_key,
        template={"id": template_id, "variables": list(variables)},
        metadata=metadata or {},
        simulate_error_code=simulate_error_code,
    )
