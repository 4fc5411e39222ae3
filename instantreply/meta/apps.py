from django.apps import AppConfig


class MetaConfig(AppConfig):
    name = "instantreply.meta"
    label = "meta"
    verbose_name = "Meta integration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from instantreply.api.errors import register_catalogue
        from instantreply.core.models import REQUEST_BODY_READERS

        from .ack import event_body_of_request
        from .error_codes import DELIVERY_ERRORS, META_ERRORS

        # Meta's codes and the platform's delivery codes explain failed sends (§2, §10).
        register_catalogue(META_ERRORS)
        register_catalogue(DELIVERY_ERRORS)
        # A /meta/webhook POST's request log reads its body from the stored event.
        if event_body_of_request not in REQUEST_BODY_READERS:
            REQUEST_BODY_READERS.append(event_body_of_request)
