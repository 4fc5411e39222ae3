"""Tag rules shared by contacts and conversations (§8): at most 20 tags, each 1–64
characters of a-z 0-9 : _ - . after lower-casing, duplicates removed. The API's
input field for them is instantreply.api.tags.TagListField."""

import re

MAX_TAGS = 20
TAG_RE = re.compile(r"^[a-z0-9:_\-.]{1,64}$")


def apply_tag_ops(current: list[str], *, tags=None, add=None, remove=None) -> list[str]:
    if tags is not None:
        return list(tags)
    result = [t for t in current if t not in set(remove or [])]
    for tag in add or []:
        if tag not in result:
            result.append(tag)
    return result
