import pytest

from templates_app.models import Template, TemplateHistory
from tests.helpers import SHIPPED, body_only, error_of, template_body

COUPON = "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order."


def test_it_creates_a_draft(api_client, channel):
    response = api_client.post("/v1/templates", template_body(channel.id))
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["id"].startswith("tpl_")
    assert data["status"] == "draft" and data["variable_count"] == 2
    assert data["components"] == [{"type": "body", "text": SHIPPED, "format": None, "buttons": []}]
    assert data["quality"] == "unknown" and data["livemode"] is True
    assert data["rejection_reason"] is None and data["meta_template_id"] is None
    assert TemplateHistory.objects.filter(template_id=data["id"], to_status="draft").count() == 1


def test_components_come_back_in_order_with_every_key(api_client, channel):
    body = template_body(
        channel.id,
        components=[
            {
                "type": "buttons",
                "buttons": [{"type": "url", "text": "Track", "url": "https://t.example.com/x"}],
            },
            {"type": "footer", "text": "Acme"},
            {"type": "body", "text": SHIPPED},
            {"type": "header", "text": "Shipped"},
        ],
    )
    data = api_client.post("/v1/templates", body).json()["data"]
    assert [c["type"] for c in data["components"]] == ["header", "body", "footer", "buttons"]
    assert data["components"][0]["format"] == "text"
    assert data["components"][3]["buttons"] == [
        {"type": "url", "text": "Track", "url": "https://t.example.com/x", "phone_number": None}
    ]


@pytest.mark.parametrize(
    "overrides, field, issue",
    [
        (
            {"components": body_only("Hi {{1}}, your order {{3}} is ready.")},
            "components[0].text",
            "missing {{2}}",
        ),
        (
            {"components": body_only("{{1}} your order is ready.")},
            "components[0].text",
            "must not start",
        ),
        (
            {"components": body_only("Your order is ready, {{1}}")},
            "components[0].text",
            "must not end",
        ),
        (
            {"components": body_only("Order {{1}} {{2}} is ready.")},
            "components[0].text",
            "adjacent",
        ),
        (
            {"components": body_only("Order {{2}} and {{1}} ready.")},
            "components[0].text",
            "in order",
        ),
        (
            {"components": body_only("Hello {{name}}, ready.")},
            "components[0].text",
            "not positional",
        ),
        ({"components": body_only("x" * 1025)}, "components[0].text", "at most 1024"),
        (
            {"components": [{"type": "header", "text": "Order {{1}}"}, *body_only("Ok then.")]},
            "components[0].text",
            "body only",
        ),
        (
            {"components": [{"type": "header", "text": "h" * 61}, *body_only("Ok then.")]},
            "components[0].text",
            "at most 60",
        ),
        (
            {"components": [*body_only("Ok then."), {"type": "footer", "text": "f" * 61}]},
            "components[1].text",
            "at most 60",
        ),
        ({"components": [{"type": "footer", "text": "Acme"}]}, "components", "exactly one body"),
        (
            {
                "components": [
                    *body_only("Ok."),
                    {
                        "type": "buttons",
                        "buttons": [{"type": "url", "text": "Go", "url": "ftp://x"}],
                    },
                ]
            },
            "components[1].buttons[0].url",
            "http(s) URL",
        ),
        (
            {
                "components": [
                    *body_only("Ok."),
                    {"type": "buttons", "buttons": [{"type": "quick_reply", "text": "b" * 26}]},
                ]
            },
            "components[1].buttons[0].text",
            "at most 25",
        ),
        (
            {
                "components": [
                    *body_only("Ok."),
                    {"type": "buttons", "buttons": [{"type": "quick_reply", "text": "x"}] * 11},
                ]
            },
            "components[1].buttons",
            "at most 10",
        ),
        (
            {
                "components": [
                    *body_only("Ok."),
                    {
                        "type": "buttons",
                        "buttons": [
                            {"type": "phone_number", "text": "Call", "phone_number": "555"}
                        ],
                    },
                ]
            },
            "components[1].buttons[0].phone_number",
            "E.164",
        ),
        (
            {
                "components": [
                    *body_only("Ok."),
                    {"type": "buttons", "buttons": [{"type": "copy_code", "text": "x"}]},
                ]
            },
            "components[1].buttons[0].type",
            "must be one of",
        ),
        (
            {"components": [{"type": "body", "text": "Ok.", "example": "x"}]},
            "components[0].example",
            "not a component field",
        ),
        ({"name": "Order Shipped"}, "name", "lower-case"),
        ({"name": "x" * 513}, "name", "at most 512"),
        ({"language": "english"}, "language", "not a WhatsApp template language"),
        ({"language": "en-us"}, "language", "did you mean 'en_US'"),
        ({"examples": ["#1", " "]}, "examples[1]", "must be a non-blank string"),
        ({"examples": ["#1", "{{2}}"]}, "examples[1]", "must be a sample value"),
        ({"category": "MARKETING"}, "category", "must be one of"),
        ({"surprise": 1}, "surprise", "not a writable field"),
    ],
)
def test_it_refuses_what_meta_would_refuse_with_field_details(
    api_client, channel, overrides, field, issue
):
    body = template_body(channel.id, **overrides)
    if "components" in overrides and "examples" not in overrides:
        text = next(
            (c.get("text") or "" for c in overrides["components"] if c.get("type") == "body"), ""
        )
        body["examples"] = ["a", "b"][: text.count("{{") if "name" not in text else 0]
    response = api_client.post("/v1/templates", body)
    assert response.status_code == 422, response.json()
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert any(d["field"] == field and issue in d["issue"] for d in error["details"]), error
    assert Template.objects.count() == 0


