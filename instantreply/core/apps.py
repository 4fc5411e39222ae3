from django.apps import AppConfig
from django.db.models.signals import post_delete

from .keys import key_changed


class CoreConfig(AppConfig):
    name = "instantreply.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        # Models cannot be imported before the app registry is ready.
        from .models import ApiKey, Workspace

        # A deleted key (or workspace) stops authenticating in this process at once,
        # not only when its cached lookup expires.
        post_delete.connect(
            lambda sender, instance, **kwargs: key_changed.send(sender=ApiKey, key=instance),
            sender=ApiKey,
            weak=False,
            dispatch_uid="core.forget_deleted_key",
        )
        post_delete.connect(
            lambda sender, instance, **kwargs: key_changed.send(sender=ApiKey, key=None),
            sender=Workspace,
            weak=False,
            dispatch_uid="core.forget_keys_of_deleted_workspace",
        )
