import os

from instantreply_sdk import InstantReply, InstantReplyError
from instantreply_sdk.generated.api.contacts import contacts_retrieve

client = InstantReply(os.environ["INSTANTREPLY_API_KEY"], base_url="__BASE_URL__")

try:
    client.call(contacts_retrieve, "cont_00000000000000000000000000000000")
except InstantReplyError as error:
    print(error.status, error.code, error.request_id)  # quote request_id to support
    print(error.message)
    print("details:", error.details, "docs:", error.doc_url)
