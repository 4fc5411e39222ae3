from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        from instantreply.api.errors import register_catalogue
        from instantreply.core.admin import ACTIVITY_PROVIDERS, TRACE_RESOLVERS
        from instantreply.meta.error_codes import DELIVERY_ERRORS, META_ERRORS

        from .admin import message_activity, trace_request_ids_for

        register_catalogue(META_ERRORS)
        register_catalogue(DELIVERY_ERRORS)
        if trace_request_ids_for not in TRACE_RESOLVERS:
            TRACE_RESOLVERS.append(trace_request_ids_for)
        if message_activity not in ACTIVITY_PROVIDERS:
            ACTIVITY_PROVIDERS.append(message_activity)
