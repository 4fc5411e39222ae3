"""Meta's template review, simulated for tests and demos: the category Meta's
review gives a template (test mode's review and the Graph API simulator both use
it), and Meta's template webhooks, signed, posted to /meta/webhook."""

import json

from instantreply.meta import signatures, simulator

from . import classifier
from .services.sync import components_from_meta


def reviewed_category(*, components: list[dict], category: str) -> str:
    """The category a review in Meta's manner approves: since April 2025 Meta
    re-categorises a utility template whose content is marketing as marketing (it
    does not move a template the other way). Judged by the classifier that
    ``validate`` and ``category_check`` use."""
    if category != "utility":
        return category
    verdict = classifier.classify(components=components, requested_category=category)
    return "marketing" if verdict["predicted_category"] == "marketing" else category


def graph_review_category(meta_components: list, category: str) -> str:
    """``reviewed_category`` for the Graph API simulator, in Meta's shapes (upper-case
    component types and category); registered from ``TemplatesAppConfig.ready()``."""
    components, _ = components_from_meta(meta_components)
    return reviewed_category(components=components, category=str(category).lower()).upper()


def post_template_status(client, template, *, event: str, reason: str | None = None):
    """Post Meta's status webhook for ``template`` through ``client`` (a
    django.test.Client or anything with the same ``post``); returns the response."""
    payload = simulator.template_status_payload(
        waba_id=template.channel.waba_id,
        meta_template_id=template.meta_template_id,
        name=template.name,
        language=template.language,
        event=event,
        reason=reason,
        category=template.category.upper(),
    )
    return _post_signed(client, payload)


def post_template_category(client, template, *, new_category: str):
    """Post Meta's ``template_category_update`` webhook moving ``template`` to
    ``new_category`` (lower case, as the API names it); returns the response."""
    payload = simulator.template_category_payload(
        waba_id=template.channel.waba_id,
        meta_template_id=template.meta_template_id,
        name=template.name,
        language=template.language,
        previous_category=template.category.upper(),
        new_category=new_category.upper(),
    )
    return _post_signed(client, payload)


def _post_signed(client, payload: dict):
    body = json.dumps(payload).encode()
    return client.post(
        "/meta/webhook",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signatures.sign(body)},
    )
