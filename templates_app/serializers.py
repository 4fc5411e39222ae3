from rest_framework import serializers

from instantreply.api.serializers import (
    LowerEnumField,
    StrictBooleanField,
    StrictCharField,
    StrictSerializer,
    TimestampField,
)
from instantreply.core.timeutil import format_ts

from .models import CATEGORIES, QUALITIES, STATUSES
from .rules import BUTTON_TYPES, COMPONENT_TYPES, HEADER_FORMATS


class ButtonSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=BUTTON_TYPES)
    text = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    phone_number = serializers.CharField(allow_null=True)


class ComponentSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=COMPONENT_TYPES)
    text = serializers.CharField(allow_null=True)
    format = serializers.ChoiceField(choices=HEADER_FORMATS, allow_null=True)
    buttons = ButtonSerializer(many=True)


class TemplateSerializer(serializers.Serializer):
    """Output shape (documentation); ``template_data`` builds it fast."""

    id = serializers.CharField()
    channel_id = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    category = serializers.ChoiceField(choices=CATEGORIES)
    status = serializers.ChoiceField(choices=STATUSES)
    components = ComponentSerializer(many=True)
    examples = serializers.ListField(
        child=serializers.CharField(), help_text="Example values of the body variables."
    )
    variable_count = serializers.IntegerField()
    rejection_reason = serializers.CharField(allow_null=True)
    meta_template_id = serializers.CharField(allow_null=True)
    quality = serializers.ChoiceField(choices=QUALITIES)
    submitted_at = TimestampField(allow_null=True)
    pause_on_category_change = serializers.BooleanField(
        help_text="Cost guard: when Meta moves the approved template to a costlier category "
        "(utility or authentication to marketing), pause it until POST "
        "/v1/templates/{id}/resume accepts the new category."
    )
    previous_category = serializers.ChoiceField(
        choices=CATEGORIES,
        allow_null=True,
        help_text="The category before Meta's last change of it (at review or later).",
    )
    category_changed_at = TimestampField(
        allow_null=True, help_text="When Meta last changed the category."
    )
    paused_reason = serializers.CharField(
        allow_null=True,
        help_text="Why the template is paused: category_changed (the cost guard), or Meta's "
        "own reason (e.g. low_quality); null unless paused.",
    )
    livemode = serializers.BooleanField()
    created_at = TimestampField()
    updated_at = TimestampField()


def template_data(template) -> dict:
    return {
        "id": template.id,
        "channel_id": template.channel_id,
        "name": template.name,
        "language": template.language,
        "category": template.category,
        "status": template.status,
        "components": [
            {
                "type": c["type"],
                "text": c.get("text"),
                "format": c.get("format"),
                "buttons": [dict(b) for b in c.get("buttons") or []],
            }
            for c in template.components
        ],
        "examples": list(template.examples or []),
        "variable_count": template.variable_count,
        "rejection_reason": template.rejection_reason,
        "meta_template_id": template.meta_template_id,
        "quality": template.quality,
        "submitted_at": format_ts(template.submitted_at),
        "pause_on_category_change": template.pause_on_category_change,
        "previous_category": template.previous_category,
        "category_changed_at": format_ts(template.category_changed_at),
        "paused_reason": template.paused_reason,
        "livemode": template.livemode,
        "created_at": format_ts(template.created_at),
        "updated_at": format_ts(template.updated_at),
    }


class _ComponentsField(serializers.ListField):
    """Shape only (a list of objects); Meta's rules are checked by rules.py so every
    problem is reported with its exact field path."""

    child = serializers.DictField()


class TemplateCreateSerializer(StrictSerializer):
    channel_id = StrictCharField()
    name = StrictCharField(trim_whitespace=False)
    language = StrictCharField(trim_whitespace=False)
    category = LowerEnumField(CATEGORIES)
    components = _ComponentsField()
    examples = serializers.ListField(child=serializers.JSONField(), required=False)
    pause_on_category_change = StrictBooleanField(required=False)


class TemplateUpdateSerializer(StrictSerializer):
    name = StrictCharField(trim_whitespace=False)
    language = StrictCharField(trim_whitespace=False)
    category = LowerEnumField(CATEGORIES)
    components = _ComponentsField()
    examples = serializers.ListField(child=serializers.JSONField())
    pause_on_category_change = StrictBooleanField()


class FlaggedPhraseSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    start = serializers.IntegerField(
        help_text="Offset of the first character in the component's text."
    )
    end = serializers.IntegerField(help_text="Offset just past the last character.")
    component = serializers.CharField(help_text="header, body, footer or buttons[i]")
    signal = serializers.CharField()
    reason = serializers.CharField()
    suggestion = serializers.CharField()


class CostSerializer(serializers.Serializer):
    market = serializers.CharField()
    currency = serializers.CharField()
    requested_rate = serializers.FloatField()
    predicted_rate = serializers.FloatField()
    gap_per_message = serializers.FloatField()
    gap_per_1000 = serializers.FloatField()
    rates_as_of = serializers.DateField()


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    issue = serializers.CharField()


class ValidationReportSerializer(serializers.Serializer):
    template_id = serializers.CharField()
    requested_category = serializers.ChoiceField(choices=CATEGORIES)
    predicted_category = serializers.ChoiceField(choices=CATEGORIES)
    fits = serializers.BooleanField()
    confidence = serializers.FloatField()
    flagged_phrases = FlaggedPhraseSerializer(many=True)
    coaching = serializers.ListField(child=serializers.CharField())
    problems = ProblemSerializer(
        many=True,
        help_text="What submit would refuse, as the details of its 422 VALIDATION_ERROR "
        "(e.g. examples that do not match the body's variables yet); empty when ready.",
    )
    cost = CostSerializer()


class CategoryCheckSerializer(serializers.Serializer):
    fits = serializers.BooleanField(help_text="The content reads as the requested category.")
    predicted_category = serializers.ChoiceField(choices=CATEGORIES)
    confidence = serializers.FloatField()


class TemplateSubmittedSerializer(TemplateSerializer):
    category_check = CategoryCheckSerializer(
        help_text="The classifier's verdict on the submitted content, as validate gives it: "
        "a utility template that reads as marketing is likely to be approved as marketing "
        "(Meta re-categorises it), and charged at the marketing rate."
    )


class SimulateTemplateSerializer(StrictSerializer):
    review = LowerEnumField(("approved", "rejected"))
    reason = StrictCharField(max_length=64, required=False)


class TemplateSubmitSerializer(StrictSerializer):
    simulate = SimulateTemplateSerializer(required=False)
