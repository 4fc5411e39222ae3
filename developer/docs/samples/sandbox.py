import os

import requests

BASE_URL = "__BASE_URL__"
response = requests.post(
    f"{BASE_URL}/v1/developer/simulate/inbound",
    headers={"Authorization": f"Bearer {os.environ['INSTANTREPLY_API_KEY']}"},
    json={
        "channel_id": os.environ["CHANNEL_ID"],
        "from": {"external_id": "15551230001", "name": "Ana"},
        "text": "Hi! Where is my order?",
    },
    timeout=10,
)
message = response.json()["data"]
print(response.status_code, message["id"], message["conversation_id"])
