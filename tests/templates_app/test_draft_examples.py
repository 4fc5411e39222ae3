"""Drafts can be saved half-done (§8, issue 10 item 10): examples that do not match
the body's variables yet are accepted by create and PATCH, reported by validate and
refused by submit."""

import pytest

from templates_app.models import Template
from tests.helpers import body_only, error_of, template_body

TWO_VARIABLES = "Your order {{1}} has shipped and will arrive on {{2}}."


@pytest.mark.parametrize("examples", [[], ["#1234"]])
def test_create_accepts_examples_that_do_not_match_the_variables_yet(api_client, channel, examples):
    response = api_client.post("/v1/templates", template_body(channel.id, examples=examples))
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["status"], data["variable_count"], data["examples"]) == ("draft", 2, examples)


def test_create_without_examples_at_all_is_a_draft(api_client, channel):
    body = template_body(channel.id)
    del body["examples"]
    response = api_client.post("/v1/templates", body)
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["examples"] == []


def test_a_patch_that_adds_a_variable_to_a_draft_is_accepted(api_client, make_template):
    template = make_template(text="Your order {{1}} has shipped.", examples=["#1234"])
    response = api_client.patch(
        f"/v1/templates/{template.id}", {"components": body_only(TWO_VARIABLES)}
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert (data["variable_count"], data["examples"]) == (2, ["#1234"])


def test_validate_reports_the_mismatch_and_submit_refuses_it(
    api_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(text=TWO_VARIABLES, examples=["#1234"])
    report = api_client.post(f"/v1/templates/{template.id}/validate").json()["data"]
    assert report["problems"] == [
        {
            "field": "examples",
            "issue": "must hold exactly 2 value(s), one per body variable (got 1)",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(f"/v1/templates/{template.id}/submit")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == ["examples"]
    assert f"PATCH /v1/templates/{template.id}" in error["message"]
    assert callbacks == []
    assert Template.objects.get(pk=template.pk).status == "draft"

    fixed = api_client.patch(f"/v1/templates/{template.id}", {"examples": ["#1234", "Friday"]})
    assert fixed.status_code == 200
    report = api_client.post(f"/v1/templates/{template.id}/validate").json()["data"]
    assert report["problems"] == []


def test_submit_of_a_draft_without_examples_says_they_are_required(api_client, make_template):
    template = make_template(text=TWO_VARIABLES, examples=[])
    error = error_of(api_client.post(f"/v1/templates/{template.id}/submit"))
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"][0]["field"] == "examples"
    assert error["details"][0]["issue"].startswith("is required")


def test_each_example_value_is_still_checked_at_create(api_client, channel):
    error = error_of(api_client.post("/v1/templates", template_body(channel.id, examples=[""])))
    assert error["details"] == [{"field": "examples[0]", "issue": "must be a non-blank string"}]
    assert not Template.objects.exists()


@pytest.mark.parametrize("status", ["submitting", "pending", "approved"])
def test_a_patch_of_examples_to_a_submitted_template_is_409_not_422(
    api_client, make_template, status
):
    template = make_template(status=status)
    response = api_client.patch(f"/v1/templates/{template.id}", {"examples": ["only one"]})
    assert response.status_code == 409
    assert error_of(response)["code"] == "TEMPLATE_NOT_EDITABLE"
    assert Template.objects.get(pk=template.pk).examples == ["#1234", "Friday"]
