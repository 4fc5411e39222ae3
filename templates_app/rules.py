"""Meta's template rules, checked before anything is stored or submitted, so a
template that Meta's review would refuse for its format is refused here with a
field-level explanation instead (template-creation errors 2388040, 2388047,
2388072, 2388073, 2388293, 2388299 of META.md §3).

Pure functions: ``check_definition`` returns the normalised components, the
variable count and a list of ``{"field", "issue"}`` details (empty when valid).
"""

import re

from instantreply.api.values import E164_RE, nul_characters

NAME_RE = re.compile(r"^[a-z0-9_]+\Z")  # \Z: "$" would let a trailing newline through
NAME_MAX = 512
HEADER_MAX = 60
BODY_MAX = 1024
FOOTER_MAX = 60
BUTTON_TEXT_MAX = 25
BUTTON_URL_MAX = 2000
MAX_BUTTONS = 10
MAX_URL_BUTTONS = 2
MAX_PHONE_BUTTONS = 1
EXAMPLE_MAX = 1024

COMPONENT_TYPES = ("header", "body", "footer", "buttons")
HEADER_FORMATS = ("text", "image", "video", "document")
BUTTON_TYPES = ("quick_reply", "url", "phone_number")
COMPONENT_KEYS = {"type", "text", "format", "buttons"}
BUTTON_KEYS = {"type", "text", "url", "phone_number"}

# The languages WhatsApp accepts for templates (Meta's "Supported languages").
LANGUAGES = frozenset(
    [
        "af",
        "sq",
        "ar",
        "ar_EG",
        "ar_AE",
        "ar_LB",
        "ar_MA",
        "ar_QA",
        "az",
        "be_BY",
        "bn",
        "bn_IN",
        "bg",
        "ca",
        "zh_CN",
        "zh_HK",
        "zh_TW",
        "hr",
        "cs",
        "da",
        "prs_AF",
        "nl",
        "nl_BE",
        "en",
        "en_GB",
        "en_US",
        "en_AE",
        "en_AU",
        "en_CA",
        "en_GH",
        "en_IE",
        "en_IN",
        "en_JM",
        "en_MY",
        "en_NZ",
        "en_QA",
        "en_SG",
        "en_UG",
        "en_ZA",
        "et",
        "fil",
        "fi",
        "fr",
        "fr_BE",
        "fr_CA",
        "fr_CH",
        "fr_CI",
        "fr_MA",
        "ka",
        "de",
        "de_AT",
        "de_CH",
        "el",
        "gu",
        "ha",
        "he",
        "hi",
        "hu",
        "is",
        "id",
        "ga",
        "it",
        "ja",
        "kn",
        "kk",
        "rw_RW",
        "ko",
        "ky_KG",
        "lo",
        "lv",
        "lt",
        "mk",
        "ms",
        "ml",
        "mr",
        "nb",
        "ne",
        "fa",
        "pl",
        "pt_BR",
        "pt_PT",
        "pa",
        "ro",
        "ru",
        "sr",
        "si_LK",
        "sk",
        "sl",
        "es",
        "es_AR",
        "es_CL",
        "es_CO",
        "es_CR",
        "es_DO",
        "es_EC",
        "es_HN",
        "es_MX",
        "es_PA",
        "es_PE",
        "es_ES",
        "es_UY",
        "sw",
        "sv",
        "ta",
        "te",
        "th",
        "tr",
        "uk",
        "ur",
        "uz",
        "vi",
        "zu",
    ]
)

