"""What Meta does to a template's category, and the cost guard (§8, issue 11 items
3-5): submit shows the risk, the simulated review re-categorises like Meta, and a
later change through Meta's signed ``template_category_update`` webhook is recorded,
announced, and (with ``pause_on_category_change``) pauses sends until resumed."""

import json

import pytest
from django.test import Client

from instantreply.core.timeutil import format_ts
from instantreply.meta import signatures
from templates_app.models import Template
from templates_app.simulation import post_template_category, post_template_status
from tests.helpers import error_of
from webhooks.models import Event

COUPON = "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order."


def _events(template):
    return list(
        Event.objects.filter(type="template.status_updated", object_id=template.id).order_by(
            "created_at", "id"
        )
    )


def _trigger(client, template, variables=("#1234", "Friday")):
    return client.post(
        "/v1/trigger",
        {
            "channel_id": template.channel_id,
            "phone": "+14155550123",
            "template_id": template.id,
            "variables": list(variables),
        },
    )


def _recategorise(template, new_category, run_on_commit):
    with run_on_commit(execute=True):
        response = post_template_category(Client(), template, new_category=new_category)
    assert response.status_code == 200
    template.refresh_from_db()
    return template


# -- item 3: submit shows the risk --------------------------------------------------
@pytest.mark.parametrize(
    "text, examples, fits, predicted",
    [
        (COUPON, ["#1234"], False, "marketing"),
        ("Your order {{1}} has shipped and will arrive on {{2}}.", None, True, "utility"),
    ],
)
def test_submit_answers_with_the_category_check_validate_gives(
    api_client, make_template, text, examples, fits, predicted
):
    template = make_template(text=text, examples=examples)
    report = api_client.post(f"/v1/templates/{template.id}/validate").json()["data"]
    response = api_client.post(f"/v1/templates/{template.id}/submit")
    assert response.status_code == 202, response.json()
    data = response.json()["data"]
    assert data["status"] == "submitting"
    assert data["category_check"] == {
        "fits": fits,
        "predicted_category": predicted,
        "confidence": report["confidence"],
    }
    # The template object itself (GET, events) has no category_check: it is the
    # verdict of one submission.
    assert "category_check" not in api_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert "category_check" not in _events(template)[-1].data


