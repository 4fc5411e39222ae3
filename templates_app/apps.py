from django.apps import AppConfig


class TemplatesAppConfig(AppConfig):
    name = "templates_app"

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from instantreply.meta import routing

        from .services import template_status_from_meta

        # Meta's template status and category webhooks (§10).
        routing.register("template_updated", template_status_from_meta)
