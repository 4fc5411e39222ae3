from drf_spectacular.utils import extend_schema

from instantreply.api.pagination import paginate, paginate_unfiltered
from instantreply.api.schema import data_response, error_responses, list_parameters, list_response
from instantreply.api.views import ApiViewSet, respond, respond_list

from . import selectors, services
from .models import Contact
from .serializers import ContactSerializer, ContactUpdateSerializer, contact_data


def _page_data(rows) -> list[dict]:
    handles = selectors.handles_by_contact([c.id for c in rows])
    return [contact_data(c, handles.get(c.id, [])) for c in rows]


def unfiltered_page(request) -> tuple[list[dict], dict]:
    """(items, pagination) of a list request without filters, the most common one:
    what ``ContactViewSet.list`` answers, and the lean path (instantreply/api/lean.py,
    registered in apps.py) too."""
    rows, pagination = paginate_unfiltered(request, Contact, request.auth)
    return _page_data(rows), pagination


class ContactViewSet(ApiViewSet):
    queryset = Contact.objects.none()  # for the schema only; rows come from self.scoped()
    required_scope = "contacts:read"
    write_scope = "contacts:write"

    def _get(self, pk):
        return self.get_scoped(self.scoped(Contact).prefetch_related("handles"), pk, "contact")

    @extend_schema(
        operation_id="contacts_list",
        summary="List contacts",
        description=(
            "The people who have written to the business, newest first. Filter by `lead_stage`, "
            "`platform`, exact `email`, `q` (a part of the name, email, phone or username) and "
            "`updated_since` to sync changes. A WhatsApp contact's handle is its `wa_id`: do not "
            "assume every contact has a phone number."
        ),
        parameters=list_parameters(selectors.ContactFilter),
        responses={200: list_response(ContactSerializer), **error_responses(422, 400)},
    )
    def list(self, request):
        if selectors.ContactFilter.is_unfiltered(request.query_params):
            return respond_list(*unfiltered_page(request))
        queryset, filters = selectors.contact_list(
            base_queryset=self.scoped(Contact), params=request.query_params
        )
        rows, pagination = paginate(request, queryset, filters=filters)
        return respond_list(_page_data(rows), pagination)

    @extend_schema(
        operation_id="contacts_retrieve",
        summary="Retrieve a contact",
        description=(
            "One contact by its `cont_` id, with every platform handle it writes from, its lead "
            "stage and temperature and its tags."
        ),
        responses={200: data_response(ContactSerializer), **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return respond(contact_data(self._get(pk)))

    @extend_schema(
        operation_id="contacts_update",
        summary="Update a contact",
        description=(
            "Change `name`, `email`, `lead_stage`, `lead_temperature` or tags. `tags` replaces "
            "the whole set; `add_tags` and `remove_tags` change it atomically, so two clients "
            "tagging at once never lose each other's tags (use one style per request). At most 20 "
            "tags of 1 to 64 characters from `a-z0-9:_-.`, stored in lower case. Any other field "
            "is refused with `VALIDATION_ERROR` and nothing is saved. A real change emits "
            "`contact.updated`."
        ),
        request=ContactUpdateSerializer,
        responses={200: data_response(ContactSerializer), **error_responses(404, 422)},
    )
    def partial_update(self, request, pk=None):
        contact = self._get(pk)
        serializer = ContactUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(contact=contact, changes=serializer.validated_data)
        return respond(contact_data(self._get(contact.pk)))
