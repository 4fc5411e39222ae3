import os

from instantreply_sdk import InstantReply
from instantreply_sdk.generated.api.developer import capabilities_retrieve

client = InstantReply(os.environ["INSTANTREPLY_API_KEY"], base_url="__BASE_URL__")

capabilities = client.call(capabilities_retrieve).data
print(capabilities.key.mode, capabilities.workspace.id, ",".join(capabilities.scopes))
