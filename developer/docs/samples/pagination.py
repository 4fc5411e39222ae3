import os

import requests

BASE_URL = "__BASE_URL__"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['INSTANTREPLY_API_KEY']}"


def all_contacts(**filters):
    """Every contact, fetched 100 per page until next_cursor is null. Send the same
    filters with every cursor (a cursor remembers them)."""
    cursor = None
    while True:
        params = {**filters, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = session.get(f"{BASE_URL}/v1/contacts", params=params, timeout=10).json()
        yield from page["data"]
        cursor = page["pagination"]["next_cursor"]
        if cursor is None:
            return


for contact in all_contacts():
    print(contact["id"])
