from django.apps import AppConfig


class MetaConfig(AppConfig):
    name = "instantreply.meta"
    label = "meta"
    verbose_name = "Meta integration"
    default_auto_field = "django.db.models.BigAutoField"
