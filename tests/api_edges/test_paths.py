"""Whatever a client puts in a path, the answer is the §2 envelope, never a 500 nor
an HTML page: ids with NUL bytes, other modes' ids, trailing slashes, newlines,
HEAD / OPTIONS / PUT on every route."""

import pytest

from tests.api_edges.conftest import ALL_ROUTES, DETAIL_ROUTES, send
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

# Routes whose id is an object of one mode (channels, agents and error codes are shared).
MODED = [r for r in DETAIL_ROUTES if r.noun not in ("channel", "agent", "error_code", "request")]
READABLE = {r.path for r in ALL_ROUTES if r.method == "GET"}


@pytest.mark.parametrize("route", DETAIL_ROUTES, ids=str)
def test_a_malformed_id_in_the_path_is_not_found(api_client, world, route):
    # NUL reached PostgreSQL as a query parameter, which it refuses: a 500.
    for bad_id in ["%00", "a%00b", "conv_%00", "%C3%A4%F0%9F%8E%89", "x" * 300]:
        response = send(api_client, route.method, route.url(world["live"], bad_id), route.body)
        assert response.status_code == 404, (bad_id, response.content)
        assert error_of(response)["code"] in ("RESOURCE_NOT_FOUND", "UNKNOWN_ERROR_CODE")


@pytest.mark.parametrize("route", MODED, ids=str)
def test_an_id_of_the_other_mode_is_not_found_in_a_path(api_client, test_client, world, route):
    for client, other in ((api_client, "test"), (test_client, "live")):
        response = send(client, route.method, route.url(world[other]), route.body)
        assert response.status_code == 404, (other, response.content)
        assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


@pytest.mark.parametrize("route", MODED, ids=str)
def test_an_id_with_another_prefix_is_not_found_in_a_path(api_client, world, route):
    wrong = "cont_0123456789abcdef0123456789abcdef"
    if route.noun == "contact":
        wrong = "conv_0123456789abcdef0123456789abcdef"
    response = send(api_client, route.method, route.url(world["live"], wrong), route.body)
    assert response.status_code == 404, response.content
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_a_trailing_slash_is_an_unknown_route_for_every_method(strict_client, world, route):
    # POST/PATCH/DELETE used to meet Django's CSRF check first and get its HTML 403.
    response = send(strict_client, route.method, route.url(world["live"]) + "/", route.body)
    assert response.status_code == 404, response.content
    assert error_of(response)["code"] == "ROUTE_NOT_FOUND"


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "PUT"])
def test_unknown_routes_answer_in_the_envelope_without_a_csrf_token(strict_client, method):
    response = send(strict_client, method, "/v1/nothing/here", {"a": 1})
    assert response.status_code == 404
    assert error_of(response)["code"] == "ROUTE_NOT_FOUND"


@pytest.mark.parametrize("path", ["/v1/channels/%0Ax", "/v1/%0A", "/meta/%0Awebhook"])
def test_a_path_with_an_encoded_newline_is_an_unknown_route_even_in_debug(
    api_client, settings, path
):
    # With DEBUG on, a path no pattern matched got Django's technical HTML 404.
    settings.DEBUG = True
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response)["code"] in ("ROUTE_NOT_FOUND", "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_other_methods_get_200_or_405_with_the_envelope(api_client, world, route):
    url = route.url(world["live"])
    for method in ("HEAD", "OPTIONS", "PUT"):
        response = getattr(api_client.client, method.lower())(
            url, headers={"Authorization": f"Bearer {api_client.key}"}
        )
        assert response["X-Request-Id"].startswith("req_")
        if method == "HEAD" and route.path in READABLE:
            assert response.status_code == 200, (method, url)
        else:
            assert response.status_code == 405, (method, url, response.status_code)
            assert response["Allow"]
        if method == "HEAD":
            assert response.content == b""
        elif response.status_code == 405:
            assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
