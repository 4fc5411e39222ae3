"""The category report of POST /v1/templates/:id/validate: what the classifier
reads as marketing, coaching to fix it, and what a mismatch would cost."""

from instantreply.api.errors import field_error

from .. import classifier, pricing, rules
from ..models import Template


def template_validate(*, template: Template, market: str | None) -> dict:
    """The report, with no side effects. ``problems`` are what submit would refuse
    (the 422 details it would answer): today, examples that do not match the body's
    variables yet, which a draft may have (§8)."""
    card = pricing.rate_card()
    try:
        country = pricing.resolve_market(
            market=market, phone=template.channel.display_handle, card=card
        )
    except pricing.UnknownMarket as exc:
        raise field_error("market", str(exc), f"{exc}.")
    report = _classified(template)
    predicted = report["predicted_category"]
    return {
        "template_id": template.id,
        "requested_category": template.category,
        **_category_check(template, report),
        "flagged_phrases": report["flagged_phrases"],
        "coaching": report["coaching"],
        "problems": rules.check_examples(template.examples, template.variable_count),
        "cost": pricing.cost_gap(
            requested=template.category, predicted=predicted, country=country, card=card
        ),
    }


def template_category_check(*, template: Template) -> dict:
    """``category_check {fits, predicted_category, confidence}`` of the submit answer:
    the verdict of validate, so a client that skipped it still sees the risk."""
    return _category_check(template, _classified(template))


def _classified(template: Template) -> dict:
    return classifier.classify(components=template.components, requested_category=template.category)


def _category_check(template: Template, report: dict) -> dict:
    return {
        "fits": report["predicted_category"] == template.category,
        "predicted_category": report["predicted_category"],
        "confidence": report["confidence"],
    }
