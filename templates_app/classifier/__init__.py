"""The template category classifier: ``classify(components=…, requested_category=…)``.

Modules: ``text`` (sentences and features), ``signals`` (hand-written promotional
signals and the transaction anchor), ``model`` (the sentence model and its
training), ``verdict`` (``classify``), ``corpus`` (the labelled corpus and its
fixed split), ``training`` (train and evaluate).
"""

from .verdict import classify

__all__ = ["classify"]
