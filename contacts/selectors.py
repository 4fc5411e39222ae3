import django_filters
from django.db.models import Exists, OuterRef, Q

from instantreply.api.filters import PLATFORMS, ApiFilterSet, EnumFilter, SinceFilter

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
    """Filtered contacts (unordered; the paginator orders) and the normalised filters."""
    filterset = ContactFilter(params, queryset=base_queryset.prefetch_related("handles"))
    return filterset.apply()
