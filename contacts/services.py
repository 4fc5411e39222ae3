from django.db import IntegrityError, transaction

from instantreply.api.tags import tags_after_changes
from instantreply.core.timeutil import now
from webhooks.events import emit

from .models import Contact, ContactHandle
from .serializers import contact_data, handle_data

EDITABLE = ("name", "email", "lead_stage", "lead_temperature", "tags")


@transaction.atomic
def contact_update(*, contact: Contact, changes: dict) -> Contact:
    """Apply a validated PATCH. The row is locked so concurrent add_tags/remove_tags
    from two clients compose instead of overwriting each other."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    before = {field: getattr(locked, field) for field in EDITABLE}
    for field in ("name", "email", "lead_stage", "lead_temperature"):
        if field in changes:
            setattr(locked, field, changes[field])
    locked.tags = tags_after_changes(locked.tags, changes, noun="contact")
    previous = {f: before[f] for f in EDITABLE if getattr(locked, f) != before[f]}
    if previous:
        locked.updated_at = now()
        locked.save(update_fields=[*previous.keys(), "updated_at"])
        emit(
            workspace_id=locked.workspace_id,
            livemode=locked.livemode,
            type="contact.updated",
            data=contact_data(locked),
            object_id=locked.id,
            previous_attributes=previous,
        )
    return locked


def contact_get_or_create_by_handle(
    *,
    workspace_id: str,
    livemode: bool,
    platform: str,
    external_id: str,
    name: str | None = None,
    username: str | None = None,
    phone: str | None = None,
) -> tuple[Contact, bool]:
    """The contact behind a platform identity, created (with ``contact.created``) the
    first time it is seen. Safe under concurrent inbound webhooks: the handle's
    unique constraint decides the winner and the loser reads the winner's row."""
    handle = (
        ContactHandle.objects.select_related("contact")
        .filter(
            workspace_id=workspace_id, livemode=livemode, platform=platform, external_id=external_id
        )
        .first()
    )
    if handle is not None:
        return handle.contact, False
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                workspace_id=workspace_id, livemode=livemode, name=name, phone=phone
            )
            handle = ContactHandle.objects.create(
                contact=contact,
                workspace_id=workspace_id,
                livemode=livemode,
                platform=platform,
                external_id=external_id,
                username=username,
            )
            emit(
                workspace_id=workspace_id,
                livemode=livemode,
                type="contact.created",
                # The new contact's only handle is the one just created: no re-read.
                data=contact_data(contact, handles=[handle_data(handle)]),
                object_id=contact.id,
            )
            return contact, True
    except IntegrityError:
        handle = ContactHandle.objects.select_related("contact").get(
            workspace_id=workspace_id, livemode=livemode, platform=platform, external_id=external_id
        )
        return handle.contact, False
