import os
import uuid

from instantreply_sdk import InstantReply
from instantreply_sdk.generated.api.conversations import conversation_messages_create
from instantreply_sdk.generated.models import MessageCreateRequest

# Every write gets an Idempotency-Key that the client's own retries (network errors,
# 429, 503, IDEMPOTENCY_KEY_IN_USE) reuse. To retry later, from another process, keep
# the key with the job and send it again:
client = InstantReply(os.environ["INSTANTREPLY_API_KEY"], base_url="__BASE_URL__")
key = str(uuid.uuid4())
body = MessageCreateRequest(text="Thanks, Ana! Your order ships today.")

for _ in ("first", "retry"):  # the second stands for a retry after a lost response
    with client.idempotency_key(key):
        response = conversation_messages_create.sync_detailed(
            os.environ["CONVERSATION_ID"], client=client.api, body=body
        )
    message = response.parsed.data
    replayed = response.headers.get("Idempotent-Replayed", "false")
    print(int(response.status_code), message.id, message.status, "replayed:", replayed)