def test_gap_in_variables_is_refused_with_the_field(api_client, channel):
    body = template_body(
        channel.id, components=body_only("Hi {{1}}, order {{3}} shipped."), examples=["a", "b"]
    )
    error = error_of(api_client.post("/v1/templates", body))
    assert error["details"] == [
        {
            "field": "components[0].text",
            "issue": "variables must be numbered from {{1}} without gaps; missing {{2}}",
        }
    ]


def test_a_non_whatsapp_or_foreign_channel_is_refused(api_client, workspace, other_workspace):
    from conversations.services import channel_connect

    ig = channel_connect(
        workspace=workspace, platform="instagram", name="IG", external_id="178", access_token="t"
    )
    foreign = channel_connect(
        workspace=other_workspace,
        platform="whatsapp",
        name="W",
        external_id="109",
        access_token="t",
        waba_id="2",
    )
    for channel_id, issue in (
        (ig.id, "must be a whatsapp channel"),
        (foreign.id, "no such channel"),
        ("chan_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e", "no such channel"),
    ):
        error = error_of(api_client.post("/v1/templates", template_body(channel_id)))
        assert [d["field"] for d in error["details"]] == ["channel_id"]
        assert issue in error["details"][0]["issue"]


def test_same_name_and_language_is_taken(api_client, test_client, channel):
    assert api_client.post("/v1/templates", template_body(channel.id)).status_code == 201
    error = error_of(api_client.post("/v1/templates", template_body(channel.id)))
    assert error["code"] == "TEMPLATE_NAME_TAKEN"
    # Another language, or the other mode, is a different template.
    assert (
        api_client.post("/v1/templates", template_body(channel.id, language="pt_BR")).status_code
        == 201
    )
    assert test_client.post("/v1/templates", template_body(channel.id)).status_code == 201


