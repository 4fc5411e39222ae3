"""Checks on values any API body may carry, shared by the apps' validation."""

import re

# A phone number as Meta and the API take it: '+', country code, number (E.164).
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}\Z")


def nul_characters(value, field: str) -> list[dict]:
    """Details for every string (or key) holding U+0000, which PostgreSQL cannot store."""
    details = []
    if isinstance(value, str):
        if "\x00" in value:
            details.append({"field": field, "issue": "must not contain NUL (U+0000) characters"})
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                details.append(
                    {"field": field, "issue": "keys must not contain NUL (U+0000) characters"}
                )
            details += nul_characters(item, f"{field}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            details += nul_characters(item, f"{field}[{index}]")
    return details
