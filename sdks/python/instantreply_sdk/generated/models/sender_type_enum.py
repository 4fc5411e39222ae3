from enum import StrEnum


class SenderTypeEnum(StrEnum):
    AGENT = "agent"
    API = "api"
    AUTOMATION = "automation"
    CONTACT = "contact"

    def __str__(self) -> str:
        return str(self.value)
