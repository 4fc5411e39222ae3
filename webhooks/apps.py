from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"

    def ready(self):
        # These modules import models, which cannot load before the app registry.
        from instantreply.core.admin import ACTIVITY_PROVIDERS, TRACE_RESOLVERS

        from .trace import delivery_activity, trace_request_ids_for

        if trace_request_ids_for not in TRACE_RESOLVERS:
            TRACE_RESOLVERS.append(trace_request_ids_for)
        if delivery_activity not in ACTIVITY_PROVIDERS:
            ACTIVITY_PROVIDERS.append(delivery_activity)
