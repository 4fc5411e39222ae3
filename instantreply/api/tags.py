"""Tag input (§8) for contacts and conversations: the field that parses a tag list,
the check that ``tags`` is not combined with ``add_tags``/``remove_tags``, and the
tags a PATCH leaves. The rules themselves live in instantreply.core.tags."""

from rest_framework import serializers

from instantreply.core.tags import MAX_TAGS, TAG_RE, apply_tag_ops

from .errors import ApiError, validation_error
from .serializers import StrictCharField


class TagListField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", StrictCharField(allow_blank=True, trim_whitespace=False))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        errors = {}
        out: list[str] = []
        for index, raw in enumerate(values):
            tag = raw.strip().lower()
            if not 1 <= len(tag) <= 64:
                errors[index] = ["must be 1 to 64 characters"]
            elif not TAG_RE.match(tag):
                errors[index] = ["may contain only a-z, 0-9, ':', '_', '-' and '.'"]
            elif tag not in out:
                out.append(tag)
        if errors:
            raise serializers.ValidationError(errors)
        return out


def validate_tag_ops(attrs: dict) -> None:
    """``tags`` replaces; ``add_tags``/``remove_tags`` change; never both kinds."""
    if "tags" in attrs and ("add_tags" in attrs or "remove_tags" in attrs):
        raise serializers.ValidationError(
            {"tags": ["cannot be combined with add_tags or remove_tags"]}
        )
    if "tags" in attrs and len(attrs["tags"]) > MAX_TAGS:
        raise serializers.ValidationError({"tags": [f"must hold at most {MAX_TAGS} tags"]})


def tags_after_changes(current: list[str], changes: dict, *, noun: str) -> list[str]:
    """The tags a validated PATCH (``tags``, ``add_tags``, ``remove_tags``) leaves on
    a ``noun`` holding ``current``; 422 when more than MAX_TAGS would remain."""
    if not {"tags", "add_tags", "remove_tags"} & set(changes):
        return current
    new_tags = apply_tag_ops(
        current,
        tags=changes.get("tags"),
        add=changes.get("add_tags"),
        remove=changes.get("remove_tags"),
    )
    if len(new_tags) > MAX_TAGS:
        raise _too_many(noun, len(new_tags))
    return new_tags


def _too_many(noun: str, count: int) -> ApiError:
    return validation_error(
        f"A {noun} may have at most {MAX_TAGS} tags; this change would leave {count}.",
        [{"field": "add_tags", "issue": f"would exceed {MAX_TAGS} tags"}],
    )
