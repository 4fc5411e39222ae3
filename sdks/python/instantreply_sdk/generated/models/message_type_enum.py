from enum import StrEnum


class MessageTypeEnum(StrEnum):
    AUDIO = "audio"
    DOCUMENT = "document"
    IMAGE = "image"
    LOCATION = "location"
    REACTION = "reaction"
    STICKER = "sticker"
    TEMPLATE = "template"
    TEXT = "text"
    UNSUPPORTED = "unsupported"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
