"""The sentence-level category model: logistic regression over named features.

Each sentence gets a promotion score ``z = Σ weight[feature] + Σ weight_i · vector_i``
(its named features and its sentence vector, ``vectors.py``); its probability
of being promotional is ``sigmoid(z)``, and a template is marketing when its most
promotional sentence is (Meta: any promotional sentence makes the whole template
marketing). The corpus labels templates, not sentences, so training is
multiple-instance learning: the template's score is a soft maximum (log-sum-exp)
of its sentences' scores, fitted with the logistic loss. A utility template pushes
every one of its sentences down; a marketing template pushes up the sentence that
already looks most promotional, which is how the model finds the cross-sell at
the end of an order confirmation without anyone marking it.

Training is plain Python, deterministic (fixed order, no random numbers, AdaGrad
steps), and takes seconds; ``manage.py train_category_model`` writes the weights
to ``templates_app/data/category_model.json``, which ships with the code. At
inference the model is a dictionary lookup per feature and a 64-term dot product.
"""

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "category_model.json"
FORMAT_VERSION = 1

# Hyper-parameters, chosen on the train split only (cross-validation, then
# leave-one-writer-out over batch train-5 for the threshold).
EPOCHS = 50
LEARNING_RATE = 0.1
L2 = 1e-4
# Word features are many and each is rare, so they are held back harder than the
# few hand-written cue families, which are what carries over to unseen wording.
L2_WORDS = 3e-4
WORD_PREFIXES = ("w:", "first:", "bi:")
POOL_SHARPNESS = 4.0
THRESHOLD = 0.5
# Weights this small change no score by a visible amount; leaving them out keeps
# the shipped file reviewable.
MIN_WEIGHT = 1e-4

# A sentence as the model reads it: its named features and its sentence vector
# (``vectors.py``; empty when no vectors are used).
Instance = tuple[Sequence[str], Sequence[float]]
Bag = tuple[Sequence[Instance], bool]
DENSE_PREFIX = "emb:"


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def dense_weights(weights: dict[str, float], size: int) -> list[float]:
    return [weights.get(f"{DENSE_PREFIX}{i}", 0.0) for i in range(size)]


def score(
    weights: dict[str, float],
    features: Iterable[str],
    vector: Sequence[float] = (),
    dense: Sequence[float] | None = None,
) -> float:
    """A sentence's promotion score; ``dense`` is ``dense_weights(weights, …)`` when
    the caller scores many sentences with the same weights."""
    total = sum(weights.get(f, 0.0) for f in features)
    if vector:
        if dense is None:
            dense = dense_weights(weights, len(vector))
        total += sum(w * v for w, v in zip(dense, vector, strict=True))
    return total


def train(
    bags: Sequence[Bag],
    *,
    epochs: int = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    l2: float = L2,
    l2_words: float = L2_WORDS,
    sharpness: float = POOL_SHARPNESS,
) -> dict[str, float]:
    """Weights fitted to ``bags``: (a template's sentences as (features, vector),
    is-marketing). Deterministic for a given input order."""
    weights: dict[str, float] = {}
    squared: dict[str, float] = {}
    # The sentence-vector weights are a list beside the named ones (same update rule).
    size = max((len(v) for sentences, _ in bags for _, v in sentences), default=0)
    dense = [0.0] * size
    dense_squared = [0.0] * size
    for _ in range(epochs):
        for sentences, positive in bags:
            if not sentences:
                continue
            zs = [
                sum(weights.get(f, 0.0) for f in feats)
                + sum(w * v for w, v in zip(dense, vector, strict=False))
                for feats, vector in sentences
            ]
            top = max(zs)
            shares = [math.exp(sharpness * (z - top)) for z in zs]
            total = sum(shares)
            pooled = top + math.log(total) / sharpness
            error = sigmoid(pooled) - (1.0 if positive else 0.0)
            gradient: dict[str, float] = {}
            dense_gradient = [0.0] * size
            for (feats, vector), share in zip(sentences, shares, strict=True):
                g = error * share / total
                for f in feats:
                    gradient[f] = gradient.get(f, 0.0) + g
                for i, v in enumerate(vector):
                    dense_gradient[i] += g * v
            for f, g in gradient.items():
                w = weights.get(f, 0.0)
                g += (l2_words if f.startswith(WORD_PREFIXES) else l2) * w
                squared[f] = squared.get(f, 0.0) + g * g
                weights[f] = w - learning_rate * g / (math.sqrt(squared[f]) + 1e-8)
            if any(dense_gradient):
                for i, g in enumerate(dense_gradient):
                    g += l2 * dense[i]
                    dense_squared[i] += g * g
                    dense[i] -= learning_rate * g / (math.sqrt(dense_squared[i]) + 1e-8)
    weights.update({f"{DENSE_PREFIX}{i}": w for i, w in enumerate(dense)})
    return {f: round(w, 6) for f, w in sorted(weights.items()) if abs(w) >= MIN_WEIGHT}


def same_weights(a: dict[str, float], b: dict[str, float], *, tolerance: float = 1e-4) -> bool:
    """Whether two weight sets are the same model: the same features, each weight
    equal up to the last digits floating-point summation may move on another CPU."""
    return a.keys() == b.keys() and all(abs(a[f] - b[f]) <= tolerance for f in a)


def save(weights: dict[str, float], *, path: Path = MODEL_PATH, trained_on: dict) -> None:
    document = {
        "format": FORMAT_VERSION,
        "description": "Sentence-level promotion model for the template category classifier "
        "(templates_app/classifier). Written by `manage.py train_category_model`; do not "
        "edit by hand.",
        "threshold": THRESHOLD,
        "trained_on": trained_on,
        "hyper_parameters": {
            "epochs": EPOCHS,
            "learning_rate": LEARNING_RATE,
            "l2": L2,
            "l2_words": L2_WORDS,
            "pool_sharpness": POOL_SHARPNESS,
        },
        "weights": weights,
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def model_id(path: Path = MODEL_PATH) -> str:
    """A short content hash of a model file: which model a figure belongs to."""
    return "catm_" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@cache
def shipped() -> tuple[dict[str, float], float]:
    """The shipped weights and decision threshold (read once per process)."""
    document = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT_VERSION:
        raise RuntimeError(
            f"{MODEL_PATH.name} has format {document.get('format')!r}; expected "
            f"{FORMAT_VERSION}. Run `manage.py train_category_model`."
        )
    return document["weights"], float(document["threshold"])
