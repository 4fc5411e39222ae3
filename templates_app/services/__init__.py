"""Writes on templates, one module per stage of a template's life:

- ``definitions``: create and edit, checked against WhatsApp's template rules;
- ``validation``: the category report and its coaching (no side effects);
- ``submission``: submit for Meta's review, record Meta's answer to it, and resume a
  template the cost guard paused;
- ``meta_status``: Meta's later decisions (status and category webhooks);
- ``sync``: pull every template of a WABA from Meta.

The checks a template send goes through are reads: ``templates_app.selectors``."""

from ._common import _set_status
from .definitions import template_create, template_update
from .meta_status import META_STATUS, explain_rejection, template_status_from_meta
from .submission import (
    meta_components,
    template_record_acceptance,
    template_record_rejection,
    template_resume,
    template_submit,
)
from .sync import template_sync
from .validation import template_category_check, template_validate

__all__ = [
    "META_STATUS",
    "_set_status",
    "explain_rejection",
    "meta_components",
    "template_create",
    "template_record_acceptance",
    "template_category_check",
    "template_record_rejection",
    "template_resume",
    "template_status_from_meta",
    "template_submit",
    "template_sync",
    "template_update",
    "template_validate",
]
