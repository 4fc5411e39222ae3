"""§8 Contact: GET /v1/contacts (filters), GET and PATCH /v1/contacts/:id."""

import datetime as dt
import threading

import pytest
from django.db import connection

from contacts.models import Contact, ContactHandle
from instantreply.core import services
from instantreply.core.timeutil import format_ts
from tests.helpers import ApiClient, error_of
from webhooks.models import Event

CONTACT_FIELDS = {
    "id",
    "name",
    "email",
    "phone",
    "handles",
    "lead_stage",
    "lead_temperature",
    "tags",
    "livemode",
    "created_at",
    "updated_at",
    "last_seen_at",
}


def ids(response):
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["data"]}


@pytest.fixture
def people(make_contact):
    ana = make_contact(name="Ana Lima", platform="whatsapp", phone="+14155550100")
    Contact.objects.filter(pk=ana.pk).update(email="ana@example.com", lead_stage="qualified")
    bo = make_contact(name="Bo", platform="instagram", username="bo.insta")
    cy = make_contact(name="Cy", platform="messenger")
    Contact.objects.filter(pk=cy.pk).update(lead_stage="customer", email="CY@Example.com")
    return {c.name.split()[0].lower(): Contact.objects.get(pk=c.pk) for c in (ana, bo, cy)}


def test_the_contact_shape(api_client, people):
    data = api_client.get(f"/v1/contacts/{people['bo'].id}").json()["data"]
    assert set(data) == CONTACT_FIELDS
    assert data["handles"] == [
        {
            "platform": "instagram",
            "external_id": data["handles"][0]["external_id"],
            "username": "bo.insta",
        }
    ]
    assert data["lead_stage"] == "new" and data["lead_temperature"] is None
    assert data["tags"] == [] and data["livemode"] is True and data["last_seen_at"] is None
    assert data["created_at"].endswith("Z") and len(data["created_at"]) == 24


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lead_stage": "qualified"}, {"ana"}),
        ({"lead_stage": "CUSTOMER"}, {"cy"}),
        ({"platform": "instagram"}, {"bo"}),
        ({"platform": "WhatsApp"}, {"ana"}),
        ({"email": "cy@example.com"}, {"cy"}),
        ({"email": "nobody@example.com"}, set()),
        ({"q": "lima"}, {"ana"}),
        ({"q": "bo.in"}, {"bo"}),
        ({"q": "555010"}, {"ana"}),
        ({"q": "example.com"}, {"ana", "cy"}),
        ({"q": "example.com", "lead_stage": "customer"}, {"cy"}),
        ({"platform": "messenger", "lead_stage": "qualified"}, set()),
        ({"unknown_param": "x"}, {"ana", "bo", "cy"}),
    ],
)
def test_filters(api_client, people, params, expected):
    assert ids(api_client.get("/v1/contacts", params)) == {people[n].id for n in expected}


def test_updated_since_is_inclusive_and_matches_its_own_value(api_client, people):
    base = dt.datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=dt.UTC)
    for offset, name in enumerate(("ana", "bo", "cy")):
        Contact.objects.filter(pk=people[name].pk).update(
            updated_at=base + dt.timedelta(seconds=offset)
        )
    bo_updated = api_client.get(f"/v1/contacts/{people['bo'].id}").json()["data"]["updated_at"]
    assert bo_updated == format_ts(base + dt.timedelta(seconds=1))
    got = ids(api_client.get("/v1/contacts", {"updated_since": bo_updated}))
    assert got == {people["bo"].id, people["cy"].id}
    offset_form = ids(
        api_client.get("/v1/contacts", {"updated_since": "2026-03-01T13:00:01.123+01:00"})
    )
    assert offset_form == got


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"lead_stage": "won"}, "VALIDATION_ERROR", "lead_stage"),
        ({"platform": "tiktok"}, "INVALID_PLATFORM", "platform"),
        ({"updated_since": "yesterday"}, "VALIDATION_ERROR", "updated_since"),
        ({"updated_since": "2026-03-01T12:00:00"}, "VALIDATION_ERROR", "updated_since"),
    ],
)
def test_invalid_filter_values_are_422(api_client, params, code, field):
    response = api_client.get("/v1/contacts", params)
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == code
    assert [d["field"] for d in error["details"]] == [field]


