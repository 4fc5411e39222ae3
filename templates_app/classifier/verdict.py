"""``classify``: the category Meta would give a template, and why.

1. Cut the template into sentences (``text.py``); buttons are sentences too.
2. Score each sentence with the shipped model (``model.py``): how likely it is to
   promote something rather than report on the customer's own transaction.
3. Any promotional sentence makes the template marketing (Meta's rule); so does a
   button that leads to a shop or offer page.
4. Every promotional sentence is explained: the signal phrases inside it (with
   offsets, reason and rewrite), or, when no hand-written signal names it, the
   sentence itself with the words that weighed most.

Commercial words in a sentence the model reads as a transactional fact ("the
discount you applied was …") are not flagged. Deterministic: the same components
always give the same report.
"""

import re

from . import model, signals, text

SHOP_BUTTON_CONFIDENCE = 0.9
_NO_TRANSACTION = (
    "Nothing in the text refers to the customer's own order, booking, payment or "
    "account, so Meta will treat it as marketing. Name the transaction (e.g. 'Your "
    "order {{1}}') if this really is a utility update."
)
_SPLIT_IT = (
    "Split it: keep the transactional facts in this utility template and put the "
    "promotion in a separate marketing template sent only to opted-in customers."
)
_CHEAPER = (
    "This reads as a pure transactional update; submitting it as utility would cost "
    "less per message."
)

# How a sentence the signals do not name is explained, by the cue family that
# weighed most in it.
_FAMILY_SIGNAL = {
    "lex:lapse": "re_engagement",
    "lex:novelty": "launch",
    "lex:pitch": "cross_sell",
    "imp:selling": "call_to_buy",
}
_BY_KIND = {s.kind: s for s in signals.SIGNALS}
_PROMOTION = signals.Signal(
    "promotion",
    3,
    re.compile(r"$^"),
    "This sentence promotes something beyond the customer's own transaction",
    "Remove this sentence or send it in a marketing template; keep utility to the facts "
    "of the customer's order, booking or account.",
)
_FAMILY_WORDS = {
    "lex:lapse": "an invitation to come back",
    "lex:novelty": "news of something new",
    "lex:pitch": "an offer of something more",
    "imp:selling": "a call to buy",
    "ctx:no_anchor": "no order, booking or account mentioned",
    "ctx:no_anchor|not_addressed": "no order, booking or account mentioned",
    "short_question": "a teaser question",
}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _word_for(sentence_text: str, stem: str) -> str | None:
    """The word as written in the sentence for a stemmed feature word."""
    return next(
        (
            w
            for w in _WORD_RE.findall(sentence_text)
            if text.tokens(w) == [stem] or w.lower() == stem
        ),
        None,
    )


def _cues(sentence: text.Sentence, weights: dict[str, float], limit: int = 3) -> list[str]:
    """The features that pushed this sentence up the most, in words a person reads."""
    ranked = sorted(
        (f for f in sentence.features if weights.get(f, 0.0) > 0),
        key=lambda f: (-weights[f], f),
    )
    out: list[str] = []
    for feature in ranked:
        if feature.startswith(("w:", "first:", "bi:")):
            stems = (
                feature.split(":", 1)[1].split("_")
                if feature.startswith("bi:")
                else [feature.split(":", 1)[1]]
            )
            if any(stem.startswith("<") for stem in stems):
                continue
            found = [_word_for(sentence.text, stem) for stem in stems]
            cue = f"'{' '.join(found)}'" if all(found) else None
        else:
            cue = _FAMILY_WORDS.get(feature)
        if cue and cue not in out:
            out.append(cue)
        if len(out) == limit:
            break
    return out


def _sentence_finding(sentence: text.Sentence, weights: dict[str, float]) -> signals.Finding:
    families = [f for f in sentence.features if f in _FAMILY_SIGNAL and weights.get(f, 0) > 0]
    family = max(families, key=lambda f: (weights[f], f), default=None)
    base = _BY_KIND.get(_FAMILY_SIGNAL.get(family, ""), _PROMOTION)
    cues = _cues(sentence, weights)
    reason = _PROMOTION.reason
    if cues:
        reason += f" ({', '.join(cues)})"
    reason += ". Meta treats a template with any promotional sentence as marketing."
    signal = signals.Signal(base.kind, base.weight, base.pattern, reason, base.suggestion)
    return signals.Finding(sentence.component, sentence.start, sentence.end, sentence.text, signal)


