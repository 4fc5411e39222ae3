"""The labelled corpus, its fixed split, the shipped model and the hard cases of
issue 11. Examples that pin behaviour come from the train split (asserted) or are
written here; the held-out split is only ever scored as a whole."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from templates_app.classifier import classify, corpus, model, training, vectors

GROUPS = {
    "utility",
    "utility_commercial",
    "utility_notice",
    "win_back",
    "re_engagement",
    "reorder_nudge",
    "cross_sell",
    "plain_promotion",
    "marketing",
    "authentication",
}

# The held-out figures the README reports, for the shipped model. Deterministic:
# the corpus and the model are files in the repo. A change to either that moves
# them must update the README too.
HELDOUT = {"size": 1010, "tp": 423, "fp": 5, "fn": 21, "tn": 561}


def _predict(row: dict) -> str:
    return classify(
        components=corpus.components_of(row), requested_category=row["requested_category"]
    )["predicted_category"]


def _train_row(item_id: str) -> dict:
    row = next(r for r in corpus.load("all") if r["id"] == item_id)
    assert corpus.split_of(row) == "train", f"{item_id} must not be a held-out example"
    return row


def test_the_corpus_is_large_varied_and_every_item_is_labelled_with_a_reason():
    rows = corpus.load("all")
    assert len(rows) >= 400
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["group"] for r in rows} == GROUPS
    assert all(r["label"] in ("marketing", "utility", "authentication") for r in rows)
    assert all(r["reason"].strip() and r["body"].strip() for r in rows)
    assert len({r["industry"] for r in rows}) >= 100
    assert min(sum(r["group"] == g for r in rows) for g in GROUPS) >= 40


def test_the_held_out_split_is_the_independent_batch_and_at_least_30_percent():
    rows, heldout = corpus.load("all"), corpus.load("heldout")
    assert len(heldout) / len(rows) >= 0.30
    assert len(corpus.load("train")) + len(heldout) == len(rows)
    assert {r["batch"] for r in heldout} == {"heldout-2"}
    # Four writers, each with every group.
    writers = {r["id"].split("-")[0] for r in heldout}
    assert writers == {"h2a", "h2b", "h2c", "h2e"}
    for writer in writers:
        assert {r["group"] for r in heldout if r["id"].startswith(writer)} == GROUPS
    by_id = {r["id"]: r for r in rows}
    assert [corpus.split_of(by_id[i]) for i in ("u-001", "uc-001", "t5d-001", "h2a-001")] == [
        "train",
        "train",
        "train",
        "heldout",
    ]
    assert [corpus.writer_of(by_id[i]) for i in ("u-001", "t5d-001", "h2a-001")] == [
        None,
        "t5d",
        None,
    ]
    with pytest.raises(ValueError):
        corpus.load("test")


def test_no_held_out_text_repeats_a_training_text():
    seen = {r["body"].strip().lower() for r in training.training_rows()}
    repeated = [r for r in corpus.load("heldout") if r["body"].strip().lower() in seen]
    # Two one-time-code texts are word for word what another writer wrote ("Your login
    # code is {{1}}. It expires in 10 minutes."): OTP wording is close to Meta's fixed
    # preset. No marketing or utility text repeats.
    assert {r["group"] for r in repeated} <= {"authentication"}
    assert len(repeated) <= 2


def test_the_shipped_model_is_what_training_on_the_train_split_gives():
    weights, trained_on = training.fit()
    shipped = json.loads(model.MODEL_PATH.read_text(encoding="utf-8"))
    assert model.same_weights(shipped["weights"], weights)
    assert shipped["trained_on"] == trained_on
    assert trained_on["sentence_vectors"] == vectors.table_id()
    assert trained_on["corpus_templates"] == len(corpus.load("train"))


def test_held_out_figures_match_the_readme():
    figures = training.evaluate(corpus.load("heldout"))
    assert {k: figures[k] for k in HELDOUT} == HELDOUT


@pytest.mark.parametrize(
    "item_id",
    [
        # Utility that uses commercial words inside a transactional fact.
        "uc-005",
        "uc-007",
        "uc-009",
        # Plain transactional notices: delivery, schedule change, results, limits.
        "u-003",
        "un-003",
        "un-002",
        "un-006",
    ],
)
def test_hard_utility_cases_from_the_train_split_stay_utility(item_id):
    row = _train_row(item_id)
    assert row["label"] == "utility"
    assert _predict(row) == "utility"


@pytest.mark.parametrize(
    "item_id",
    [
        "wb-001",  # win-back
        "wb-003",
        "re-003",  # re-engagement
        "re-005",
        "ro-003",  # reorder nudge
        "ro-006",
        "cs-008",  # cross-sell appended to a confirmation
        "cs-010",
        "pp-006",  # plain promotion, no trigger words
        "pp-008",
    ],
)
def test_subtle_marketing_from_the_train_split_is_marketing(item_id):
    row = _train_row(item_id)
    assert row["label"] == "marketing"
    assert _predict(row) == "marketing"


@pytest.mark.parametrize("item_id", ["a-001", "a-003", "a-004", "a-005"])
def test_one_time_codes_from_the_train_split_stay_authentication(item_id):
    row = _train_row(item_id)
    assert _predict(row) == "authentication"


def test_a_cross_sell_appended_to_a_confirmation_is_flagged_at_its_sentence():
    text = (
        "Your order {{1}} has shipped and arrives on {{2}}. "
        "Customers who bought this tent often add the matching footprint."
    )
    report = classify(components=[{"type": "body", "text": text}], requested_category="utility")
    assert report["predicted_category"] == "marketing"
    [flag] = report["flagged_phrases"]
    start = text.index("Customers")
    assert (flag["start"], flag["end"], flag["component"]) == (start, len(text), "body")
    assert flag["phrase"] == text[start:]
    assert flag["signal"] == "cross_sell"
    assert "any promotional sentence" in flag["reason"] and flag["suggestion"]
    assert [s["promotional"] for s in report["sentences"]] == [False, True]


def test_commercial_words_inside_a_transactional_fact_are_not_promotion():
    text = "Your refund of {{1}} reflects the 20% discount you applied at checkout."
    report = classify(components=[{"type": "body", "text": text}], requested_category="utility")
    assert report["predicted_category"] == "utility"
    assert report["flagged_phrases"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Your bag {{1}} was found and will be delivered to {{2}} tonight. "
        "No need to come back to the airport.",
        "Your replacement card is on its way. You won't need to add it to your wallet again.",
    ],
)
def test_a_pitch_or_lapse_phrase_under_a_negation_is_not_promotion(text):
    report = classify(components=[{"type": "body", "text": text}], requested_category="utility")
    assert report["predicted_category"] == "utility"
    assert report["flagged_phrases"] == []


def test_sentence_vectors_come_from_the_shipped_table_offline_and_are_deterministic():
    first = vectors.embed(["Your order has shipped.", "Try our new autumn menu."])
    assert [len(v) for v in first] == [vectors.DIMENSIONS, vectors.DIMENSIONS]
    assert first != [first[0], first[0]]
    assert vectors.embed(["Your order has shipped.", "Try our new autumn menu."]) == first
    assert vectors.embed([]) == []
    assert vectors.table_id().startswith("vec_")


def test_a_one_time_code_with_a_promotion_is_marketing():
    report = classify(
        components=[
            {"type": "body", "text": "{{1}} is your code. Get 20% off your next order today!"}
        ],
        requested_category="authentication",
    )
    assert report["predicted_category"] == "marketing"
    assert {p["signal"] for p in report["flagged_phrases"]} >= {"discount"}


def test_every_flag_points_at_its_own_text_with_a_reason_and_a_rewrite():
    for row in corpus.load("all") + training.legacy_rows():
        components = corpus.components_of(row)
        texts = {c["type"]: c.get("text") for c in components}
        buttons = row.get("buttons") or []
        report = classify(components=components, requested_category=row["requested_category"])
        for flag in report["flagged_phrases"]:
            where = flag["component"]
            source = (
                buttons[int(where[8:-1])]["text"] if where.startswith("buttons[") else texts[where]
            )
            assert source[flag["start"] : flag["end"]] == flag["phrase"], (row["id"], flag)
            assert flag["reason"] and flag["suggestion"], (row["id"], flag)
        assert (report["predicted_category"] == "marketing") == bool(report["flagged_phrases"])


def test_classify_is_deterministic():
    row = _train_row("cs-008")
    components = corpus.components_of(row)
    first = classify(components=components, requested_category="utility")
    assert all(
        classify(components=components, requested_category="utility") == first for _ in range(3)
    )


def test_the_evaluate_command_prints_the_held_out_figures_as_json():
    out = StringIO()
    call_command("evaluate_classifier", "--split", "heldout", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["id"] == model.model_id() and figures["id"].startswith("catm_")
    assert {k: figures[k] for k in HELDOUT} == HELDOUT
    assert (figures["precision"], figures["recall"]) == (0.988, 0.953)
    with pytest.raises(CommandError, match="no heldout templates in batch 9"):
        call_command("evaluate_classifier", "--batch", "9", stdout=StringIO())


def test_the_train_command_confirms_the_shipped_model_is_current():
    out = StringIO()
    call_command("train_category_model", "--check", stdout=out)
    assert "is up to date" in out.getvalue()
    out = StringIO()
    call_command("train_category_model", "--check", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["id"], report["written"]) == (model.model_id(), False)
    assert report["trained_on"]["corpus_templates"] == len(corpus.load("train"))
