"""§4 keyset cursor pagination, exercised through GET /v1/contacts."""

import datetime as dt
import random
import threading
import time

import pytest
from django.core import signing
from django.db import connection

from contacts.models import Contact
from instantreply.api import pagination
from instantreply.api.pagination import encode_cursor
from instantreply.core import services
from instantreply.core.ids import new_id
from instantreply.core.timeutil import now
from tests.helpers import ApiClient, error_of

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def bulk_contacts(workspace, count, *, same_time_every=1, livemode=True, **fields):
    """``count`` contacts; ``same_time_every`` rows share each created_at, so the id
    tie-breaker is exercised."""
    rows = [
        Contact(
            id=new_id("cont"),
            workspace=workspace,
            livemode=livemode,
            name=f"c{i}",
            created_at=BASE + dt.timedelta(milliseconds=i // same_time_every),
            updated_at=BASE,
            **fields,
        )
        for i in range(count)
    ]
    Contact.objects.bulk_create(rows)
    return rows


def expected_order(rows, order):
    return [c.id for c in sorted(rows, key=lambda c: (c.created_at, c.id), reverse=order == "desc")]


def walk(client, params, limit):
    pages, cursor = [], None
    while True:
        query = {**params, "limit": limit}
        if cursor:
            query["cursor"] = cursor
        response = client.get("/v1/contacts", query)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        cursor = body["pagination"]["next_cursor"]
        assert (cursor is None) == (not body["pagination"]["has_more"])
        if cursor is None:
            return pages
        assert len(pages) < 10_000


@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize(("count", "limit"), [(40, 20), (41, 20), (7, 3), (5, 100), (1, 1)])
def test_pages_are_exact(api_client, workspace, order, count, limit):
    rows = bulk_contacts(workspace, count, same_time_every=3)
    pages = walk(api_client, {"order": order}, limit)
    seen = [c["id"] for page in pages for c in page["data"]]
    assert seen == expected_order(rows, order)
    for page in pages[:-1]:
        assert len(page["data"]) == limit and page["pagination"]["has_more"] is True
    last = pages[-1]
    assert last["pagination"] == {"has_more": False, "next_cursor": None}
    assert len(last["data"]) == (count % limit or limit)


def test_default_order_is_newest_first_and_default_limit_is_20(api_client, workspace):
    rows = bulk_contacts(workspace, 25)
    body = api_client.get("/v1/contacts").json()
    assert [c["id"] for c in body["data"]] == expected_order(rows, "desc")[:20]
    assert body["pagination"]["has_more"] is True


def test_the_order_value_is_case_insensitive(api_client, workspace):
    rows = bulk_contacts(workspace, 3)
    body = api_client.get("/v1/contacts", {"order": "ASC"}).json()
    assert [c["id"] for c in body["data"]] == expected_order(rows, "asc")


def test_empty_limit_and_order_values_mean_the_defaults(api_client, workspace):
    rows = bulk_contacts(workspace, 25)
    body = api_client.get("/v1/contacts", {"limit": "", "order": ""}).json()
    assert [c["id"] for c in body["data"]] == expected_order(rows, "desc")[:20]


def test_an_empty_list(api_client):
    assert api_client.get("/v1/contacts").json() == {
        "data": [],
        "pagination": {"has_more": False, "next_cursor": None},
    }


def test_limit_may_change_between_pages(api_client, workspace):
    rows = bulk_contacts(workspace, 10)
    first = api_client.get("/v1/contacts", {"limit": 3}).json()
    second = api_client.get(
        "/v1/contacts", {"limit": 7, "cursor": first["pagination"]["next_cursor"]}
    ).json()
    seen = [c["id"] for c in first["data"] + second["data"]]
    assert seen == expected_order(rows, "desc")
    assert second["pagination"]["has_more"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"order": "up"}, "order"),
        ({"order": "asc "}, "order"),
    ],
)
def test_bad_limit_or_order_is_422(api_client, params, field):
    response = api_client.get("/v1/contacts", params)
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == [field]


def _first_cursor(client, params):
    body = client.get("/v1/contacts", {**params, "limit": 1}).json()
    assert body["pagination"]["next_cursor"]
    return body["pagination"]["next_cursor"]


def test_a_tampered_cursor_is_400(api_client, workspace):
    bulk_contacts(workspace, 3)
    cursor = _first_cursor(api_client, {})
    for tampered in (
        cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),
        cursor[1:],
        "not-a-cursor",
        cursor + "x",
    ):
        response = api_client.get("/v1/contacts", {"cursor": tampered})
        assert response.status_code == 400
        assert error_of(response)["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize(
    ("issued_with", "used_with"),
    [
        ({"lead_stage": "new"}, {"lead_stage": "lost"}),
        ({"lead_stage": "new"}, {}),
        ({}, {"q": "a"}),
        ({"order": "asc"}, {"order": "desc"}),
        ({}, {"order": "asc"}),
    ],
)
def test_a_cursor_from_other_filters_or_order_is_400(api_client, workspace, issued_with, used_with):
    bulk_contacts(workspace, 3, lead_stage="new")
    cursor = _first_cursor(api_client, issued_with)
    response = api_client.get("/v1/contacts", {**used_with, "cursor": cursor})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


def test_the_same_filters_in_another_spelling_keep_the_cursor_valid(api_client, workspace):
    bulk_contacts(workspace, 3, lead_stage="new")
    cursor = _first_cursor(api_client, {"lead_stage": "new"})
    response = api_client.get(
        "/v1/contacts", {"lead_stage": "NEW", "cursor": cursor, "ignored": "1"}
    )
    assert response.status_code == 200


