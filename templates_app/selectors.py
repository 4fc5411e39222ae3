"""Reads on templates, including the two checks other apps make before a template
send: ``template_channel`` (the WhatsApp number a template lives on) and
``template_for_send`` (an approved template with valid variable values)."""

import re

import django_filters

from conversations.models import Channel
from instantreply.api.errors import ApiError, describe_details, field_error, validation_error
from instantreply.api.filters import ApiFilterSet, EnumFilter, PrefixedIdFilter
from instantreply.core.timeutil import format_ts

from . import rules
from .models import CATEGORIES, CATEGORY_CHANGED, STATUSES, Template

# Meta refuses body parameters with new lines, tabs or more than 4 spaces in a row.
BAD_PARAM_RE = re.compile(r"[\n\t]| {5,}")
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


class TemplateFilter(ApiFilterSet):
    status = EnumFilter(values=STATUSES)
    category = EnumFilter(values=CATEGORIES)
    channel_id = PrefixedIdFilter(prefix="chan", field_name="channel_id")
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")

    class Meta:
        model = Template
        fields = []


def template_list(*, base_queryset, params):
    return TemplateFilter(params, queryset=base_queryset).apply()


def template_channel(*, workspace_id: str, channel_id) -> Channel:
    """The workspace's WhatsApp channel named by the request's ``channel_id``, or the
    contract's 422: templates are made on, and sent from, one WhatsApp number."""
    channel = (
        Channel.objects.filter(workspace_id=workspace_id, pk=channel_id).first()
        if isinstance(channel_id, str)
        else None
    )
    if channel is None:
        raise field_error(
            "channel_id",
            "no such channel in this workspace",
            f"channel_id '{channel_id}' is not a channel of this workspace (see GET /v1/channels).",
        )
    if channel.platform != "whatsapp":
        raise field_error(
            "channel_id",
            f"must be a whatsapp channel, not {channel.platform}",
            f"Templates are WhatsApp only; channel {channel.id} is on {channel.platform}.",
        )
    return channel


def template_for_send(
    *,
    channel: Channel,
    template_id,
    variables: list,
    livemode: bool,
    id_field: str = "template.id",
    vars_field: str = "template.variables",
) -> dict:
    """The message's ``template`` JSON ``{id, name, language, variables}``, or the
    contract's 422: unknown template, another channel's template, wrong variable
    count or values (VALIDATION_ERROR on ``id_field`` / ``vars_field``, the request's
    own field names), or not approved (TEMPLATE_NOT_APPROVED). Nothing is written."""
    template = (
        Template.objects.filter(
            pk=template_id, workspace_id=channel.workspace_id, livemode=livemode
        ).first()
        if isinstance(template_id, str)
        else None
    )
    mode = "live" if livemode else "test"
    if template is None:
        raise field_error(
            id_field,
            f"no such template in this workspace ({mode} mode)",
            f"{id_field} '{template_id}' is not a template of this workspace ({mode} mode).",
        )
    if template.channel_id != channel.id:
        raise field_error(
            id_field,
            f"belongs to channel {template.channel_id}",
            f"Template {template.id} belongs to channel {template.channel_id}, not {channel.id}; "
            "a template can only be sent from its own WhatsApp number.",
        )
    if len(variables) != template.variable_count:
        raise field_error(
            vars_field,
            f"must hold exactly {template.variable_count} value(s); got {len(variables)}",
            f"Template '{template.name}' has {template.variable_count} variable(s) and "
            f"{len(variables)} were sent; send exactly one value per {{{{n}}}}.",
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
        raise validation_error(f"Invalid template variables: {describe_details(details)}.", details)
    hydrated = rules.PLACEHOLDER_RE.sub(
        lambda m: _value_for(m.group(0), variables), template.body_text
    )
    if len(hydrated) > rules.BODY_MAX:
        raise field_error(
            vars_field,
            f"make the body exceed {rules.BODY_MAX} characters",
            f"With these values the body is {len(hydrated)} characters; WhatsApp allows "
            f"{rules.BODY_MAX} (Meta error 132005).",
        )
    if template.status == "paused" and template.paused_reason == CATEGORY_CHANGED:
        raise ApiError(
            "TEMPLATE_NOT_APPROVED",
            f"Template '{template.name}' ({template.id}) is paused: Meta moved it from "
            f"{template.previous_category} to {template.category} on "
            f"{format_ts(template.category_changed_at)}, so every send would be charged at the "
            f"{template.category} rate, and pause_on_category_change holds it until you accept "
            f"that: POST /v1/templates/{template.id}/resume, then send again (or create a "
            f"{template.previous_category} template without the content Meta objected to).",
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
    return {
        "id": template.id,
        "name": template.name,
        "language": template.language,
        "variables": list(variables),
    }


def _value_for(token: str, variables: list) -> str:
    match = rules.POSITIONAL_RE.match(token)
    index = int(match.group(1)) - 1 if match else -1
    # A template synced from Meta may use named parameters, which v1 does not fill.
    return variables[index] if 0 <= index < len(variables) else token
