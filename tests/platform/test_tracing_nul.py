"""A NUL character (which PostgreSQL cannot store) must not cost a request its trace."""

from instantreply.core.models import RequestLog
from tests.helpers import error_of


def test_a_nul_in_the_path_and_body_is_still_traced(api_client, make_contact):
    contact = make_contact()
    response = api_client.patch(f"/v1/contacts/{contact.id}", '{"name": "A\\u0000na"}')
    # A NUL in a string field is invalid input (tests/api_edges/test_bodies.py, per field).
    assert response.status_code == 422
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body == {"name": "A\ufffdna"}

    response = api_client.get("/v1/contacts/cont_%00")
    assert response.status_code == 404
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert "\x00" not in log.path and log.path.startswith("/v1/contacts/cont_")


def test_a_body_nested_too_deeply_to_parse_is_traced_as_text(api_client):
    body = "[" * 5000 + "]" * 5000
    response = api_client.post("/v1/contacts", body)
    assert response.status_code == 405
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.request_body == body
