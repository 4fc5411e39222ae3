import os

from instantreply_sdk import InstantReply
from instantreply_sdk.generated.api.contacts import contacts_list

client = InstantReply(os.environ["INSTANTREPLY_API_KEY"], base_url="__BASE_URL__")

# paginate() follows next_cursor until it is null, sending the same filters each time.
for contact in client.paginate(contacts_list, limit=100):
    print(contact.id)
