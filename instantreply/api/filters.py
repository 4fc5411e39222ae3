"""List filters on django-filter, with the contract's error answers: invalid
values → 422 VALIDATION_ERROR with details (an unsupported platform → 422
INVALID_PLATFORM); enum values matched case-insensitively; id filters must carry
the right prefix (unknown or foreign ids simply match nothing)."""

import django_filters
from django import forms

from instantreply.core.ids import has_prefix
from instantreply.core.timeutil import format_ts, parse_ts

from .errors import ApiError

PLATFORMS = ("whatsapp", "instagram", "messenger")
PAGINATION_PARAMS = frozenset({"limit", "cursor", "order"})


class LowerChoiceField(forms.ChoiceField):
    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().lower() if isinstance(value, str) else value

    def validate(self, value):
        if value in self.empty_values:
            return
        allowed = [str(k) for k, _ in self.choices if k != ""]
        if value not in allowed:
            raise forms.ValidationError(f"must be one of {', '.join(allowed)}; got '{value}'")


class EnumFilter(django_filters.Filter):
    """Exact match on an enum, the value matched case-insensitively (§1)."""

    field_class = LowerChoiceField

    def __init__(self, *args, values=(), **kwargs):
        kwargs["choices"] = [(v, v) for v in values]
        super().__init__(*args, **kwargs)


class PrefixedIdField(forms.CharField):
    def __init__(self, *args, prefix: str, allow_none: bool = False, **kwargs):
        self.prefix = prefix
        self.allow_none = allow_none
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        if self.allow_none and value.lower() == "none":
            return "none"
        # Only the prefix is checked: "chan_" followed by anything is a channel id
        # the workspace does not have, so the list is empty rather than a 422 (§1).
        if not value.startswith(f"{self.prefix}_"):
            hint = " or 'none'" if self.allow_none else ""
            raise forms.ValidationError(
                f"must be an id starting with '{self.prefix}_'{hint}; got '{value}'"
            )
        return value


class PrefixedIdFilter(django_filters.CharFilter):
    field_class = PrefixedIdField

    def __init__(self, *args, prefix: str, allow_none: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["prefix"] = prefix
        self.extra["allow_none"] = allow_none

    def filter(self, qs, value):
        if value == "none":
            return qs.filter(**{f"{self.field_name}__isnull": True})
        if value and not has_prefix(value, self.extra["prefix"]):
            # No stored id has this shape (and PostgreSQL refuses a NUL in a text
            # parameter): nothing can match, so no query is needed.
            return qs.none()
        return super().filter(qs, value)


class TimestampField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_ts(value)
        except ValueError:
            raise forms.ValidationError(
                f"must be an RFC 3339 timestamp such as 2026-11-24T10:15:30.123Z; got '{value}'"
            )


class SinceFilter(django_filters.Filter):
    """Inclusive (≥) time filter (§1)."""

    field_class = TimestampField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    platform_fields: tuple[str, ...] = ("platform",)

    @staticmethod
    def is_unfiltered(params) -> bool:
        """No parameter but pagination's: ``apply`` would return the queryset as
        given and no filters (so a view may use ``paginate_unfiltered``)."""
        return all(name in PAGINATION_PARAMS for name in params)

    def apply(self) -> tuple[object, dict]:
        """Validated queryset and the normalised filter values (for the cursor)."""
        if self.is_unfiltered(self.data):
            # The common unfiltered list skips building and validating a form.
            return self.queryset, {}
        form = self.form
        if not form.is_valid():
            details = [
                {"field": field, "issue": " ".join(str(e) for e in errors)}
                for field, errors in form.errors.items()
            ]
            for field in self.platform_fields:
                if field in form.errors:
                    raise ApiError(
                        "INVALID_PLATFORM",
                        f"Platform '{self.data.get(field)}' is not supported on v1; use "
                        f"{', '.join(PLATFORMS)}.",
                        details=[d for d in details if d["field"] == field],
                    )
            raise ApiError(
                "VALIDATION_ERROR",
                "Invalid filter values: "
                + "; ".join(f"{d['field']} {d['issue'].rstrip('.')}" for d in details)
                + ".",
                details=details,
            )
        normalised = {}
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            normalised[name] = format_ts(value) if hasattr(value, "tzinfo") else value
        return self.filter_queryset(self.queryset), normalised
