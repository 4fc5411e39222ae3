from enum import StrEnum


class TemplatesListStatus(StrEnum):
    APPROVED = "approved"
    DISABLED = "disabled"
    DRAFT = "draft"
    PAUSED = "paused"
    PENDING = "pending"
    REJECTED = "rejected"
    SUBMITTING = "submitting"

    def __str__(self) -> str:
        return str(self.value)
