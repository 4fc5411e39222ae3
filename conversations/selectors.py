from instantreply.api.filters import PLATFORMS, ApiFilterSet, EnumFilter

from .models import CHANNEL_STATUSES, Channel


class ChannelFilter(ApiFilterSet):
    platform = EnumFilter(values=PLATFORMS)
    status = EnumFilter(values=CHANNEL_STATUSES)

    class Meta:
        model = Channel
        fields = []


def channel_list(*, base_queryset, params):
    return ChannelFilter(params, queryset=base_queryset).apply()


def outbound_messages_today(workspace) -> int:
    """Live outbound messages accepted today (UTC): the daily quota's count (§11).

    Messages arrive with the messaging work; until a Message model exists there
    are none to count."""
    try:
        from .models import Message
    except ImportError:
        return 0
    from instantreply.core.timeutil import now

    start = now().replace(hour=0, minute=0, second=0, microsecond=0)
    return Message.objects.filter(
        workspace=workspace, livemode=True, direction="outbound", created_at__gte=start
    ).count()