# -- PATCH ---------------------------------------------------------------------


def patch(client, contact, body):
    return client.patch(f"/v1/contacts/{contact.id}", body)


def events(contact):
    return list(
        Event.objects.filter(object_id=contact.id, type="contact.updated").order_by("created_at")
    )


def test_patch_updates_the_editable_fields(api_client, make_contact):
    contact = make_contact()
    response = patch(
        api_client,
        contact,
        {
            "name": "Ana B",
            "email": "ana@example.com",
            "lead_stage": "engaged",
            "lead_temperature": "hot",
            "tags": ["VIP", "vip", "b2b"],
        },
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["email"], data["lead_stage"], data["lead_temperature"]) == (
        "Ana B",
        "ana@example.com",
        "engaged",
        "hot",
    )
    assert data["tags"] == ["vip", "b2b"]
    assert data["updated_at"] >= data["created_at"]
    (event,) = events(contact)
    assert event.data["name"] == "Ana B"
    assert event.previous_attributes["name"] == "Ana" and event.previous_attributes["tags"] == []
    assert "last_seen_at" not in event.previous_attributes


def test_nullable_fields_can_be_cleared(api_client, make_contact):
    contact = make_contact()
    patch(api_client, contact, {"email": "a@example.com", "lead_temperature": "warm"})
    data = patch(
        api_client, contact, {"email": None, "lead_temperature": None, "name": None}
    ).json()["data"]
    assert data["email"] is None and data["lead_temperature"] is None and data["name"] is None


def test_an_unchanged_patch_emits_nothing(api_client, make_contact):
    contact = make_contact()
    patch(api_client, contact, {"name": "Same", "tags": ["a"]})
    before = Contact.objects.get(pk=contact.pk).updated_at
    response = patch(api_client, contact, {"name": "Same", "tags": ["A"]})
    assert response.status_code == 200
    assert patch(api_client, contact, {"add_tags": ["a"], "remove_tags": ["zz"]}).status_code == 200
    assert patch(api_client, contact, {}).status_code == 200
    assert len(events(contact)) == 1
    assert Contact.objects.get(pk=contact.pk).updated_at == before


def test_last_seen_at_changes_emit_nothing(api_client, make_contact):
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(
        last_seen_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert events(contact) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nickname": "x"}, "nickname"),
        ({"id": "cont_x"}, "id"),
        ({"livemode": False}, "livemode"),
        ({"phone": "+1"}, "phone"),
        ({"name": "x" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"lead_stage": "Customer"}, "lead_stage"),
        ({"lead_stage": "won"}, "lead_stage"),
        ({"lead_stage": None}, "lead_stage"),
        ({"lead_temperature": "HOT"}, "lead_temperature"),
        ({"tags": "vip"}, "tags"),
        ({"tags": ["x" * 65]}, "tags[0]"),
        ({"tags": ["ok", "has space"]}, "tags[1]"),
        ({"tags": [""]}, "tags[0]"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"tags": ["a"], "add_tags": ["b"]}, "tags"),
        ({"add_tags": [1]}, "add_tags[0]"),
        ({"name": 123}, "name"),
        ({"email": ["a@example.com"]}, "email"),
    ],
)
def test_invalid_patches_are_422_and_change_nothing(api_client, make_contact, body, field):
    contact = make_contact()
    # A valid change rides along: it must not be written either.
    response = patch(api_client, contact, {"lead_temperature": "warm", **body})
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]], error
    fresh = Contact.objects.get(pk=contact.pk)
    assert (fresh.name, fresh.lead_temperature, fresh.tags) == ("Ana", None, [])
    assert events(contact) == []


def test_add_tags_beyond_twenty_is_422(api_client, make_contact):
    contact = make_contact()
    patch(api_client, contact, {"tags": [f"t{i}" for i in range(20)]})
    response = patch(api_client, contact, {"add_tags": ["one-more"]})
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "add_tags"
    assert len(Contact.objects.get(pk=contact.pk).tags) == 20


