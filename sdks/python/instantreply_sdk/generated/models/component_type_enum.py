from enum import StrEnum


class ComponentTypeEnum(StrEnum):
    BODY = "body"
    BUTTONS = "buttons"
    FOOTER = "footer"
    HEADER = "header"

    def __str__(self) -> str:
        return str(self.value)
