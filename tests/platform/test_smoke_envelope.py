import pytest

from tests.helpers import error_of


def test_it_lists_contacts_of_the_workspace(api_client, make_contact):
    contact = make_contact()
    response = api_client.get("/v1/contacts")
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["data"]] == [contact.id]
    assert body["pagination"] == {"has_more": False, "next_cursor": None}
    assert response["X-Request-Id"].startswith("req_")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/v1/nothing-here", 404, "ROUTE_NOT_FOUND"),
        ("put", "/v1/contacts", 405, "METHOD_NOT_ALLOWED"),
        ("get", "/v1/contacts/cont_00000000000000000000000000000000", 404, "RESOURCE_NOT_FOUND"),
        ("get", "/v1/contacts?limit=500", 422, "VALIDATION_ERROR"),
    ],
)
def test_failures_are_envelopes(api_client, method, path, status, code):
    response = getattr(api_client, method)(path)
    assert response.status_code == status
    assert error_of(response)["code"] == code
