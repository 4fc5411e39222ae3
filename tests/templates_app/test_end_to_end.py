"""The template loop over real HTTP: a submission goes to the Graph API simulator,
whose signed review webhook comes back to /meta/webhook on a live server."""

import pytest

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
