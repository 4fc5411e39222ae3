"""Support finds a request by the req_ id a customer quotes (§7): paste it in the
RequestLog admin's search box, open the trace."""

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.test import Client

CHANGELIST = "/admin/core/requestlog/"


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_superuser("support", "support@example.com", "pw-123456")
    client = Client()
    client.force_login(user)
    return client


def test_staff_find_a_trace_by_pasting_its_request_id(api_client, staff, channel):
    wanted = api_client.get(f"/v1/channels/{channel.id}")
    other = api_client.get("/v1/channels")
    request_id, other_id = wanted["X-Request-Id"], other["X-Request-Id"]
    assert request_id.startswith("req_")

    listing = staff.get(CHANGELIST, {"q": f"  {request_id} "})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f"{CHANGELIST}{quote(request_id)}/change/" in page
    assert other_id not in page

    trace = staff.get(f"{CHANGELIST}{quote(request_id)}/change/")
    assert trace.status_code == 200
    page = trace.content.decode()
    assert f"/v1/channels/{channel.id}" in page
    assert "Main WhatsApp" in page  # the stored response body
    assert api_client.key not in page  # the Authorization header is redacted


def test_people_without_staff_access_are_sent_to_the_login_page(api_client, db):
    request_id = api_client.get("/v1/channels")["X-Request-Id"]
    response = Client().get(CHANGELIST, {"q": request_id})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _result_count(html: str) -> str:
    import re

    return re.search(r'<span class="result-count">([^<]*)</span>', html).group(1).strip()


def test_the_request_log_shows_the_true_count_and_real_pages(api_client, staff, monkeypatch):
    from instantreply.core.admin import CappedCountPaginator, RequestLogAdmin

    monkeypatch.setattr(RequestLogAdmin, "list_per_page", 2)
    for _ in range(5):
        api_client.get("/v1/channels")
    page = staff.get(CHANGELIST, {"method": "GET"}).content.decode()
    assert _result_count(page) == "5 request logs"
    assert 'href="?method=GET&amp;p=3"' in page and "p=4" not in page  # 3 real pages

    # Over the cap the count says so, and every page link is a full page.
    monkeypatch.setattr(CappedCountPaginator, "cap", 4)
    page = staff.get(CHANGELIST, {"method": "GET"}).content.decode()
    assert _result_count(page).startswith("more than 4 request logs")
    assert 'href="?method=GET&amp;p=2"' in page and "p=3" not in page
    last = staff.get(CHANGELIST, {"method": "GET", "p": 2}).content.decode()
    assert last.count(f'href="{CHANGELIST}req') == 2
