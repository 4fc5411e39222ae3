"""Documentation for people (§12): the interactive reference at /docs, the
getting-started guide and the error catalogue pages. Plain Django templates;
every asset is served by this app (no CDN, no request leaves the host).

The guide's code samples live as files in ``samples/`` — one per section and
runtime — so the page and the test that runs them read the same text.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.shortcuts import render
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.negotiation import BaseContentNegotiation

from developer.onboarding import STEPS
from instantreply.api.errors import PLATFORM_ERRORS, all_errors

SAMPLES_DIR = Path(__file__).parent / "samples"
BASE_URL_PLACEHOLDER = "__BASE_URL__"


@dataclass(frozen=True)
class Runtime:
    id: str
    label: str
    extension: str
    language: str


RUNTIMES = (
    Runtime("curl", "curl", "sh", "bash"),
    Runtime("node", "Node fetch", "mjs", "javascript"),
    Runtime("python", "Python requests", "py", "python"),
    # The official SDKs (sdks/), beside the plain-HTTP samples.
    Runtime("python-sdk", "Python SDK", "sdk.py", "python"),
    Runtime("typescript-sdk", "TypeScript SDK", "sdk.ts", "typescript"),
)
SECTIONS = ("authentication", "sandbox", "idempotency", "pagination", "webhooks", "errors")


@lru_cache(maxsize=1)
def _sample_sources() -> dict[str, dict[str, str]]:
    return {
        section: {
            r.id: (SAMPLES_DIR / f"{section}.{r.extension}").read_text(encoding="utf-8")
            for r in RUNTIMES
        }
        for section in SECTIONS
    }


def samples_for(base_url: str) -> dict[str, list[dict]]:
    return {
        section: [
            {
                "runtime": r.id,
                "label": r.label,
                "language": r.language,
                "code": sources[r.id].replace(BASE_URL_PLACEHOLDER, base_url),
            }
            for r in RUNTIMES
        ]
        for section, sources in _sample_sources().items()
    }


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def getting_started(request):
    base_url = _base_url(request)
    return render(
        request,
        "docs/getting_started.html",
        {
            "base_url": base_url,
            "runtimes": RUNTIMES,
            "samples": samples_for(base_url),
            "steps": STEPS,
            "section": "guide",
        },
    )


def catalogue_entries() -> list:
    """Each code once, first entry winning, as ``errors.lookup`` resolves it."""
    seen: dict[str, object] = {}
    for spec in all_errors():
        seen.setdefault(spec.code, spec)
    return list(seen.values())


def _group_of(spec) -> str:
    if spec.code in PLATFORM_ERRORS:
        return "api"
    return "meta" if spec.source == "meta" else "delivery"


_GROUPS = (
    (
        "api",
        "API errors",
        "Answers of this API: the code of the error envelope of every non-2xx response.",
    ),
    (
        "meta",
        "Meta delivery errors",
        "Codes Meta (WhatsApp Cloud API, Instagram, Messenger) reports for a send or a "
        "template; they appear in a message's or trigger's error with source meta.",
    ),
    (
        "delivery",
        "Delivery outcomes",
        "What InstantReply reports when a send could not be completed for a reason of its "
        "own or an unknown one; they appear in a message's or trigger's error with source "
        "platform.",
    ),
)


def errors_page(request):
    entries = catalogue_entries()
    groups = [
        {
            "source": key,
            "title": title,
            "intro": intro,
            "specs": [s for s in entries if _group_of(s) == key],
        }
        for key, title, intro in _GROUPS
    ]
    return render(
        request,
        "docs/errors.html",
        {"groups": [g for g in groups if g["specs"]], "count": len(entries), "section": "errors"},
    )


SNIPPETS = {
    "generators": {
        "curl_bash": {"title": "curl", "syntax": "bash"},
        "node_fetch": {"title": "Node fetch", "syntax": "javascript"},
        "python_requests": {"title": "Python requests", "syntax": "python"},
    },
    "defaultExpanded": True,
}


class AlwaysHtml(BaseContentNegotiation):
    """The reference is a page for people: HTML whatever the Accept header says
    (a browser extension or an HTTP client sending application/json got a 422)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReferenceView(SpectacularSwaggerView):
    """Swagger UI from the sidecar package, with the guide's navigation and request
    snippets for curl, Node and Python. ``validatorUrl: null`` keeps Swagger UI
    from calling its public validator: the page talks to this host only."""

    template_name = "docs/reference.html"
    url_name = "openapi"
    title = "InstantReply API reference"
    content_negotiation_class = AlwaysHtml

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        settings = {
            **spectacular_settings.SWAGGER_UI_SETTINGS,
            "validatorUrl": None,
            "requestSnippetsEnabled": True,
            "requestSnippets": SNIPPETS,
        }
        # Swagger UI's settings are spliced into the page as a JS expression, so the
        # snippet plugin (a function, defined by the template) can be added to them.
        response.data["settings"] = (
            f"Object.assign({json.dumps(settings)}, {{plugins: [window.InstantReplySnippets]}})"
        )
        response.data["section"] = "reference"
        return response