# -- item 4: the simulated review re-categorises like Meta --------------------------
def test_a_test_mode_utility_template_with_marketing_content_is_approved_as_marketing(
    test_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(livemode=False, text=COUPON, examples=["#1234"])
    with django_capture_on_commit_callbacks(execute=True):
        response = test_client.post(f"/v1/templates/{template.id}/submit")
    assert response.json()["data"]["category_check"]["fits"] is False
    data = test_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert (data["status"], data["category"], data["previous_category"]) == (
        "approved",
        "marketing",
        "utility",
    )
    assert data["category_changed_at"] is not None and data["paused_reason"] is None
    approval = _events(template)[-1]
    assert approval.data["status"] == "approved" and approval.data["category"] == "marketing"
    assert approval.previous_attributes == {
        "status": "pending",
        "category": "utility",
        "previous_category": None,
        "category_changed_at": None,
    }
    # The cost gap applies: every send is now priced as marketing.
    cost = test_client.post(f"/v1/templates/{template.id}/validate").json()["data"]["cost"]
    assert (cost["requested_rate"], cost["predicted_rate"]) == (0.025, 0.025)


def test_a_test_mode_utility_template_that_fits_keeps_its_category(
    test_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(livemode=False)
    with django_capture_on_commit_callbacks(execute=True):
        test_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert (template.status, template.category, template.previous_category) == (
        "approved",
        "utility",
        None,
    )


def test_a_test_mode_re_categorisation_with_the_guard_pauses_until_resumed(
    test_client, channel, make_template, django_capture_on_commit_callbacks
):
    template = make_template(livemode=False, text=COUPON, examples=["#1234"])
    assert (
        test_client.patch(
            f"/v1/templates/{template.id}", {"pause_on_category_change": True}
        ).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        test_client.post(f"/v1/templates/{template.id}/submit")
    data = test_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert (data["status"], data["paused_reason"], data["category"]) == (
        "paused",
        "category_changed",
        "marketing",
    )
    error = error_of(_trigger(test_client, template, ["#1234"]))
    assert error["code"] == "TEMPLATE_NOT_APPROVED"
    assert "from utility to marketing" in error["message"]
    assert f"POST /v1/templates/{template.id}/resume" in error["message"]

    resumed = test_client.post(f"/v1/templates/{template.id}/resume")
    assert resumed.status_code == 200, resumed.json()
    data = resumed.json()["data"]
    assert (data["status"], data["paused_reason"], data["category"]) == (
        "approved",
        None,
        "marketing",
    )
    assert _events(template)[-1].previous_attributes == {
        "status": "paused",
        "paused_reason": "category_changed",
    }
    assert _trigger(test_client, template, ["#1234"]).status_code == 202


# -- item 5: later changes through Meta's signed webhook ----------------------------
def test_a_later_change_without_the_guard_is_recorded_and_announced(
    api_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", meta_template_id="4242")
    _recategorise(template, "marketing", django_capture_on_commit_callbacks)
    data = api_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert (data["status"], data["category"], data["previous_category"]) == (
        "approved",
        "marketing",
        "utility",
    )
    assert data["category_changed_at"] is not None
    event = _events(template)[-1]
    assert event.data["category"] == "marketing"
    assert event.previous_attributes == {
        "category": "utility",
        "previous_category": None,
        "category_changed_at": None,
    }
    assert _trigger(api_client, template).status_code == 202


def test_a_later_costlier_change_with_the_guard_pauses_sends_until_resumed(
    api_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(
        status="approved", meta_template_id="4243", pause_on_category_change=True
    )
    _recategorise(template, "marketing", django_capture_on_commit_callbacks)
    data = api_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert (data["status"], data["paused_reason"], data["category"], data["previous_category"]) == (
        "paused",
        "category_changed",
        "marketing",
        "utility",
    )
    event = _events(template)[-1]
    assert event.data["status"] == "paused"
    assert event.previous_attributes == {
        "status": "approved",
        "category": "utility",
        "previous_category": None,
        "category_changed_at": None,
        "paused_reason": None,
    }
    error = error_of(_trigger(api_client, template))
    assert error["code"] == "TEMPLATE_NOT_APPROVED"
    assert "from utility to marketing" in error["message"]

    # Meta redelivers the webhook, and later says the template is approved at Meta:
    # neither lifts the guard nor emits anything.
    count = len(_events(template))
    _recategorise(template, "marketing", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post_template_status(Client(), template, event="APPROVED")
    template.refresh_from_db()
    assert (template.status, len(_events(template))) == ("paused", count)

    assert api_client.post(f"/v1/templates/{template.id}/resume").status_code == 200
    assert _trigger(api_client, template).status_code == 202


def test_a_cheaper_change_with_the_guard_does_not_pause(
    make_template, django_capture_on_commit_callbacks
):
    template = make_template(
        status="approved", meta_template_id="4244", pause_on_category_change=True
    )
    Template.objects.filter(pk=template.pk).update(category="marketing")
    template.refresh_from_db()
    _recategorise(template, "utility", django_capture_on_commit_callbacks)
    assert (template.status, template.category, template.previous_category) == (
        "approved",
        "utility",
        "marketing",
    )


def test_meta_moving_a_held_template_back_lifts_the_pause(
    make_template, django_capture_on_commit_callbacks
):
    template = make_template(
        status="approved", meta_template_id="4245", pause_on_category_change=True
    )
    _recategorise(template, "marketing", django_capture_on_commit_callbacks)
    assert template.status == "paused"
    changed_at = template.category_changed_at
    _recategorise(template, "utility", django_capture_on_commit_callbacks)
    assert (template.status, template.paused_reason, template.category) == (
        "approved",
        None,
        "utility",
    )
    previous = _events(template)[-1].previous_attributes
    assert previous["category_changed_at"] == format_ts(changed_at)


def test_a_review_that_approves_in_a_costlier_category_is_held(
    make_template, django_capture_on_commit_callbacks
):
    """Meta may announce the new category before its approval (a category webhook
    while pending): the approval that follows is still held."""
    template = make_template(status="pending", meta_template_id="4246")
    Template.objects.filter(pk=template.pk).update(
        pause_on_category_change=True, submitted_at=template.created_at
    )
    template.refresh_from_db()
    _recategorise(template, "marketing", django_capture_on_commit_callbacks)
    assert (template.status, template.category) == ("pending", "marketing")
    with django_capture_on_commit_callbacks(execute=True):
        post_template_status(Client(), template, event="APPROVED")
    template.refresh_from_db()
    assert (template.status, template.paused_reason) == ("paused", "category_changed")


def test_a_notice_of_an_impending_change_changes_nothing_yet(
    make_template, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", meta_template_id="4247")
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": template.channel.waba_id,
                "time": 1764990000,
                "changes": [
                    {
                        "field": "template_category_update",
                        "value": {
                            "message_template_id": 4247,
                            "message_template_name": template.name,
                            "message_template_language": template.language,
                            "correct_category": "MARKETING",
                            "category_update_timestamp": 1765076400,
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/meta/webhook",
            data=body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": signatures.sign(body)},
        )
    assert response.status_code == 200
    template.refresh_from_db()
    assert (template.category, template.previous_category) == ("utility", None)
    assert _events(template) == []


def test_a_pause_of_metas_own_keeps_its_reason_and_cannot_be_resumed(
    api_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", meta_template_id="4248")
    with django_capture_on_commit_callbacks(execute=True):
        post_template_status(Client(), template, event="PAUSED")
    data = api_client.get(f"/v1/templates/{template.id}").json()["data"]
    assert (data["status"], data["paused_reason"]) == ("paused", "low_quality")
    error = error_of(api_client.post(f"/v1/templates/{template.id}/resume"))
    assert error["code"] == "TEMPLATE_NOT_EDITABLE"
    assert "paused (low_quality)" in error["message"]


@pytest.mark.parametrize("status", ["draft", "approved", "rejected"])
def test_resume_of_a_template_the_guard_did_not_pause_is_409(api_client, make_template, status):
    template = make_template(status=status)
    response = api_client.post(f"/v1/templates/{template.id}/resume")
    assert response.status_code == 409
    assert error_of(response)["code"] == "TEMPLATE_NOT_EDITABLE"
    assert Template.objects.get(pk=template.pk).status == status


def test_resume_needs_templates_write(client_with_scopes, make_template):
    template = make_template(status="paused", paused_reason="category_changed")
    reader = client_with_scopes("templates:read")
    assert error_of(reader.post(f"/v1/templates/{template.id}/resume"))["code"] == (
        "INSUFFICIENT_SCOPE"
    )
    assert Template.objects.get(pk=template.pk).status == "paused"


# -- the setting --------------------------------------------------------------------
def test_pause_on_category_change_is_writable_at_create_and_in_any_status(
    api_client, channel, make_template
):
    from tests.helpers import template_body

    created = api_client.post(
        "/v1/templates", template_body(channel.id, pause_on_category_change=True)
    ).json()["data"]
    assert created["pause_on_category_change"] is True
    assert (created["previous_category"], created["category_changed_at"]) == (None, None)
    approved = make_template(status="approved")
    response = api_client.patch(f"/v1/templates/{approved.id}", {"pause_on_category_change": True})
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["pause_on_category_change"] is True
    # Anything else is still an edit of the definition: 409 once submitted, and the
    # setting is not half-applied.
    refused = api_client.patch(
        f"/v1/templates/{approved.id}", {"pause_on_category_change": False, "name": "other"}
    )
    assert error_of(refused)["code"] == "TEMPLATE_NOT_EDITABLE"
    assert Template.objects.get(pk=approved.pk).pause_on_category_change is True


@pytest.mark.parametrize("value", ["true", 1, None])
def test_pause_on_category_change_must_be_a_boolean(api_client, make_template, value):
    template = make_template()
    error = error_of(
        api_client.patch(f"/v1/templates/{template.id}", {"pause_on_category_change": value})
    )
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"][0]["field"] == "pause_on_category_change"


def test_the_simulators_category_control_refuses_unknown_templates_and_categories(sim):
    import requests

    sim.state.templates.append(
        {
            "id": "1000000000000123",
            "name": "order_update",
            "language": "en_US",
            "category": "UTILITY",
            "status": "APPROVED",
            "components": [],
            "waba_id": "2",
        }
    )
    url = f"{sim.base_url}/_sim/template_category"
    unknown = requests.post(url, json={"message_template_id": "9", "new_category": "MARKETING"})
    assert unknown.status_code == 404
    wrong = requests.post(
        url, json={"message_template_id": "1000000000000123", "new_category": "marketing"}
    )
    assert wrong.status_code == 400
    moved = requests.post(
        url, json={"message_template_id": "1000000000000123", "new_category": "MARKETING"}
    )
    assert moved.status_code == 200
    change = moved.json()["data"]["payload"]["entry"][0]["changes"][0]
    assert change["field"] == "template_category_update"
    assert (change["value"]["previous_category"], change["value"]["new_category"]) == (
        "UTILITY",
        "MARKETING",
    )
    assert sim.state.templates[0]["category"] == "MARKETING"