def test_add_and_remove_tags(api_client, make_contact):
    contact = make_contact()
    patch(api_client, contact, {"tags": ["a", "b"]})
    data = patch(api_client, contact, {"add_tags": ["C", "a"], "remove_tags": ["b", "zz"]}).json()[
        "data"
    ]
    assert data["tags"] == ["a", "c"]


def test_patch_of_another_workspaces_or_modes_contact_is_404(
    api_client, test_client, make_contact, other_workspace
):
    foreign = make_contact(ws=other_workspace)
    test_contact = make_contact(livemode=False)
    assert error_of(patch(api_client, foreign, {"name": "X"}))["code"] == "RESOURCE_NOT_FOUND"
    assert error_of(patch(api_client, test_contact, {"name": "X"}))["code"] == "RESOURCE_NOT_FOUND"
    assert patch(test_client, test_contact, {"name": "T"}).json()["data"]["livemode"] is False
    assert Contact.objects.get(pk=foreign.pk).name == "Ana"


@pytest.mark.postgres
def test_concurrent_tag_changes_compose(transactional_db):
    workspace = services.workspace_create(name="Tags", tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["contacts:write"])
    contact = Contact.objects.create(workspace=workspace, name="T", tags=["keep", "drop"])
    for round_no in range(5):
        barrier = threading.Barrier(2)
        statuses = []

        def change(body, barrier=barrier, statuses=statuses):
            try:
                barrier.wait(timeout=10)
                statuses.append(
                    ApiClient(raw).patch(f"/v1/contacts/{contact.id}", body).status_code
                )
            finally:
                connection.close()

        threads = [
            threading.Thread(target=change, args=({"add_tags": [f"a{round_no}"]},)),
            threading.Thread(
                target=change, args=({"add_tags": [f"b{round_no}"], "remove_tags": ["drop"]},)
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert statuses == [200, 200]
    tags = Contact.objects.get(pk=contact.pk).tags
    assert set(tags) == {"keep"} | {f"a{i}" for i in range(5)} | {f"b{i}" for i in range(5)}
    assert Event.objects.filter(object_id=contact.id, type="contact.updated").count() == 10


# -- query counts -----------------------------------------------------------------


def _many_contacts(workspace, count):
    contacts = Contact.objects.bulk_create(
        [Contact(workspace=workspace, name=f"n{i}") for i in range(count)]
    )
    ContactHandle.objects.bulk_create(
        [
            ContactHandle(contact=c, workspace=workspace, platform=p, external_id=f"{p}-{i}")
            for i, c in enumerate(contacts)
            for p in ("whatsapp", "instagram")
        ]
    )


def test_listing_100_contacts_takes_a_fixed_number_of_queries(
    api_client, workspace, django_assert_max_num_queries
):
    _many_contacts(workspace, 120)
    api_client.get("/v1/contacts")  # last_used_at written once, outside the measurement
    with django_assert_max_num_queries(8):
        response = api_client.get("/v1/contacts", {"limit": 100, "q": "n", "platform": "whatsapp"})
    assert len(response.json()["data"]) == 100
    assert all(len(c["handles"]) == 2 for c in response.json()["data"])
    with django_assert_max_num_queries(8):
        page = api_client.get(
            "/v1/contacts",
            {
                "limit": 100,
                "cursor": response.json()["pagination"]["next_cursor"],
                "q": "n",
                "platform": "whatsapp",
            },
        )
    assert len(page.json()["data"]) == 20


def test_listing_100_channels_takes_a_fixed_number_of_queries(
    api_client, workspace, django_assert_max_num_queries
):
    from conversations.models import Channel

    Channel.objects.bulk_create(
        [
            Channel(
                workspace=workspace,
                platform="messenger",
                name=f"Page {i}",
                external_id=f"p{i}",
                access_token=f"tok{i}",
            )
            for i in range(110)
        ]
    )
    api_client.get("/v1/channels")
    with django_assert_max_num_queries(7):
        response = api_client.get("/v1/channels", {"limit": 100, "platform": "messenger"})
    assert len(response.json()["data"]) == 100