def test_patch_edits_a_draft_and_revalidates(api_client, make_template):
    template = make_template()
    response = api_client.patch(
        f"/v1/templates/{template.id}",
        {"components": body_only("Order {{1}} is ready for pickup today."), "examples": ["#9"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["variable_count"] == 1
    error = error_of(
        api_client.patch(
            f"/v1/templates/{template.id}", {"components": body_only("{{1}} hi there.")}
        )
    )
    assert error["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("status", ["submitting", "pending", "approved", "paused", "disabled"])
def test_patch_of_a_template_out_of_draft_or_rejected_is_409(api_client, make_template, status):
    template = make_template(status=status)
    error = error_of(api_client.patch(f"/v1/templates/{template.id}", {"category": "marketing"}))
    assert error["code"] == "TEMPLATE_NOT_EDITABLE"
    template.refresh_from_db()
    assert template.category == "utility"


def test_patch_to_a_taken_name_is_409(api_client, make_template):
    first, second = make_template(), make_template()
    error = error_of(api_client.patch(f"/v1/templates/{second.id}", {"name": first.name}))
    assert error["code"] == "TEMPLATE_NAME_TAKEN"


def test_validate_reports_marketing_content_and_the_cost_gap(api_client, make_template):
    template = make_template(text=COUPON, examples=["#1234"])
    response = api_client.post(f"/v1/templates/{template.id}/validate")
    assert response.status_code == 200, response.json()
    report = response.json()["data"]
    assert report["requested_category"] == "utility"
    assert report["predicted_category"] == "marketing" and report["fits"] is False
    assert 0.5 < report["confidence"] <= 1
    phrases = {p["phrase"]: p for p in report["flagged_phrases"]}
    assert (phrases["Use code SAVE20"]["start"], phrases["Use code SAVE20"]["end"]) == (30, 45)
    assert (phrases["20% off"]["start"], phrases["20% off"]["end"]) == (50, 57)
    assert report["coaching"]
    cost = report["cost"]
    # The channel's number is +1 415…: the North America rates of the 2026-07-01 card.
    assert cost == {
        "market": "US",
        "currency": "USD",
        "requested_rate": 0.0034,
        "predicted_rate": 0.025,
        "gap_per_message": pytest.approx(0.0216),
        "gap_per_1000": pytest.approx(21.6),
        "rates_as_of": "2026-07-01",
    }
    assert cost["gap_per_message"] > 0


def test_validate_flags_a_cross_sell_appended_to_an_order_update_at_its_sentence(
    api_client, make_template
):
    text = (
        "Your order {{1}} has shipped and arrives on {{2}}. "
        "Customers who bought this tent often add the matching footprint."
    )
    template = make_template(text=text)
    report = api_client.post(f"/v1/templates/{template.id}/validate").json()["data"]
    assert report["predicted_category"] == "marketing" and report["fits"] is False
    [flag] = report["flagged_phrases"]
    start = text.index("Customers")
    assert (flag["phrase"], flag["start"], flag["end"]) == (text[start:], start, len(text))
    assert flag["reason"] and flag["suggestion"]
    assert report["cost"]["gap_per_message"] > 0


def test_validate_keeps_commercial_words_inside_a_transactional_fact_utility(
    api_client, make_template
):
    template = make_template(
        text="Your refund of {{1}} for order {{2}} reflects the 20% discount you applied.",
        examples=["$18.00", "#1234"],
    )
    report = api_client.post(f"/v1/templates/{template.id}/validate").json()["data"]
    assert report["predicted_category"] == "utility" and report["fits"] is True
    assert report["flagged_phrases"] == [] and report["cost"]["gap_per_message"] == 0


def test_validate_takes_a_market_and_refuses_unknown_ones(api_client, make_template):
    template = make_template(text=COUPON, examples=["#1234"])
    cost = api_client.post(f"/v1/templates/{template.id}/validate?market=nl").json()["data"]["cost"]
    assert cost["market"] == "NL"
    assert cost["gap_per_message"] == pytest.approx(0.1597 - 0.05)
    assert cost["gap_per_1000"] == pytest.approx(109.7)
    error = error_of(api_client.post(f"/v1/templates/{template.id}/validate?market=XX"))
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "market"


def test_validate_fits_for_a_clean_utility_template_and_has_no_side_effects(
    client_with_scopes, make_template
):
    template = make_template()
    before = (Template.objects.get(pk=template.pk).updated_at, TemplateHistory.objects.count())
    reader = client_with_scopes("templates:read")
    report = reader.post(f"/v1/templates/{template.id}/validate").json()["data"]
    assert report["fits"] is True and report["predicted_category"] == "utility"
    assert report["flagged_phrases"] == [] and report["cost"]["gap_per_message"] == 0
    assert (
        Template.objects.get(pk=template.pk).updated_at,
        TemplateHistory.objects.count(),
    ) == before


def test_scopes(client_with_scopes, channel, make_template):
    template = make_template()
    reader = client_with_scopes("templates:read")
    assert reader.get("/v1/templates").status_code == 200
    assert (
        error_of(reader.post("/v1/templates", template_body(channel.id)))["code"]
        == "INSUFFICIENT_SCOPE"
    )
    assert (
        error_of(reader.post(f"/v1/templates/{template.id}/submit"))["code"] == "INSUFFICIENT_SCOPE"
    )
    other = client_with_scopes("contacts:read")
    assert error_of(other.get("/v1/templates"))["code"] == "INSUFFICIENT_SCOPE"


def test_other_workspace_gets_404_everywhere(other_client, make_template):
    template = make_template()
    for method, path, body in [
        ("get", f"/v1/templates/{template.id}", None),
        ("patch", f"/v1/templates/{template.id}", {"category": "marketing"}),
        ("post", f"/v1/templates/{template.id}/validate", None),
        ("post", f"/v1/templates/{template.id}/submit", None),
        ("post", f"/v1/templates/{template.id}/resume", None),
    ]:
        response = (
            getattr(other_client, method)(path, body)
            if body
            else getattr(other_client, method)(path)
        )
        assert error_of(response)["code"] == "RESOURCE_NOT_FOUND", (method, path)
    assert other_client.get("/v1/templates").json()["data"] == []


def test_test_mode_and_live_mode_are_separate(api_client, test_client, make_template):
    live = make_template()
    test = make_template(livemode=False)
    assert [t["id"] for t in api_client.get("/v1/templates").json()["data"]] == [live.id]
    assert [t["id"] for t in test_client.get("/v1/templates").json()["data"]] == [test.id]
    assert error_of(test_client.get(f"/v1/templates/{live.id}"))["code"] == "RESOURCE_NOT_FOUND"
    assert (
        error_of(api_client.post(f"/v1/templates/{test.id}/submit"))["code"] == "RESOURCE_NOT_FOUND"
    )


def test_list_filters_are_case_insensitive(api_client, make_template, channel):
    approved = make_template(status="approved")
    make_template()
    marketing = make_template(category="marketing")
    ids = lambda params: [t["id"] for t in api_client.get("/v1/templates", params).json()["data"]]  # noqa: E731
    assert ids({"status": "APPROVED"}) == [approved.id]
    assert ids({"category": "Marketing"}) == [marketing.id]
    assert len(ids({"channel_id": channel.id, "language": "EN_us"})) == 3
    assert ids({"channel_id": "chan_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e"}) == []
    error = error_of(api_client.get("/v1/templates", {"status": "live"}))
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "status"
    assert (
        error_of(api_client.get("/v1/templates", {"channel_id": "conv_1"}))["code"]
        == "VALIDATION_ERROR"
    )


def test_list_pages_with_a_bounded_number_of_queries(
    api_client, make_template, django_assert_max_num_queries
):
    for _ in range(60):
        make_template()
    with django_assert_max_num_queries(12):
        response = api_client.get("/v1/templates", {"limit": 50})
    body = response.json()
    assert len(body["data"]) == 50 and body["pagination"]["has_more"] is True
    rest = api_client.get(
        "/v1/templates", {"limit": 50, "cursor": body["pagination"]["next_cursor"]}
    )
    assert len(rest.json()["data"]) == 10
