import json
from pathlib import Path

import pytest

from templates_app import pricing
from templates_app.classifier import classify, corpus

DATA = Path(__file__).resolve().parents[2] / "templates_app" / "data"


def _components(row):
    return corpus.components_of(row)


def test_a_shipping_update_fits_utility():
    report = classify(
        components=[
            {"type": "body", "text": "Your order {{1}} has shipped and will arrive on {{2}}."}
        ],
        requested_category="utility",
    )
    assert report["predicted_category"] == "utility"
    assert report["flagged_phrases"] == []
    assert report["confidence"] >= 0.8


def test_a_shipping_update_with_a_coupon_is_marketing_with_offsets():
    text = "Your order {{1}} has shipped! Use code SAVE20 for 20% off your next order."
    report = classify(components=[{"type": "body", "text": text}], requested_category="utility")
    assert report["predicted_category"] == "marketing"
    by_signal = {p["signal"]: p for p in report["flagged_phrases"]}
    coupon, discount = by_signal["coupon"], by_signal["discount"]
    assert (coupon["start"], coupon["end"]) == (text.index("Use code"), text.index(" for 20%"))
    assert text[coupon["start"] : coupon["end"]] == coupon["phrase"] == "Use code SAVE20"
    assert (discount["start"], discount["end"]) == (text.index("20%"), text.index("20%") + 7)
    assert discount["phrase"] == "20% off"
    assert all(
        p["component"] == "body" and p["reason"] and p["suggestion"] for p in (coupon, discount)
    )
    assert any("separate marketing template" in c for c in report["coaching"])


def test_a_receipt_naming_an_applied_code_is_not_an_offer():
    report = classify(
        components=[
            {
                "type": "body",
                "text": "Your coupon code {{1}} was applied to order {{2}}; you paid {{3}}.",
            }
        ],
        requested_category="utility",
    )
    assert report["predicted_category"] == "utility"


def test_a_greeting_with_no_transaction_is_marketing():
    report = classify(
        components=[{"type": "body", "text": "Hi {{1}}, hope you're having a great week!"}],
        requested_category="utility",
    )
    assert report["predicted_category"] == "marketing"
    assert any("Nothing in the text refers" in c for c in report["coaching"])


def test_a_shop_page_button_is_flagged():
    report = classify(
        components=[
            {"type": "body", "text": "Your order {{1}} has been delivered. Enjoy it."},
            {
                "type": "buttons",
                "buttons": [{"type": "url", "text": "Visit", "url": "https://x.example.com/sale"}],
            },
        ],
        requested_category="utility",
    )
    assert report["predicted_category"] == "marketing"
    assert report["flagged_phrases"][0]["component"] == "buttons[0]"


@pytest.mark.parametrize(
    "body, predicted, problems",
    [
        ("{{1}} is your verification code. Do not share it.", "authentication", 0),
        ("Your code is {{1}}. Also shop our sale!", "marketing", 0),
        ("Your login code is {{1}} and your order {{2}} shipped.", "utility", 1),
    ],
)
def test_authentication_shape(body, predicted, problems):
    report = classify(
        components=[{"type": "body", "text": body}], requested_category="authentication"
    )
    assert report["predicted_category"] == predicted
    assert len(report["authentication_problems"]) == problems
    assert set(report["authentication_problems"]) <= set(report["coaching"])


def test_the_labelled_set_is_big_and_varied_enough():
    rows = json.loads((DATA / "labelled_templates.json").read_text())["templates"]
    kinds = {r["kind"] for r in rows}
    assert len(rows) >= 80
    assert {"utility", "marketing", "borderline", "authentication"} <= kinds
    assert len({r["id"] for r in rows}) == len(rows)


def test_precision_and_recall_of_would_be_marketing_on_the_labelled_set():
    rows = json.loads((DATA / "labelled_templates.json").read_text())["templates"]
    tp = fp = fn = 0
    for row in rows:
        predicted = classify(
            components=_components(row), requested_category=row["requested_category"]
        )["predicted_category"]
        is_marketing = row["label"] == "marketing"
        tp += predicted == "marketing" and is_marketing
        fp += predicted == "marketing" and not is_marketing
        fn += predicted != "marketing" and is_marketing
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall


def test_the_rate_card_matches_the_reference_figures():
    card = pricing.rate_card()
    assert card["effective_date"] == "2026-07-01"
    us = card["markets"][card["countries"]["US"]["market"]]
    assert (us["marketing"], us["utility"], us["authentication"]) == (0.025, 0.0034, 0.0034)
    nl = card["markets"][card["countries"]["NL"]["market"]]
    assert nl["marketing"] == 0.1597


@pytest.mark.parametrize(
    "phone, country",
    [
        ("+1 415 555 0100", "US"),
        ("+44 20 7946 0000", "GB"),
        ("+351 21 000 0000", "PT"),
        ("+34 600 000 000", "ES"),
        ("+81 3 0000 0000", None),
        (None, None),
    ],
)
def test_market_from_the_phone_calling_code(phone, country):
    assert pricing.country_for_phone(phone, pricing.rate_card()) == country


def test_cost_gap_is_exact():
    card = pricing.rate_card()
    gap = pricing.cost_gap(requested="utility", predicted="marketing", country="DE", card=card)
    assert gap["gap_per_message"] == pytest.approx(0.1365 - 0.0550)
    assert gap["gap_per_1000"] == pytest.approx(81.5)
    assert gap["requested_rate"] == 0.055 and gap["predicted_rate"] == 0.1365
