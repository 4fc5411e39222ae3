import os

from instantreply_sdk import InstantReply
from instantreply_sdk.generated.api.developer import simulate_inbound_create
from instantreply_sdk.generated.models import SimulatedSenderRequest, SimulateInboundRequest

client = InstantReply(os.environ["INSTANTREPLY_API_KEY"], base_url="__BASE_URL__")

message = client.call(
    simulate_inbound_create,
    body=SimulateInboundRequest(
        channel_id=os.environ["CHANNEL_ID"],
        from_=SimulatedSenderRequest(external_id="15551230001", name="Ana"),
        text="Hi! Where is my order?",
    ),
).data
print(message.id, message.conversation_id)
