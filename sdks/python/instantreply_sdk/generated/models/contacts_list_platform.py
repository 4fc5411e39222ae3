from enum import StrEnum


class ContactsListPlatform(StrEnum):
    INSTAGRAM = "instagram"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"

    def __str__(self) -> str:
        return str(self.value)