# Anything that looks like a placeholder, well-formed or not.
PLACEHOLDER_RE = re.compile(r"\{\{[^{}]*\}\}")
POSITIONAL_RE = re.compile(r"^\{\{([1-9][0-9]*)\}\}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def variables_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every ``{{…}}`` in the text, in order."""
    return [(m.start(), m.end(), m.group(0)) for m in PLACEHOLDER_RE.finditer(text or "")]


def check_name(name) -> list[str]:
    issues = []
    if not isinstance(name, str) or not name:
        return ["is required"]
    if len(name) > NAME_MAX:
        issues.append(f"must be at most {NAME_MAX} characters (got {len(name)})")
    if not NAME_RE.match(name):
        issues.append(
            "may contain only lower-case letters, digits and underscores "
            f"(e.g. order_shipped_v2); got '{name[:80]}'"
        )
    return issues


def check_language(language) -> list[str]:
    if not isinstance(language, str) or not language:
        return ["is required"]
    if language not in LANGUAGES:
        close = [code for code in LANGUAGES if code.lower() == language.lower().replace("-", "_")]
        hint = f" (did you mean '{close[0]}'?)" if close else " (e.g. en, en_US, pt_BR, es_MX)"
        return [f"'{language[:32]}' is not a WhatsApp template language code{hint}"]
    return []


def _body_variable_issues(text: str, field: str) -> tuple[int, list[dict]]:
    details = []
    tokens = variables_in(text)
    numbers = []
    for start, _end, token in tokens:
        match = POSITIONAL_RE.match(token)
        if not match:
            details.append(
                {
                    "field": field,
                    "issue": f"variable '{token}' at character {start} is not positional; "
                    "v1 supports {{1}}..{{n}} only",
                }
            )
        else:
            numbers.append(int(match.group(1)))
    stray = PLACEHOLDER_RE.sub("", text)
    if "{{" in stray or "}}" in stray:
        details.append(
            {"field": field, "issue": "has an unbalanced '{{' or '}}'; write variables as {{1}}"}
        )
    if details:
        return 0, details
    if not numbers:
        return 0, []
    # Numbered from 1 without gaps, first used in order ({{1}} before {{2}}).
    first_seen = list(dict.fromkeys(numbers))
    expected = list(range(1, len(first_seen) + 1))
    if sorted(first_seen) != expected:
        missing = sorted(set(range(1, max(first_seen) + 1)) - set(first_seen))
        details.append(
            {
                "field": field,
                "issue": "variables must be numbered from {{1}} without gaps; missing "
                + ", ".join(f"{{{{{n}}}}}" for n in missing),
            }
        )
    elif first_seen != expected:
        details.append(
            {
                "field": field,
                "issue": "variables must first appear in order ({{1}} before {{2}} …); got "
                + ", ".join(f"{{{{{n}}}}}" for n in first_seen),
            }
        )
    stripped_start = len(text) - len(text.lstrip())
    stripped_end = len(text.rstrip())
    if tokens[0][0] == stripped_start:
        details.append(
            {
                "field": field,
                "issue": f"must not start with a variable ('{tokens[0][2]}'); put words before it",
            }
        )
    if tokens[-1][1] == stripped_end:
        details.append(
            {
                "field": field,
                "issue": f"must not end with a variable ('{tokens[-1][2]}'); put words or "
                "punctuation after it",
            }
        )
    for (_s1, e1, t1), (s2, _e2, t2) in zip(tokens, tokens[1:], strict=False):
        if text[e1:s2].strip() == "":
            details.append(
                {
                    "field": field,
                    "issue": f"variables '{t1}' and '{t2}' are adjacent; separate them with words",
                }
            )
    return max(numbers), details


def _no_variables(text: str | None, field: str) -> list[dict]:
    if text and ("{{" in text or "}}" in text):
        return [
            {
                "field": field,
                "issue": "may not contain variables; v1 supports variables in the body only",
            }
        ]
    return []


def _text(component: dict, field: str, limit: int, required: bool) -> tuple[str | None, list]:
    value = component.get("text")
    if value is None:
        return None, ([{"field": f"{field}.text", "issue": "is required"}] if required else [])
    if not isinstance(value, str):
        return None, [{"field": f"{field}.text", "issue": "must be a string"}]
    if required and not value.strip():
        return None, [{"field": f"{field}.text", "issue": "must not be blank"}]
    if len(value) > limit:
        return value, [
            {
                "field": f"{field}.text",
                "issue": f"must be at most {limit} characters (got {len(value)})",
            }
        ]
    return value, []


def _check_buttons(raw, field: str) -> tuple[list[dict], list[dict]]:
    details: list[dict] = []
    if not isinstance(raw, list) or not raw:
        return [], [{"field": field, "issue": "must be a non-empty list of buttons"}]
    if len(raw) > MAX_BUTTONS:
        details.append({"field": field, "issue": f"at most {MAX_BUTTONS} buttons (got {len(raw)})"})
    buttons = []
    kinds = []
    for index, button in enumerate(raw):
        where = f"{field}[{index}]"
        if not isinstance(button, dict):
            details.append({"field": where, "issue": "must be an object"})
            continue
        for key in sorted(set(button) - BUTTON_KEYS):
            details.append({"field": f"{where}.{key}", "issue": "is not a button field"})
        kind = button.get("type")
        if kind not in BUTTON_TYPES:
            details.append(
                {
                    "field": f"{where}.type",
                    "issue": f"must be one of {', '.join(BUTTON_TYPES)}; got '{kind}'",
                }
            )
            continue
        kinds.append(kind)
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            details.append({"field": f"{where}.text", "issue": "is required"})
        elif len(text) > BUTTON_TEXT_MAX:
            details.append(
                {
                    "field": f"{where}.text",
                    "issue": f"must be at most {BUTTON_TEXT_MAX} characters (got {len(text)})",
                }
            )
        else:
            details.extend(_no_variables(text, f"{where}.text"))
        url = button.get("url")
        phone = button.get("phone_number")
        if kind == "url":
            if not isinstance(url, str) or not URL_RE.match(url):
                details.append(
                    {"field": f"{where}.url", "issue": "must be an http(s) URL such as https://…"}
                )
            elif len(url) > BUTTON_URL_MAX:
                details.append(
                    {"field": f"{where}.url", "issue": f"must be at most {BUTTON_URL_MAX} chars"}
                )
            else:
                details.extend(_no_variables(url, f"{where}.url"))
        elif url is not None:
            details.append({"field": f"{where}.url", "issue": "only url buttons have a url"})
        if kind == "phone_number":
            if not isinstance(phone, str) or not E164_RE.match(phone):
                details.append(
                    {
                        "field": f"{where}.phone_number",
                        "issue": "must be an E.164 number such as +14155550123",
                    }
                )
        elif phone is not None:
            details.append(
                {
                    "field": f"{where}.phone_number",
                    "issue": "only phone_number buttons have a phone_number",
                }
            )
        buttons.append(
            {
                "type": kind,
                "text": text,
                "url": url if kind == "url" else None,
                "phone_number": phone if kind == "phone_number" else None,
            }
        )
    if kinds.count("url") > MAX_URL_BUTTONS:
        details.append({"field": field, "issue": f"at most {MAX_URL_BUTTONS} url buttons"})
    if kinds.count("phone_number") > MAX_PHONE_BUTTONS:
        details.append(
            {"field": field, "issue": f"at most {MAX_PHONE_BUTTONS} phone_number button"}
        )
    # Meta groups quick replies apart from call-to-action buttons.
    groups = [k == "quick_reply" for k in kinds]
    if sum(1 for a, b in zip(groups, groups[1:], strict=False) if a != b) > 1:
        details.append(
            {
                "field": field,
                "issue": "quick_reply buttons must be grouped together, before or after the "
                "url/phone_number buttons",
            }
        )
    return buttons, details


def check_components(components) -> tuple[list[dict], int, list[dict]]:
    """Normalised components (order header, body, footer, buttons; every key
    present), the body variable count, and the problems found."""
    if not isinstance(components, list) or not components:
        return [], 0, [{"field": "components", "issue": "must be a non-empty list"}]
    details: list[dict] = []
    seen: dict[str, dict] = {}
    variable_count = 0
    for index, component in enumerate(components):
        field = f"components[{index}]"
        if not isinstance(component, dict):
            details.append({"field": field, "issue": "must be an object"})
            continue
        for key in sorted(set(component) - COMPONENT_KEYS):
            details.append({"field": f"{field}.{key}", "issue": "is not a component field"})
        kind = component.get("type")
        if kind not in COMPONENT_TYPES:
            details.append(
                {
                    "field": f"{field}.type",
                    "issue": f"must be one of {', '.join(COMPONENT_TYPES)}; got '{kind}'",
                }
            )
            continue
        if kind in seen:
            details.append({"field": f"{field}.type", "issue": f"only one {kind} component"})
            continue
        out = {"type": kind, "text": None, "format": None, "buttons": []}
        fmt = component.get("format")
        if kind == "header":
            fmt = "text" if fmt is None else fmt
            if fmt not in HEADER_FORMATS:
                details.append(
                    {
                        "field": f"{field}.format",
                        "issue": f"must be one of {', '.join(HEADER_FORMATS)}; got '{fmt}'",
                    }
                )
            elif fmt == "text":
                text, problems = _text(component, field, HEADER_MAX, required=True)
                details.extend(problems or _no_variables(text, f"{field}.text"))
                out["text"] = text
            elif component.get("text") is not None:
                details.append(
                    {"field": f"{field}.text", "issue": f"must be null for a {fmt} header"}
                )
            out["format"] = fmt
        else:
            if fmt is not None:
                details.append({"field": f"{field}.format", "issue": "only a header has a format"})
        if kind == "body":
            text, problems = _text(component, field, BODY_MAX, required=True)
            details.extend(problems)
            if text and not problems:
                variable_count, var_problems = _body_variable_issues(text, f"{field}.text")
                details.extend(var_problems)
            out["text"] = text
        elif kind == "footer":
            text, problems = _text(component, field, FOOTER_MAX, required=True)
            details.extend(problems or _no_variables(text, f"{field}.text"))
            out["text"] = text
        elif kind == "buttons":
            if component.get("text") is not None:
                details.append(
                    {"field": f"{field}.text", "issue": "a buttons component has no text"}
                )
            out["buttons"], problems = _check_buttons(component.get("buttons"), f"{field}.buttons")
            details.extend(problems)
        if kind != "buttons" and component.get("buttons") not in (None, []):
            details.append(
                {"field": f"{field}.buttons", "issue": "only a buttons component has buttons"}
            )
        seen[kind] = out
    if "body" not in seen and not any(
        d["field"].endswith(".type") for d in details if d.get("field")
    ):
        details.append({"field": "components", "issue": "must include exactly one body component"})
    normalised = [seen[kind] for kind in COMPONENT_TYPES if kind in seen]
    return normalised, variable_count, details


def check_examples(examples, variable_count: int) -> list[dict]:
    if examples is None:
        examples = []
    if not isinstance(examples, list):
        return [{"field": "examples", "issue": "must be a list of strings"}]
    details = []
    if len(examples) != variable_count:
        if variable_count and not examples:
            issue = (
                f"is required: Meta's review needs an example value for each of the body's "
                f'{variable_count} variable(s), e.g. ["Ana", "#1234"]'
            )
        else:
            issue = f"must hold exactly {variable_count} value(s), one per body variable (got {len(examples)})"
        details.append({"field": "examples", "issue": issue})
    for index, value in enumerate(examples):
        if not isinstance(value, str) or not value.strip():
            details.append({"field": f"examples[{index}]", "issue": "must be a non-blank string"})
        elif len(value) > EXAMPLE_MAX:
            details.append(
                {
                    "field": f"examples[{index}]",
                    "issue": f"must be at most {EXAMPLE_MAX} characters",
                }
            )
        elif "{{" in value:
            details.append(
                {"field": f"examples[{index}]", "issue": "must be a sample value, not a variable"}
            )
    return details


def check_definition(*, name, language, components, examples) -> tuple[list[dict], int, list[dict]]:
    unstorable = nul_characters(components, "components") + nul_characters(examples, "examples")
    if unstorable:
        return [], 0, unstorable
    details = [{"field": "name", "issue": issue} for issue in check_name(name)]
    details += [{"field": "language", "issue": issue} for issue in check_language(language)]
    normalised, variable_count, problems = check_components(components)
    details += problems
    if not problems:
        details += check_examples(examples, variable_count)
    return normalised, variable_count, details
