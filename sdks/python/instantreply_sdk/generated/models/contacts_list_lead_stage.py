from enum import StrEnum


class ContactsListLeadStage(StrEnum):
    CUSTOMER = "customer"
    ENGAGED = "engaged"
    LOST = "lost"
    NEW = "new"
    QUALIFIED = "qualified"

    def __str__(self) -> str:
        return str(self.value)
