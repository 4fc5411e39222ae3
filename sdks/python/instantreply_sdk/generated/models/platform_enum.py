from enum import StrEnum


class PlatformEnum(StrEnum):
    INSTAGRAM = "instagram"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"

    def __str__(self) -> str:
        return str(self.value)
