from enum import StrEnum


class DeliveryErrorFaultEnum(StrEnum):
    BUSINESS = "business"
    INSTANTREPLY = "instantreply"
    META = "meta"
    RECIPIENT = "recipient"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
