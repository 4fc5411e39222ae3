"""POST /v1/trigger: a business-initiated WhatsApp template send to a phone number
or a contact. The trigger row itself is written by ``message_send`` with its
message; this service finds (or creates) whom it goes to."""

from django.db import transaction

from contacts.models import Contact, ContactHandle
from contacts.services import contact_get_or_create_by_handle
from instantreply.api.errors import field_error
from instantreply.api.values import E164_RE
from templates_app.selectors import template_channel, template_for_send

from ..models import Message
from ._common import conversation_for_event, conversation_get_or_create, emit_conversation
from .sending import message_send


@transaction.atomic
def trigger_send(
    *,
    api_key,
    channel_id,
    template_id,
    variables: list,
    phone: str | None = None,
    contact_id: str | None = None,
    metadata: dict | None = None,
    simulate_error_code: str | None = None,
) -> Message:
    """An approved template to a phone number or contact, creating the contact and
    conversation when new (test keys create test ones). Every check runs before
    anything is written."""
    livemode = api_key.livemode
    channel = template_channel(workspace_id=api_key.workspace_id, channel_id=channel_id)
    # Checked here with this request's field names, before a contact is created;
    # message_send checks it again when it builds the message.
    template_for_send(
        channel=channel,
        template_id=template_id,
        variables=variables,
        livemode=livemode,
        id_field="template_id",
        vars_field="variables",
    )
    if phone is not None:
        if not E164_RE.match(phone):
            raise field_error(
                "phone",
                "must be E.164: '+', country code, number",
                f"phone '{phone}' is not an E.164 number such as +14155550123.",
            )
        wa_id = phone[1:]
        contact, _ = contact_get_or_create_by_handle(
            workspace_id=api_key.workspace_id,
            livemode=livemode,
            platform="whatsapp",
            external_id=wa_id,
            phone=phone,
        )
    else:
        contact = Contact.objects.for_key(api_key).filter(pk=contact_id).first()
        if contact is None:
            raise field_error(
                "contact_id",
                "no such contact in this workspace",
                f"contact_id '{contact_id}' is not a contact of this workspace "
                f"({'live' if livemode else 'test'} mode).",
            )
        if not ContactHandle.objects.filter(contact=contact, platform="whatsapp").exists():
            raise field_error(
                "contact_id",
                "has no whatsapp handle",
                f"Contact {contact.id} has no WhatsApp identity to send to; send 'phone' instead.",
            )
    conversation, created = conversation_get_or_create(
        channel=channel, contact=contact, livemode=livemode
    )
    if created:
        emit_conversation(conversation_for_event(conversation.pk), "conversation.created")
    return message_send(
        conversation=conversation,
        api_key=api_key,
        template={"id": template_id, "variables": list(variables)},
        metadata=metadata or {},
        simulate_error_code=simulate_error_code,
    )
