import json
from io import StringIO

from django.core.management import call_command

from tests.helpers import ApiClient


def _seed() -> dict:
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_prints_a_working_key_and_is_safe_to_rerun(db):
    first = _seed()
    assert first["conversations"] > 0 and first["templates_created"] == 4
    client = ApiClient(first["key"])
    contacts = client.get("/v1/contacts", {"limit": 100}).json()["data"]
    conversations = client.get("/v1/conversations", {"limit": 100}).json()["data"]
    templates = client.get("/v1/templates", {"status": "approved"}).json()["data"]
    assert contacts and conversations
    assert [t["name"] for t in templates] == ["order_shipped"]

    second = _seed()
    assert second["id"] == first["id"]
    assert second["messages_created"] == 0 and second["templates_created"] == 0
    again = ApiClient(second["key"]).get("/v1/contacts", {"limit": 100}).json()["data"]
    assert len(again) == len(contacts)


def test_seed_demo_test_key_sees_only_test_data(db):
    seeded = _seed()
    live = ApiClient(seeded["key"]).get("/v1/conversations", {"limit": 100}).json()["data"]
    test = ApiClient(seeded["test_key"]).get("/v1/conversations", {"limit": 100}).json()["data"]
    assert all(c["livemode"] for c in live)
    assert test and not any(c["livemode"] for c in test)
