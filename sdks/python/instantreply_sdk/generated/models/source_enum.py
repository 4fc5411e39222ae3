from enum import StrEnum


class SourceEnum(StrEnum):
    META = "meta"
    PLATFORM = "platform"

    def __str__(self) -> str:
        return str(self.value)
