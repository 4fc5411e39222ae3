import pytest

from instantreply.api.errors import PLATFORM_ERRORS, lookup
from instantreply.meta.error_codes import AUTO_RETRY_CODES, DELIVERY_ERRORS, META_ERRORS
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

FAULTS = {"instantreply", "meta", "business", "recipient", "unknown"}
KEYS = {
    "code",
    "source",
    "title",
    "explanation",
    "fault",
    "retryable",
    "next_steps",
    "doc_url",
    "related_codes",
}


def test_catalogue_is_complete_and_consistent():
    assert len(META_ERRORS) >= 40
    for code in (
        "4",
        "80007",
        "130429",
        "131056",
        "613",
        "190",
        "0",
        "10",
        "200",
        "368",
        "131031",
        "131048",
        "131047",
        "132000",
        "132001",
        "132015",
        "132016",
        "131026",
        "131021",
        "131050",
        "131052",
        "131053",
        "100",
        "131008",
        "131009",
        "131000",
        "1",
        "2",
        "131016",
        "10.2534022",
        "10.2018278",
        "551",
    ):
        spec = lookup(code)
        assert spec is not None and spec.source == "meta", code
    for spec in [*META_ERRORS.values(), *DELIVERY_ERRORS.values()]:
        assert spec.fault in FAULTS, spec.code
        assert spec.title and spec.explanation and spec.next_steps, spec.code
        for related in spec.related_codes:
            assert lookup(related) is not None, (spec.code, related)
    assert set(META_ERRORS) >= AUTO_RETRY_CODES
    assert not set(META_ERRORS) & set(PLATFORM_ERRORS)


def _walk(client, **params) -> list[dict]:
    rows, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/developer/troubleshooting/errors", query).json()
        rows += body["data"]
        assert len(body["data"]) == params.get("limit", 20) or not body["pagination"]["has_more"]
        cursor = body["pagination"]["next_cursor"]
        if not body["pagination"]["has_more"]:
            assert cursor is None
            return rows


def test_list_pages_through_the_whole_catalogue(api_client, django_assert_max_num_queries):
    # Auth, last_used_at and the request log; nothing per entry (the catalogue is code).
    with django_assert_max_num_queries(6):
        first = api_client.get("/v1/developer/troubleshooting/errors", {"limit": 50}).json()
    assert len(first["data"]) == 50 and first["pagination"]["has_more"]
    rows = _walk(api_client, limit=25, order="asc")
    assert [r["code"] for r in rows] == [r["code"] for r in reversed(_walk(api_client))]
    codes = [row["code"] for row in rows]
    assert codes[0] == "AUTHENTICATION_REQUIRED"
    assert "VALIDATION_ERROR" in codes and "131047" in codes and "UNKNOWN_OUTCOME" in codes
    assert len(codes) == len(set(codes)) >= len(PLATFORM_ERRORS) + 40
    assert all(set(row) == KEYS for row in rows)


def test_a_cursor_of_another_order_is_refused(api_client):
    body = api_client.get("/v1/developer/troubleshooting/errors", {"limit": 5}).json()
    cursor = body["pagination"]["next_cursor"]
    response = api_client.get(
        "/v1/developer/troubleshooting/errors", {"limit": 5, "order": "asc", "cursor": cursor}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize(
    "code,source,fault,retryable",
    [
        ("131047", "meta", "business", False),
        ("130429", "meta", "instantreply", True),
        ("131026", "meta", "recipient", False),
        ("10.2534022", "meta", "business", False),
        ("UNKNOWN_OUTCOME", "platform", "unknown", False),
        ("RATE_LIMITED", "platform", "business", True),
    ],
)
def test_retrieve(api_client, code, source, fault, retryable):
    data = api_client.get(f"/v1/developer/troubleshooting/errors/{code}").json()["data"]
    assert set(data) == KEYS
    assert (data["code"], data["source"], data["fault"], data["retryable"]) == (
        code,
        source,
        fault,
        retryable,
    )
    assert data["doc_url"].endswith(f"/errors#{code}")
    assert data["next_steps"]


def test_unknown_code_is_404(api_client):
    response = api_client.get("/v1/developer/troubleshooting/errors/424242")
    assert response.status_code == 404
    assert error_of(response)["code"] == "UNKNOWN_ERROR_CODE"


def test_any_valid_key_may_read_it(client_with_scopes):
    assert (
        client_with_scopes("analytics:read")
        .get("/v1/developer/troubleshooting/errors/131047")
        .status_code
        == 200
    )


def test_needs_a_key(anonymous_client):
    assert anonymous_client.get("/v1/developer/troubleshooting/errors").status_code == 401
