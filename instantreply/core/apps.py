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

        # A key deleted or saved (scopes, a revocation through the admin) stops being
        # what any process remembers of it at once, not only when a cached lookup
        # expires; a workspace deleted or saved (its tier), every key of it.
        def changed_key(sender, instance, **kwargs):
            key_changed.send(sender=ApiKey, key=instance)

        def changed_workspace(sender, instance, **kwargs):
            key_changed.send(sender=ApiKey, key=None)

        for signal, action in ((post_delete, "deleted"), (post_save, "saved")):
            # weak=False: the receivers are local functions, nothing else holds them.
            signal.connect(
                changed_key, sender=ApiKey, weak=False, dispatch_uid=f"core.forget_{action}_key"
            )
            signal.connect(
                changed_workspace,
                sender=Workspace,
                weak=False,
                dispatch_uid=f"core.forget_keys_of_{action}_workspace",
            )
        # Every process, not only those that imported the HTTP layer's cache.
        key_changed.connect(
            lambda sender, **kwargs: announce_key_change(),
            weak=False,
            dispatch_uid="core.announce_key_change",
        )
