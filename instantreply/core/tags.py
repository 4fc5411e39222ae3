"""Tag rules shared by contacts and conversations (§8): at most 20 tags, each 1–64
characters of a-z 0-9 : _ - . after lower-casing, duplicates removed."""

import re

from rest_framework import serializers

from instantreply.api.serializers import StrictCharField

MAX_TAGS = 20
TAG_RE = re.compile(r"^[a-z0-9:_\-.]{1,64}$")


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


def apply_tag_ops(current: list[str], *, tags=None, add=None, remove=None) -> list[str]:
    if tags is not None:
        return list(tags)
    result = [t for t in current if t not in set(remove or [])]
    for tag in add or []:
        if tag not in result:
            result.append(tag)
    return result
