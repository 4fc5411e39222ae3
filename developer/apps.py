from django.apps import AppConfig


class DeveloperConfig(AppConfig):
    name = "developer"
