from drf_spectacular.utils import extend_schema

from instantreply.api.pagination import paginate
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.views import ApiViewSet, respond, respond_list

from . import selectors
from .models import Channel
from .serializers import ChannelSerializer, channel_data


class ChannelViewSet(ApiViewSet):
    queryset = Channel.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "channels:read"

    @extend_schema(
        operation_id="channels_list",
        parameters=list_parameters(selectors.ChannelFilter),
        responses={200: list_response(ChannelSerializer), **error_responses(400, 422)},
    )
    def list(self, request):
        queryset, filters = selectors.channel_list(
            base_queryset=self.scoped(Channel), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list([channel_data(c) for c in rows], pagination)

    @extend_schema(
        operation_id="channels_retrieve",
        responses={200: data_response(ChannelSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(channel_data(self.get_scoped(self.scoped(Channel), pk, "channel")))
