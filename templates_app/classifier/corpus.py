"""The labelled category corpus (templates_app/data/corpus/*.jsonl) and its fixed split.

Every item was written from Meta's category guidance (META.md §3) and carries its
label, the group it exercises and a one-line reason. The held-out split is chosen
by a seeded hash of the item's id, so it was fixed before any tuning, never moves
when items are added or edited, and needs no bookkeeping in the data files. The
classifier is tuned and trained on the ``train`` split only; ``heldout`` is for
the figures in the README.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
SPLIT_SEED = "instantreply-category-corpus-v1"
HELDOUT_PERCENT = 35
SPLITS = ("train", "heldout", "all")


def split_of(item_id: str) -> str:
    digest = hashlib.sha256(f"{SPLIT_SEED}:{item_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT else "train"


@cache
def _all_rows() -> tuple[dict, ...]:
    rows = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return tuple(rows)


def load(split: str = "all") -> list[dict]:
    """The corpus rows of ``split`` (train, heldout or all), in file order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    return [dict(r) for r in _all_rows() if split == "all" or split_of(r["id"]) == split]


def components_of(row: dict) -> list[dict]:
    """A corpus row as the template components the classifier reads."""
    components = []
    if row.get("header"):
        components.append({"type": "header", "format": "text", "text": row["header"]})
    components.append({"type": "body", "text": row["body"]})
    if row.get("footer"):
        components.append({"type": "footer", "text": row["footer"]})
    if row.get("buttons"):
        components.append({"type": "buttons", "buttons": row["buttons"]})
    return components
