from enum import StrEnum


class ButtonTypeEnum(StrEnum):
    PHONE_NUMBER = "phone_number"
    QUICK_REPLY = "quick_reply"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
