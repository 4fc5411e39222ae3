from enum import StrEnum


class WebhookEndpointStatusEnum(StrEnum):
    DISABLED = "disabled"
    ENABLED = "enabled"
    REVOKED = "revoked"

    def __str__(self) -> str:
        return str(self.value)
