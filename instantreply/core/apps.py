from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from .keys import announce_key_change, key_changed


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
        # A key or workspace saved (scopes, tier, a revocation through the admin) is
        # read anew by every process that cached it.
        post_save.connect(
            lambda sender, instance, **kwargs: key_changed.send(sender=ApiKey, key=instance),
            sender=ApiKey,
            weak=False,
            dispatch_uid="core.forget_saved_key",
        )
        post_save.connect(
            lambda sender, instance, **kwargs: key_changed.send(sender=ApiKey, key=None),
            sender=Workspace,
            weak=False,
            dispatch_uid="core.forget_keys_of_saved_workspace",
        )
        # Every process, not only those that imported the HTTP layer's cache.
        key_changed.connect(
            lambda sender, **kwargs: announce_key_change(),
            weak=False,
            dispatch_uid="core.announce_key_change",
        )
