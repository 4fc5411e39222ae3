from enum import StrEnum


class ConversationStatusEnum(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
