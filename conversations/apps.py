from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from instantreply.core.admin import ACTIVITY_PROVIDERS, TRACE_RESOLVERS
        from instantreply.meta import routing

        from . import selectors, services
        from .admin import message_activity, trace_request_ids_for

        # What Meta's front door calls for messaging payloads.
        routing.register("channel", selectors.channel_for_meta)
        routing.register("message_received", services.inbound_message_receive)
        routing.register("messages_received", services.inbound_messages_receive)
        routing.register("echo_recorded", services.outbound_echo_record)
        routing.register("status_applied", services.message_status_apply)
        routing.register("send_in_flight", selectors.channel_send_in_flight)
        if trace_request_ids_for not in TRACE_RESOLVERS:
            TRACE_RESOLVERS.append(trace_request_ids_for)
        if message_activity not in ACTIVITY_PROVIDERS:
            ACTIVITY_PROVIDERS.append(message_activity)
