"""Create and edit: a template's definition is checked against WhatsApp's template
rules (``templates_app.rules``) before anything is stored."""

from django.db import IntegrityError, transaction

from instantreply.api.errors import ApiError, describe_details, validation_error
from instantreply.core.timeutil import now

from .. import rules
from ..models import EDITABLE_STATUSES, Template
from ..selectors import template_channel
from ._common import _history


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
    # A draft may be saved half-done (§8): examples that do not match the body's
    # variables yet are reported by validate and refused by submit, not here. Each
    # value is still checked (``examples[i]``); the serializer guarantees a list, so
    # the one detail on ``examples`` itself is the count.
    details = [d for d in details if d["field"] != "examples"]
    if details:
        raise validation_error(
            f"The template breaks WhatsApp's template rules: {describe_details(details)}.",
            details,
        )
    return normalised, variable_count


@transaction.atomic
def template_create(*, api_key, data: dict) -> Template:
    channel = template_channel(workspace_id=api_key.workspace_id, channel_id=data["channel_id"])
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
                pause_on_category_change=data.get("pause_on_category_change", False),
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
    check (409), per the contract's precedence. ``pause_on_category_change`` is a
    setting of the cost guard, not of the definition: writable in any status (§8)."""
    locked = Template.objects.select_for_update().get(pk=template.pk)
    if "pause_on_category_change" in changes:
        locked.pause_on_category_change = changes["pause_on_category_change"]
    if set(changes) - {"pause_on_category_change"}:
        _edit_definition(locked, changes)
    locked.updated_at = now()
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise _name_taken(locked.channel, locked.name, locked.language, locked.livemode)
    return locked


def _edit_definition(locked: Template, changes: dict) -> None:
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
            "edited (pause_on_category_change excepted). Create a new template (another name "
            "or language) to change it.",
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
