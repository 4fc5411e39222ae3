from enum import StrEnum


class TagEnum(StrEnum):
    HUMAN_AGENT = "human_agent"

    def __str__(self) -> str:
        return str(self.value)
