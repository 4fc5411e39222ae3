"""The template loop over real HTTP: a submission goes to the Graph API simulator,
whose signed review webhook comes back to /meta/webhook on a live server."""

import pytest
import requests

from templates_app.models import Template
from tests.workers import wait_for
from webhooks.models import Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def status_of(template_id):
    return Template.objects.values_list("status", flat=True).get(pk=template_id)


@pytest.mark.parametrize("review, status", [("APPROVED", "approved"), ("REJECTED", "rejected")])
def test_metas_review_webhook_settles_a_submission(
    sim_with_webhooks, api_client, make_template, review, status
):
    sim = sim_with_webhooks
    sim.state.configure({"template_review": review})
    template = make_template()
    response = api_client.post(f"/v1/templates/{template.id}/submit")
    assert response.status_code == 202
    wait_for(lambda: status_of(template.id) == status, timeout=15)
    sim.wait_for_webhooks()
    assert [w["status"] for w in sim.state.webhooks] == [200]
    template.refresh_from_db()
    assert template.meta_template_id == sim.state.templates[0]["id"]
    if status == "rejected":
        assert template.rejection_reason.startswith("INVALID_FORMAT:")
    emitted = list(
        Event.objects.filter(type="template.status_updated", object_id=template.id)
        .order_by("created_at", "id")
        .values_list("data__status", flat=True)
    )
    assert emitted == ["submitting", "pending", status]


COUPON = "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order."


def test_the_simulator_approves_marketing_content_as_marketing_and_changes_it_later(
    sim_with_webhooks, api_client, make_template
):
    """Meta's re-categorisation at review, then its periodic check moving a guarded
    template: both through the simulator's signed webhooks to /meta/webhook."""
    sim = sim_with_webhooks
    promo = make_template(text=COUPON, examples=["#1234"])
    submitted = api_client.post(f"/v1/templates/{promo.id}/submit").json()["data"]
    assert submitted["category_check"]["predicted_category"] == "marketing"
    wait_for(lambda: status_of(promo.id) == "approved", timeout=15)
    promo.refresh_from_db()
    assert (promo.category, promo.previous_category) == ("marketing", "utility")
    submission = next(r for r in sim.state.requests if r["path"].endswith("/message_templates"))
    assert submission["body"]["category"] == "UTILITY"  # what was asked; Meta decided

    guarded = make_template()
    api_client.patch(f"/v1/templates/{guarded.id}", {"pause_on_category_change": True})
    api_client.post(f"/v1/templates/{guarded.id}/submit")
    wait_for(lambda: status_of(guarded.id) == "approved", timeout=15)
    guarded.refresh_from_db()
    assert (guarded.category, guarded.previous_category) == ("utility", None)
    sim.wait_for_webhooks()

    answer = requests.post(
        f"{sim.base_url}/_sim/template_category",
        json={"message_template_id": guarded.meta_template_id, "new_category": "MARKETING"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["webhook_status"] == 200
    wait_for(lambda: status_of(guarded.id) == "paused", timeout=15)
    data = api_client.get(f"/v1/templates/{guarded.id}").json()["data"]
    assert (data["category"], data["previous_category"], data["paused_reason"]) == (
        "marketing",
        "utility",
        "category_changed",
    )
    last = Event.objects.filter(type="template.status_updated", object_id=guarded.id).latest(
        "created_at"
    )
    assert last.previous_attributes["category"] == "utility"
