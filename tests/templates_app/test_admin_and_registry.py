import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from instantreply.api.errors import ApiError
from templates_app import services
from templates_app.models import Template

COUPON = "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order."


def test_admin_shows_the_validation_report_and_history_read_only(client, make_template):
    template = make_template(text=COUPON, examples=["#1"])
    services.template_submit(template=template)
    User.objects.create_superuser("ops", "ops@example.com", "pw")
    client.login(username="ops", password="pw")
    page = client.get(f"/admin/templates_app/template/{template.id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "predicted <b>marketing</b>" in html and "Use code SAVE20" in html
    assert "submitting" in html and "submitted for review" in html
    assert (
        client.post(f"/admin/templates_app/template/{template.id}/change/", {}).status_code == 403
    )
    listing = client.get("/admin/templates_app/template/", {"q": template.name})
    assert listing.status_code == 200 and template.id in listing.content.decode()


def test_capabilities_list_the_template_and_trigger_endpoints(client_with_scopes):
    reader = client_with_scopes("templates:read")
    endpoints = reader.get("/v1/developer/capabilities").json()["data"]["endpoints"]
    by_route = {(e["method"], e["path"]): e for e in endpoints}
    assert by_route[("POST", "/v1/templates/:id/validate")]["allowed"] is True
    assert by_route[("POST", "/v1/templates/:id/submit")]["allowed"] is False
    assert by_route[("POST", "/v1/trigger")]["scope"] == "messages:write"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_let_exactly_one_through(workspace, channel, make_template):
    template = make_template()
    barrier = threading.Barrier(4)
    outcomes = []  # (code, message) per thread; asserted below, in the main thread

    def submit():
        try:
            barrier.wait()
            services.template_submit(template=Template.objects.get(pk=template.pk))
            outcomes.append(("won", ""))
        except ApiError as exc:
            outcomes.append((exc.code, exc.message))
        except Exception as exc:  # anything else fails the test, not only the thread
            outcomes.append((type(exc).__name__, str(exc)))
        finally:
            connection.close()

    from unittest import mock

    with mock.patch("templates_app.services.submission._enqueue_submit") as enqueue:
        threads = [threading.Thread(target=submit) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(code for code, _ in outcomes) == ["TEMPLATE_NOT_EDITABLE"] * 3 + ["won"]
    for code, message in outcomes:
        assert code == "won" or "is submitting" in message, message
    assert enqueue.call_count == 1
    assert Template.objects.get(pk=template.pk).status == "submitting"
