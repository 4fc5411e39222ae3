from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "instantreply.core"
    label = "core"
    verbose_name = "Platform"
