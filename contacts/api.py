from drf_spectacular.utils import extend_schema

from instantreply.api.pagination import paginate, paginate_unfiltered
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.views import ApiViewSet, respond, respond_list

from . import selectors, services
from .models import Contact
from .serializers import ContactSerializer, ContactUpdateSerializer, contact_data


class ContactViewSet(ApiViewSet):
    queryset = Contact.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "contacts:read"
    write_scope = "contacts:write"

    def _get(self, pk):
        return self.get_scoped(self.scoped(Contact).prefetch_related("handles"), pk, "contact")

    @extend_schema(
        operation_id="contacts_list",
        parameters=list_parameters(selectors.ContactFilter),
        responses={200: list_response(ContactSerializer), **error_responses(422, 400)},
    )
    def list(self, request):
        if selectors.ContactFilter.is_unfiltered(request.query_params):
            rows, pagination = paginate_unfiltered(request, Contact, request.auth)
        else:
            queryset, filters = selectors.contact_list(
                base_queryset=self.scoped(Contact), params=request.query_params
            )
            rows, pagination = paginate(request, queryset, filters=filters)
        handles = selectors.handles_by_contact([c.id for c in rows])
        return respond_list([contact_data(c, handles.get(c.id, [])) for c in rows], pagination)

    @extend_schema(
        operation_id="contacts_retrieve",
        responses={200: data_response(ContactSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(contact_data(self._get(pk)))

    @extend_schema(
        operation_id="contacts_update",
        request=ContactUpdateSerializer,
        responses={200: data_response(ContactSerializer), **error_responses(404, 422)},
    )
    def partial_update(self, request, pk=None):
        contact = self._get(pk)
        serializer = ContactUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(contact=contact, changes=serializer.validated_data)
        return respond(contact_data(self._get(contact.pk)))
