from enum import StrEnum


class TriggerFaultEnum(StrEnum):
    BUSINESS = "business"
    INSTANTREPLY = "instantreply"
    META = "meta"
    NONE = "none"
    RECIPIENT = "recipient"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
