from enum import StrEnum


class ServiceEnum(StrEnum):
    META_GRAPH = "meta_graph"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
