from enum import StrEnum


class EventsListType(StrEnum):
    CHANNEL_STATUS_UPDATED = "channel.status_updated"
    CONTACT_CREATED = "contact.created"
    CONTACT_UPDATED = "contact.updated"
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"
    MESSAGE_DELIVERED = "message.delivered"
    MESSAGE_FAILED = "message.failed"
    MESSAGE_READ = "message.read"
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_SENT = "message.sent"
    TEMPLATE_STATUS_UPDATED = "template.status_updated"

    def __str__(self) -> str:
        return str(self.value)