def test_a_cursor_of_another_list_is_400(api_client, workspace, channel):
    bulk_contacts(workspace, 3)
    cursor = _first_cursor(api_client, {})
    response = api_client.get("/v1/channels", {"cursor": cursor})
    assert response.status_code == 400 and error_of(response)["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize("params", [{}, {"lead_stage": "new"}])
def test_a_cursor_replayed_by_another_workspace_is_400(
    api_client, other_client, workspace, other_workspace, params
):
    bulk_contacts(workspace, 3, lead_stage="new")
    bulk_contacts(other_workspace, 3, lead_stage="new")
    cursor = _first_cursor(api_client, params)
    response = other_client.get("/v1/contacts", {**params, "cursor": cursor})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize("params", [{}, {"lead_stage": "new"}])
def test_a_cursor_replayed_in_the_other_mode_is_400(api_client, test_client, workspace, params):
    bulk_contacts(workspace, 3, lead_stage="new")
    bulk_contacts(workspace, 3, lead_stage="new", livemode=False)
    live_cursor = _first_cursor(api_client, params)
    response = test_client.get("/v1/contacts", {**params, "cursor": live_cursor})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"
    test_cursor = _first_cursor(test_client, params)
    response = api_client.get("/v1/contacts", {**params, "cursor": test_cursor})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


def test_another_key_of_the_same_workspace_and_mode_may_continue_a_walk(
    api_client, client_with_scopes, workspace
):
    rows = bulk_contacts(workspace, 4)
    cursor = _first_cursor(api_client, {})
    body = client_with_scopes("contacts:read").get("/v1/contacts", {"cursor": cursor}).json()
    assert [c["id"] for c in body["data"]] == expected_order(rows, "desc")[1:]


def test_a_catalogue_cursor_replayed_by_another_workspace_is_400(api_client, other_client):
    path = "/v1/developer/troubleshooting/errors"
    cursor = api_client.get(path, {"limit": 2}).json()["pagination"]["next_cursor"]
    assert api_client.get(path, {"limit": 2, "cursor": cursor}).status_code == 200
    response = other_client.get(path, {"limit": 2, "cursor": cursor})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


def test_a_deleted_cursor_row_does_not_break_the_walk(api_client, workspace):
    rows = bulk_contacts(workspace, 6)
    first = api_client.get("/v1/contacts", {"limit": 3}).json()
    Contact.objects.filter(pk=first["data"][-1]["id"]).delete()
    rest = api_client.get(
        "/v1/contacts", {"limit": 3, "cursor": first["pagination"]["next_cursor"]}
    ).json()
    assert [c["id"] for c in rest["data"]] == expected_order(rows, "desc")[3:]


def test_encode_cursor_matches_what_the_list_returns(api_client, workspace):
    rows = bulk_contacts(workspace, 4)
    ordered = sorted(rows, key=lambda c: (c.created_at, c.id), reverse=True)
    cursor = encode_cursor(
        path="/v1/contacts",
        order="desc",
        filters={},
        created_at=ordered[1].created_at,
        object_id=ordered[1].id,
        workspace_id=workspace.id,
        livemode=True,
    )
    body = api_client.get("/v1/contacts", {"cursor": cursor}).json()
    assert [c["id"] for c in body["data"]] == [c.id for c in ordered[2:]]


@pytest.mark.parametrize("params", [{}, {"lead_stage": "new"}])
def test_a_compressed_cursor_issued_before_is_still_read(api_client, workspace, params):
    # Cursors were zlib-compressed until 2026-12-06; one a client still holds works.
    rows = bulk_contacts(workspace, 4)
    ordered = sorted(rows, key=lambda c: (c.created_at, c.id), reverse=True)
    fresh = api_client.get("/v1/contacts", {**params, "limit": 2}).json()["pagination"]
    payload = signing.loads(fresh["next_cursor"], salt=pagination._SALT)
    assert not fresh["next_cursor"].startswith(".")  # no longer compressed
    old = signing.dumps(payload, salt=pagination._SALT, compress=True)
    assert old.startswith(".") and old != fresh["next_cursor"]
    body = api_client.get("/v1/contacts", {**params, "cursor": old}).json()
    assert [c["id"] for c in body["data"]] == [c.id for c in ordered[2:]]


# -- a walk under a concurrent writer -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_a_walk_under_a_concurrent_writer_sees_every_existing_row_once(transactional_db, order):
    workspace = services.workspace_create(name="Walk", tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"])
    existing = bulk_contacts(workspace, 300, same_time_every=4)
    existing_ids = {c.id for c in existing}
    stop = threading.Event()
    writes = {"inserted": 0, "updated": 0, "errors": []}

    def writer():
        rng = random.Random(7)
        try:
            while not stop.is_set():
                # New rows, now and back-dated into the middle of the walk.
                created = (
                    now()
                    if rng.random() < 0.5
                    else BASE + dt.timedelta(milliseconds=rng.randrange(0, 75))
                )
                Contact.objects.create(
                    workspace=workspace, name="new", created_at=created, updated_at=now()
                )
                writes["inserted"] += 1
                target = rng.choice(existing)
                Contact.objects.filter(pk=target.pk).update(
                    name=f"changed-{rng.random()}", updated_at=now(), tags=["moved"]
                )
                writes["updated"] += 1
                time.sleep(0.002)
        except Exception as exc:
            writes["errors"].append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while writes["inserted"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = writes["updated"]
        pages = walk(ApiClient(raw), {"order": order}, 7)
        during = writes["updated"] - before
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not writes["errors"], writes["errors"]
    assert during > 0  # the writer really ran during the walk
    seen = [c["id"] for page in pages for c in page["data"]]
    assert len(seen) == len(set(seen)), "a record appeared twice"
    assert existing_ids <= set(seen), "a pre-existing record was skipped"
    for page in pages[:-1]:
        assert len(page["data"]) == 7
