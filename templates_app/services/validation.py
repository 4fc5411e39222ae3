"""The category report of POST /v1/templates/:id/validate: what the classifier
reads as marketing, coaching to fix it, and what a mismatch would cost."""

from instantreply.api.errors import field_error

from .. import classifier, pricing
from ..models import Template


def template_validate(*, template: Template, market: str | None) -> dict:
    """The report, with no side effects."""
    card = pricing.rate_card()
    try:
        country = pricing.resolve_market(
            market=market, phone=template.channel.display_handle, card=card
        )
    except pricing.UnknownMarket as exc:
        raise field_error("market", str(exc), f"{exc}.")
    report = classifier.classify(
        components=template.components, requested_category=template.category
    )
    predicted = report["predicted_category"]
    return {
        "template_id": template.id,
        "requested_category": template.category,
        "predicted_category": predicted,
        "fits": predicted == template.category,
        "confidence": report["confidence"],
        "flagged_phrases": report["flagged_phrases"],
        "coaching": report["coaching"],
        "cost": pricing.cost_gap(
            requested=template.category, predicted=predicted, country=country, card=card
        ),
    }
