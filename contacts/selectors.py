import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from instantreply.api.filters import PLATFORMS, ApiFilterSet, EnumFilter, SinceFilter
from instantreply.core.rawsql import native_cursor, text_array

from .models import LEAD_STAGES, Contact, ContactHandle


class ContactFilter(ApiFilterSet):
    lead_stage = EnumFilter(values=LEAD_STAGES)
    platform = EnumFilter(values=PLATFORMS, method="filter_platform")
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    q = django_filters.CharFilter(method="filter_q")
    updated_since = SinceFilter(field_name="updated_at")

    class Meta:
        model = Contact
        fields = []

    def filter_platform(self, queryset, name, value):
        handles = ContactHandle.objects.filter(contact=OuterRef("pk"), platform=value)
        return queryset.filter(Exists(handles))

    def filter_q(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        usernames = ContactHandle.objects.filter(contact=OuterRef("pk"), username__icontains=term)
        return queryset.filter(
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Exists(usernames)
        )


def contact_list(*, base_queryset, params):
    """Filtered contacts (unordered; the paginator orders) and the normalised filters.
    Handles are fetched for the page only, with ``handles_by_contact``."""
    filterset = ContactFilter(params, queryset=base_queryset)
    return filterset.apply()


def handles_by_contact(contact_ids: list[str]) -> dict[str, list[dict]]:
    """The handles of a page of contacts in one query, as output dicts.

    Plain SQL on purpose: this runs on every list page, and building the same
    query through the ORM cost five times the query itself (and prefetch_related,
    with a related manager per contact, far more) — bench/platform_throughput.py."""
    if not contact_ids:
        return {}
    if connection.vendor == "postgresql":
        # One array parameter, not one placeholder per id.
        where, params = "contact_id = ANY(%s::text[])", [text_array(contact_ids)]
    else:
        where, params = f"contact_id IN ({', '.join(['%s'] * len(contact_ids))})", contact_ids
    sql = (
        "SELECT contact_id, platform, external_id, username "
        f"FROM {ContactHandle._meta.db_table} WHERE {where} ORDER BY created_at, id"
    )
    out: dict[str, list[dict]] = {}
    with native_cursor() as cursor:
        cursor.execute(sql, list(params))
        for contact_id, platform, external_id, username in cursor.fetchall():
            out.setdefault(contact_id, []).append(
                {"platform": platform, "external_id": external_id, "username": username}
            )
    return out
