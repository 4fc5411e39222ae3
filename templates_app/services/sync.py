"""Sync: pull every template of a channel's WABA from Meta (``manage.py
sync_templates``) and upsert them as live templates, in our shape."""

import re

from django.db import transaction

from conversations.models import Channel
from instantreply.core.timeutil import now
from instantreply.meta import client

from .. import rules
from ..models import META_PAUSE_REASON, Template
from ._common import _history, _set_status
from .meta_status import META_STATUS, explain_rejection

META_QUALITY = {"GREEN": "high", "YELLOW": "medium", "RED": "low", "UNKNOWN": "unknown"}


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
    # A pause first seen in Meta's list reads as Meta's own (the list gives no reason);
    # a reason already known (a webhook's, the cost guard's) is kept.
    pause = {"paused_reason": META_PAUSE_REASON} if status == "paused" else {}
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
            **pause,
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
        **({} if existing.paused_reason else pause),
    )
    after = (existing.status, existing.category, existing.quality, existing.meta_template_id)
    return "updated" if changed_content or before != after else "unchanged"


def template_sync(*, channel: Channel, page_size: int = 100) -> dict:
    """Pull every template of the channel's WABA, following Meta's cursor paging,
    and upsert them as live templates of this channel."""
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
