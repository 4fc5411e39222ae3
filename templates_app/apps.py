from django.apps import AppConfig


class TemplatesAppConfig(AppConfig):
    name = "templates_app"

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from instantreply.meta import routing, simulator

        from .services import template_status_from_meta
        from .simulation import graph_review_category

        # Meta's template status and category webhooks (§10).
        routing.register("template_updated", template_status_from_meta)
        # The Graph API simulator reviews templates' categories as Meta does (§3).
        simulator.register_categoriser(graph_review_category)
