import django_filters

from instantreply.api.filters import ApiFilterSet, EnumFilter, PrefixedIdFilter

from .models import CATEGORIES, STATUSES, Template


class TemplateFilter(ApiFilterSet):
    status = EnumFilter(values=STATUSES)
    category = EnumFilter(values=CATEGORIES)
    channel_id = PrefixedIdFilter(prefix="chan", field_name="channel_id")
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")

    class Meta:
        model = Template
        fields = []


def template_list(*, base_queryset, params):
    return TemplateFilter(params, queryset=base_queryset).apply()
