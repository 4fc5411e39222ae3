from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from instantreply.api.lean import register_list

        from .api import ContactViewSet, unfiltered_page

        register_list("/v1/contacts", ContactViewSet, unfiltered_page)
