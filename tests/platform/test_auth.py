"""§3 keys, scopes, tenancy and test mode."""

import datetime as dt
import re

import pytest
from django.db import connection

from instantreply.api import authentication
from instantreply.core import services
from tests.helpers import ApiClient, error_of


def test_a_key_has_the_documented_form_and_only_its_hash_is_stored(workspace):
    key, raw = services.api_key_create(workspace=workspace, scopes=["*"], mode="test")
    assert re.fullmatch(r"ir_test_[0-9A-Za-z]{40}", raw)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apikey WHERE id = %s", [key.id])
        row = cursor.fetchone()
    assert not any(raw in str(value) for value in row)
    assert raw[len("ir_test_") :] not in str(row)  # not even the random part
    assert key.hashed_key == authentication.hash_key(raw)


def test_a_key_with_the_right_prefix_but_a_wrong_secret_is_refused(workspace, make_key):
    _, raw = make_key(workspace)
    forged = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    response = ApiClient(forged).get("/v1/contacts")
    assert error_of(response)["code"] == "INVALID_API_KEY"


def test_a_live_key_cannot_be_used_as_a_test_key(workspace, make_key):
    _, raw = make_key(workspace, mode="live")
    response = ApiClient(raw.replace("ir_live_", "ir_test_")).get("/v1/contacts")
    assert error_of(response)["code"] == "INVALID_API_KEY"


def test_last_used_at_is_written_at_most_once_a_minute(
    workspace, make_key, django_assert_num_queries, monkeypatch
):
    key, raw = make_key(workspace)
    client = ApiClient(raw)
    assert key.last_used_at is None
    client.get("/v1/contacts")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.get("/v1/contacts")
    key.refresh_from_db()
    assert key.last_used_at == first  # within the minute: not rewritten
    # A minute later (a process may hold the key in its cache meanwhile):
    later = first + dt.timedelta(seconds=61)
    monkeypatch.setattr(authentication, "now", lambda: later)
    client.get("/v1/contacts")
    key.refresh_from_db()
    assert key.last_used_at == later


def test_a_busy_key_causes_no_last_used_write(workspace, make_key, django_assert_max_num_queries):
    key, raw = make_key(workspace)
    client = ApiClient(raw)
    client.get("/v1/contacts")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/v1/contacts")
    assert not [
        q for q in queries.captured_queries if "UPDATE" in q["sql"] and "apikey" in q["sql"]
    ]


@pytest.mark.parametrize(
    ("scopes", "method", "path", "allowed"),
    [
        (["contacts:read"], "get", "/v1/contacts", True),
        (["contacts:write"], "get", "/v1/contacts", True),  # :write includes :read
        (["contacts:read"], "patch", "/v1/contacts/{id}", False),
        (["contacts:write"], "patch", "/v1/contacts/{id}", True),
        (["channels:read"], "get", "/v1/contacts", False),
        (["conversations:write"], "get", "/v1/contacts", False),
        (["contacts:read"], "get", "/v1/channels", False),
        (["channels:read"], "get", "/v1/channels", True),
        (["channels:read"], "get", "/v1/usage", True),  # developer endpoints: any key
        (["channels:read"], "get", "/v1/developer/limits", True),
    ],
)
def test_scopes(client_with_scopes, make_contact, scopes, method, path, allowed):
    contact = make_contact()
    client = client_with_scopes(*scopes)
    url = path.format(id=contact.id)
    response = client.patch(url, {"name": "X"}) if method == "patch" else client.get(url)
    if allowed:
        assert response.status_code == 200, response.content
    else:
        error = error_of(response)
        assert response.status_code == 403 and error["code"] == "INSUFFICIENT_SCOPE"
        assert ":" in error["message"]  # names the scope it needs


def test_another_workspaces_contact_is_404_everywhere(api_client, make_contact, other_workspace):
    foreign = make_contact(ws=other_workspace)
    mine = make_contact()
    unknown = "cont_00000000000000000000000000000000"
    for cid in (foreign.id, unknown):
        got = api_client.get(f"/v1/contacts/{cid}")
        patched = api_client.patch(f"/v1/contacts/{cid}", {"name": "X"})
        assert got.status_code == patched.status_code == 404
        assert error_of(got)["code"] == error_of(patched)["code"] == "RESOURCE_NOT_FOUND"
    # Same wording for foreign and unknown ids: nothing tells them apart.
    msg_foreign = error_of(api_client.get(f"/v1/contacts/{foreign.id}"))["message"]
    msg_unknown = error_of(api_client.get(f"/v1/contacts/{unknown}"))["message"]
    assert msg_foreign.replace(foreign.id, "ID") == msg_unknown.replace(unknown, "ID")
    listed = [c["id"] for c in api_client.get("/v1/contacts", {"limit": 100}).json()["data"]]
    assert listed == [mine.id]
    foreign.refresh_from_db()
    assert foreign.name == "Ana"


def test_test_mode_and_live_mode_see_separate_contacts(api_client, test_client, make_contact):
    live = make_contact(livemode=True)
    test = make_contact(livemode=False)
    assert [c["id"] for c in api_client.get("/v1/contacts").json()["data"]] == [live.id]
    assert [c["id"] for c in test_client.get("/v1/contacts").json()["data"]] == [test.id]
    assert test_client.get("/v1/contacts").json()["data"][0]["livemode"] is False
    assert api_client.get(f"/v1/contacts/{test.id}").status_code == 404
    assert test_client.get(f"/v1/contacts/{live.id}").status_code == 404
    assert test_client.patch(f"/v1/contacts/{live.id}", {"name": "X"}).status_code == 404


def test_channels_are_shared_by_both_modes_but_not_by_workspaces(
    api_client, test_client, other_client, channel
):
    for client in (api_client, test_client):
        assert [c["id"] for c in client.get("/v1/channels").json()["data"]] == [channel.id]
        assert client.get(f"/v1/channels/{channel.id}").status_code == 200
    assert other_client.get("/v1/channels").json()["data"] == []
    assert error_of(other_client.get(f"/v1/channels/{channel.id}"))["code"] == "RESOURCE_NOT_FOUND"
