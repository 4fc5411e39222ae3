"""Meta's front door routes inbound payloads to handlers that the apps register.

``instantreply.meta`` knows Meta's shapes (WhatsApp ``changes``, the Messenger
Platform's ``messaging[]``, template webhooks) and nothing of what the apps do with
them. Each app registers the handlers it owns from its ``AppConfig.ready()``, in the
manner of healthchecks' transport registry (``hc/api/transports.py``): a table of
names the platform calls, filled by the domain, so imports point one way only.

A channel stays opaque here: the ``channel`` resolver turns Meta's account id into
whatever object the app uses, and routing hands that object back to the app's
handlers unread. Each handler is called inside its own savepoint and must be
idempotent on Meta's ids (a payload may arrive, or be processed, twice).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

# Every handler the front door may call, with the call it receives.
HANDLER_KINDS = {
    "channel": "(platform, external_id) -> the connected channel for Meta's account id, or None",
    "message_received": "(*, channel, livemode, contact_external_id, contact_name=None, "
    "contact_username=None, contact_phone=None, external_id, type, text, sent_at, "
    "received_at=None)",
    "messages_received": "(*, items: [message_received's keyword arguments]) -> one result "
    "per item, in order; the same outcome as message_received on each in turn (optional: "
    "without it each message is handled on its own)",
    "echo_recorded": "(*, channel, livemode, contact_external_id, external_id, type, text, "
    "sent_at, received_at=None) -> None when the echo is of our own send",
    "status_applied": "(*, channel, external_id, status, at, error=None) -> None when the "
    "message is unknown",
    "send_in_flight": "(channel) -> bool: a send of this channel may not have recorded "
    "Meta's id yet",
    "template_updated": "(*, waba_id, meta_template_id, name, language, event, reason, "
    "new_category) -> None when the template is unknown",
}

HANDLERS: dict[str, Callable] = {}


def register(kind: str, handler: Callable) -> None:
    """Called from an app's ``ready()``; registering the same kind again replaces it."""
    if kind not in HANDLER_KINDS:
        raise ImproperlyConfigured(
            f"Meta routing has no handler kind {kind!r}; the kinds are {sorted(HANDLER_KINDS)}."
        )
    HANDLERS[kind] = handler


def handler(kind: str) -> Callable:
    try:
        return HANDLERS[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app registered a Meta {kind!r} handler: {HANDLER_KINDS[kind]}. "
            "Is the app that owns it in INSTALLED_APPS?"
        ) from None