def _explain(sentence: text.Sentence, button: dict | None, weights) -> list[signals.Finding]:
    hits = [
        signals.Finding(
            sentence.component,
            sentence.start + hit.start,
            sentence.start + hit.end,
            hit.phrase,
            hit.signal,
        )
        for hit in signals.scan(sentence.text, sentence.component)
    ]
    if hits:
        return hits
    if button is not None and _is_shop_button(button):
        return [
            signals.Finding(
                sentence.component, 0, len(sentence.text), sentence.text, signals.SHOP_BUTTON
            )
        ]
    return [_sentence_finding(sentence, weights)]


def _is_shop_button(button: dict) -> bool:
    return bool(
        signals.SHOP_BUTTON_RE.search(button.get("text") or "")
        or signals.SHOP_URL_RE.search(button.get("url") or "")
    )


def classify(*, components: list[dict], requested_category: str) -> dict:
    """``{predicted_category, confidence, score, flagged_phrases, coaching,
    transaction_reference, authentication_problems, sentences}`` for the
    template's components (the API shape)."""
    weights, threshold = model.shipped()
    return judge(
        components=components,
        requested_category=requested_category,
        weights=weights,
        threshold=threshold,
    )


def judge(
    *, components: list[dict], requested_category: str, weights: dict[str, float], threshold: float
) -> dict:
    """``classify`` with the given weights and threshold (training evaluates
    cross-validation folds with it)."""
    sentences = text.template_sentences(components)
    buttons = signals.buttons_of(components)
    body = next((c.get("text") or "" for c in components if c.get("type") == "body"), "")
    auth_problems = (
        signals.authentication_problems(components, body)
        if requested_category == "authentication"
        else []
    )
    # A well-formed one-time-code template is short and fixed in shape; its other
    # sentences are the expiry and the warning ("don't share it"). Only a named
    # promotional signal turns it into marketing.
    code_shaped = requested_category == "authentication" and not auth_problems

    findings: list[signals.Finding] = []
    top = 0.0
    shop_button = False
    report_sentences = []
    dense = model.dense_weights(weights, len(sentences[0].vector)) if sentences else []
    for sentence in sentences:
        probability = model.sigmoid(model.score(weights, sentence.features, sentence.vector, dense))
        button = None
        if sentence.component.startswith("buttons["):
            button = buttons[int(sentence.component[8:-1])]
        cued = (
            any(f.startswith("sig:") for f in sentence.features)
            if code_shaped
            else text.has_cue(sentence.features)
        )
        if cued:
            top = max(top, probability)
        # Meta names buttons to shop or offer pages as marketing outright.
        forced = button is not None and _is_shop_button(button)
        shop_button = shop_button or forced
        promotional = (probability >= threshold and cued) or forced
        if promotional:
            findings.extend(_explain(sentence, button, weights))
        report_sentences.append(
            {
                "component": sentence.component,
                "start": sentence.start,
                "end": sentence.end,
                "promotion": round(probability, 3),
                "promotional": promotional,
            }
        )

    has_transaction = any(s.anchored for s in sentences)

    coaching: list[str] = list(auth_problems)
    if findings:
        predicted = "marketing"
        # A shop-page button is marketing by Meta's own list, whatever the words say.
        confidence = max(top, SHOP_BUTTON_CONFIDENCE) if shop_button else top
        if not has_transaction:
            coaching.append(_NO_TRANSACTION)
    elif requested_category == "authentication" and not auth_problems:
        predicted = "authentication"
        confidence = 1.0 - top
    else:
        predicted = "utility"
        confidence = 1.0 - top

    seen = set()
    for finding in findings:
        if finding.signal.suggestion not in seen:
            seen.add(finding.signal.suggestion)
            coaching.append(finding.signal.suggestion)
    if predicted == "marketing" and requested_category == "utility":
        coaching.append(_SPLIT_IT)
    if predicted == "utility" and requested_category == "marketing":
        coaching.append(_CHEAPER)
    return {
        "predicted_category": predicted,
        "confidence": round(confidence, 2),
        "score": round(top, 3),
        "transaction_reference": has_transaction,
        "flagged_phrases": [
            {
                "phrase": f.phrase,
                "start": f.start,
                "end": f.end,
                "component": f.component,
                "signal": f.signal.kind,
                "reason": f.signal.reason,
                "suggestion": f.signal.suggestion,
            }
            for f in findings
        ],
        "coaching": coaching,
        "authentication_problems": auth_problems,
        "sentences": report_sentences,
    }
