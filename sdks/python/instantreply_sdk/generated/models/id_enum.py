from enum import StrEnum


class IdEnum(StrEnum):
    CONNECT_CHANNEL = "connect_channel"
    CREATE_API_KEY = "create_api_key"
    FIRST_AUTHENTICATED_REQUEST = "first_authenticated_request"
    FIRST_WEBHOOK_DELIVERED = "first_webhook_delivered"
    REGISTER_WEBHOOK = "register_webhook"
    SEND_FIRST_MESSAGE = "send_first_message"
    SUBMIT_TEMPLATE = "submit_template"
    USE_IDEMPOTENCY_KEY = "use_idempotency_key"

    def __str__(self) -> str:
        return str(self.value)
