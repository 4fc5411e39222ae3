"""The documentation pages for people (§12): served with DEBUG off, assets from the
app itself, an anchor for every error code and onboarding step."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.utils.html import escape

from developer.docs.views import RUNTIMES, SECTIONS
from developer.onboarding import STEPS, step_doc_url
from instantreply.api.errors import all_errors, doc_url

DOCS_BASE = "http://testserver/docs"


class _Collector(HTMLParser):
    """Element ids and the assets (scripts, stylesheets) a page loads."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and not attrs["href"].startswith("data:"):
            self.assets.append(attrs["href"])


def parse(response) -> _Collector:
    collector = _Collector()
    collector.feed(response.content.decode())
    return collector


def section_text(page: str, anchor: str) -> str:
    """The HTML inside the section carrying ``id=anchor``."""
    match = re.search(
        rf'<section class="error" id="{re.escape(anchor)}">(.*?)</section>', page, re.S
    )
    assert match, f"no section with id={anchor!r}"
    return match.group(1)


@pytest.fixture
def client(db):
    return Client()


@override_settings(DEBUG=False)
def test_the_reference_renders_with_assets_served_by_the_app(client):
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="swagger-ui"' in page
    assert "/v1/openapi.json" in page
    assert '"validatorUrl": null' in page
    collected = parse(response)
    assert collected.assets, "the page loads Swagger UI's files"
    for asset in collected.assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
    assert client.get("/v1/openapi.json").status_code == 200


@override_settings(DEBUG=False)
def test_the_guide_has_every_section_in_every_runtime(client):
    response = client.get("/docs/getting-started")
    assert response.status_code == 200
    page = response.content.decode()
    for section in SECTIONS:
        for runtime in RUNTIMES:
            assert f'data-section="{section}" data-runtime="{runtime.id}"' in page
    assert "__BASE_URL__" not in page
    assert "http://testserver/v1/developer/capabilities" in page
    for runtime in RUNTIMES:
        assert f'<button type="button" data-runtime="{runtime.id}"' in page


@override_settings(DOCS_BASE_URL=DOCS_BASE)
def test_every_error_doc_url_lands_on_a_section_naming_its_code(client):
    specs = all_errors()
    assert len(specs) > 30, "platform and Meta codes are registered"
    assert {s.source for s in specs} >= {"platform", "meta"}
    pages: dict[str, str] = {}
    for spec in specs:
        url = urlsplit(doc_url(spec.code))
        assert url.fragment == spec.code
        if url.path not in pages:
            response = client.get(url.path)
            assert response.status_code == 200, url.path
            pages[url.path] = response.content.decode()
        body = section_text(pages[url.path], spec.code)
        assert f"<code>{spec.code}</code>" in body
        assert escape(spec.title) in body


def test_each_error_code_has_exactly_one_anchor(client):
    collected = parse(client.get("/docs/errors"))
    codes = {s.code for s in all_errors()}
    anchored = [i for i in collected.ids if i in codes]
    assert sorted(anchored) == sorted(codes)


@override_settings(DOCS_BASE_URL=DOCS_BASE)
def test_every_onboarding_link_lands_on_the_guide(client):
    ids = set(parse(client.get("/docs/getting-started")).ids)
    for step in STEPS:
        url = urlsplit(step_doc_url(step.id))
        assert url.path == "/docs/getting-started"
        assert url.fragment in ids, step.id


def test_docs_need_no_key_and_other_paths_are_not_found(client):
    assert client.get("/docs/errors").status_code == 200
    assert client.get("/docs/nope").status_code == 404


@pytest.mark.parametrize("accept", ["application/json", "application/xml", "text/html", "*/*"])
def test_the_reference_is_html_whatever_the_accept_header(client, accept):
    response = client.get("/docs", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert 'id="swagger-ui"' in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/docs/"])
def test_the_root_and_docs_slash_redirect_to_the_reference(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert (response.status_code, response["Location"]) == (302, "/docs")
