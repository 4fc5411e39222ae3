"""Training data, training and evaluation for the category model.

The model is trained on the corpus's ``train`` split plus the project's older
124-template labelled set (templates_app/data/labelled_templates.json, none of it
in the held-out split). ``manage.py train_category_model`` and
``manage.py evaluate_classifier`` are thin wrappers around this module.
"""

import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path

from . import corpus, model, text, vectors
from .verdict import judge

LEGACY_PATH = Path(__file__).resolve().parent.parent / "data" / "labelled_templates.json"


def legacy_rows() -> list[dict]:
    rows = json.loads(LEGACY_PATH.read_text(encoding="utf-8"))["templates"]
    return [{**r, "group": f"legacy_{r['kind']}"} for r in rows]


def training_rows() -> list[dict]:
    return corpus.load("train") + legacy_rows()


def bag(row: dict) -> model.Bag:
    sentences = text.template_sentences(corpus.components_of(row))
    return [(s.features, s.vector) for s in sentences], row["label"] == "marketing"


@cache
def fit() -> tuple[dict[str, float], dict]:
    """Weights trained on the training rows, and a summary of what they saw (once
    per process: the corpus is files that do not change under it)."""
    rows = training_rows()
    weights = model.train([bag(r) for r in rows])
    trained_on = {
        "corpus_split": "train",
        "corpus_templates": len(corpus.load("train")),
        "legacy_templates": len(rows) - len(corpus.load("train")),
        "marketing": sum(r["label"] == "marketing" for r in rows),
        "not_marketing": sum(r["label"] != "marketing" for r in rows),
        "sentence_vectors": vectors.table_id(),
    }
    return weights, trained_on


def _figures(pooled: dict) -> dict:
    tp, fp, fn = pooled["tp"], pooled["fp"], pooled["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def evaluate(
    rows: list[dict], *, weights: dict[str, float] | None = None, threshold: float | None = None
) -> dict:
    """Precision, recall and F1 of "would be marketing" over ``rows``, with the
    confusion counts, accuracy per group and how authentication fared. The shipped
    model unless ``weights``/``threshold`` are given."""
    shipped_weights, shipped_threshold = model.shipped()
    weights = shipped_weights if weights is None else weights
    threshold = shipped_threshold if threshold is None else threshold
    tp = fp = fn = tn = 0
    groups: dict[str, Counter] = {}
    auth_total = auth_right = 0
    for row in rows:
        predicted = judge(
            components=corpus.components_of(row),
            requested_category=row["requested_category"],
            weights=weights,
            threshold=threshold,
        )["predicted_category"]
        marketing = row["label"] == "marketing"
        said_marketing = predicted == "marketing"
        tp += said_marketing and marketing
        fp += said_marketing and not marketing
        fn += not said_marketing and marketing
        tn += not said_marketing and not marketing
        tally = groups.setdefault(row["group"], Counter())
        tally["n"] += 1
        tally["right"] += predicted == row["label"]
        if row["label"] == "authentication":
            auth_total += 1
            auth_right += predicted == "authentication"
    return {
        "size": len(rows),
        "marketing": tp + fn,
        **_figures({"tp": tp, "fp": fp, "fn": fn}),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "authentication": {"size": auth_total, "right": auth_right},
        "groups": {g: {"size": t["n"], "right": t["right"]} for g, t in sorted(groups.items())},
    }


def _fold(item_id: str, folds: int) -> int:
    return int.from_bytes(hashlib.sha256(f"cv:{item_id}".encode()).digest()[:4], "big") % folds


def cross_validate(folds: int = 5, *, threshold: float | None = None) -> dict:
    """K-fold cross-validation on the train split (the legacy set always trains):
    how features, threshold and hyper-parameters were chosen without touching the
    held-out split. Returns the pooled figures."""
    rows = corpus.load("train")
    legacy_bags = [bag(r) for r in legacy_rows()]
    pooled = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for k in range(folds):
        weights = model.train([bag(r) for r in rows if _fold(r["id"], folds) != k] + legacy_bags)
        held = [r for r in rows if _fold(r["id"], folds) == k]
        figures = evaluate(held, weights=weights, threshold=threshold)
        for key in pooled:
            pooled[key] += figures[key]
    return {"folds": folds, "size": len(rows), **_figures(pooled), **pooled}


def leave_one_writer_out(*, threshold: float | None = None) -> dict:
    """Train without one ``train-5`` writer, score that writer; once per writer. The
    closest the train split comes to templates written by someone new, which is
    what the held-out split and real users are: how the threshold, the features
    and the sentence vectors were chosen."""
    rows = training_rows()
    writers = sorted({w for r in rows if (w := corpus.writer_of(r))})
    bags = [bag(r) for r in rows]
    pooled = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    per_writer = {}
    for writer in writers:
        weights = model.train(
            [b for r, b in zip(rows, bags, strict=True) if corpus.writer_of(r) != writer]
        )
        held = [r for r in rows if corpus.writer_of(r) == writer]
        figures = evaluate(held, weights=weights, threshold=threshold)
        per_writer[writer] = {
            k: figures[k] for k in ("size", "precision", "recall", "tp", "fp", "fn", "tn")
        }
        for key in pooled:
            pooled[key] += figures[key]
    return {
        "writers": per_writer,
        "size": sum(w["size"] for w in per_writer.values()),
        **_figures(pooled),
        **pooled,
    }
