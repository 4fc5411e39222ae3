"""The docs in a real browser (Debian's chromium, headless, through selenium): the
reference and the guide render, the runtime picker works, and every request the
pages make goes to the app's own host — no CDN, no third party."""

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="chromium and chromium-driver are not installed (scripts/test.sh installs them)",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def requested_urls(driver) -> list[str]:
    """Every URL the page asked for since the last call (DevTools network log),
    plus what the page itself reports in its resource timing."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls.extend(
        driver.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
        )
    )
    return urls


def assert_only_local(urls: list[str], live_server):
    host = urlsplit(live_server.url).netloc
    foreign = [u for u in urls if not u.startswith("data:") and urlsplit(u).netloc != host]
    assert urls, "the network log captured the page's requests"
    assert foreign == [], foreign


def wait_for(driver, css: str, timeout: int = 30):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


def test_the_reference_renders_from_local_assets_only(browser, live_server):
    browser.get_log("performance")  # drop whatever came before
    browser.get(f"{live_server.url}/docs")
    title = wait_for(browser, ".swagger-ui .info .title")
    assert "InstantReply API" in title.text
    wait_for(browser, ".swagger-ui .opblock")  # operations rendered from /v1/openapi.json
    assert wait_for(browser, "nav.ir-nav").is_displayed()
    assert "InstantReply" in browser.title
    urls = requested_urls(browser)
    assert any(u.endswith("/v1/openapi.json") for u in urls), urls
    assert any("swagger-ui-bundle.js" in u for u in urls), urls
    assert_only_local(urls, live_server)


def test_the_reference_offers_node_and_python_snippets(browser, live_server):
    from selenium.webdriver.common.by import By

    browser.get("about:blank")  # a fresh load, so the deep link opens the operation
    browser.get_log("performance")
    browser.get(f"{live_server.url}/docs#/developer/capabilities_retrieve")
    op = "#operations-developer-capabilities_retrieve"
    # Clicks through JS: Swagger UI's layout moves while it renders, and a click
    # landing on a neighbour would test the layout, not the snippets.
    browser.execute_script("arguments[0].click();", wait_for(browser, f"{op} .try-out__btn"))
    browser.execute_script("arguments[0].click();", wait_for(browser, f"{op} .btn.execute"))
    wait_for(browser, f"{op} .request-snippets")
    for title, expected in (
        ("Node fetch", "await fetch("),
        ("Python requests", "requests.request("),
    ):
        snippets = browser.find_element(By.CSS_SELECTOR, ".request-snippets")
        tab = snippets.find_element(By.XPATH, f".//*[text()='{title}']")
        browser.execute_script("arguments[0].click();", tab)
        code = snippets.find_element(By.CSS_SELECTOR, "pre").text
        assert expected in code, code
        assert f"{live_server.url}/v1/developer/capabilities" in code, code
    assert_only_local(requested_urls(browser), live_server)


def test_the_guide_renders_and_its_runtime_picker_switches(browser, live_server):
    from selenium.webdriver.common.by import By

    browser.get_log("performance")
    browser.get(f"{live_server.url}/docs/getting-started")
    assert wait_for(browser, "h1#top").text == "Getting started"
    assert "Getting started" in browser.title

    def visible(runtime):
        boxes = browser.find_elements(By.CSS_SELECTOR, f'.sample-box[data-runtime="{runtime}"]')
        return [b.is_displayed() for b in boxes]

    browser.find_element(By.CSS_SELECTOR, '.picker button[data-runtime="python"]').click()
    assert all(visible("python")) and len(visible("python")) == 6
    assert not any(visible("curl")) and not any(visible("node"))
    browser.find_element(By.CSS_SELECTOR, '.picker button[data-runtime="node"]').click()
    assert all(visible("node")) and not any(visible("python"))
    for sdk in ("python-sdk", "typescript-sdk"):
        browser.find_element(By.CSS_SELECTOR, f'.picker button[data-runtime="{sdk}"]').click()
        assert visible(sdk) == [True] * 6
        assert not any(visible("node")) and not any(visible("python"))
    assert_only_local(requested_urls(browser), live_server)


def test_an_error_doc_url_lands_on_its_section(browser, live_server):
    browser.get_log("performance")
    browser.get(f"{live_server.url}/docs/errors#INVALID_DATE_RANGE")
    section = wait_for(browser, 'section[id="INVALID_DATE_RANGE"]')
    assert "INVALID_DATE_RANGE" in section.text
    in_view = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight;",
        section,
    )
    assert in_view
    assert_only_local(requested_urls(browser), live_server)


def screenshot(driver, name: str) -> Path:
    """Saved under var/screenshots (kept after the run for people to look at)."""
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    png = driver.get_screenshot_as_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == driver.execute_script("return window.innerWidth;")
    path.write_bytes(png)
    return path


def test_the_root_url_leads_to_the_reference(browser, live_server):
    browser.get(f"{live_server.url}/")
    wait_for(browser, ".swagger-ui .info .title")
    assert browser.current_url == f"{live_server.url}/docs"
    wait_for(browser, ".swagger-ui .opblock")
    from selenium.webdriver.common.by import By

    summaries = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-description")
    ]
    assert "Reply in a conversation" in summaries and all(summaries)
    assert screenshot(browser, "docs").stat().st_size > 20_000


def test_the_admin_trace_page_is_a_timeline_with_folded_bodies(browser, live_server):
    import requests
    from django.contrib.auth import get_user_model
    from django.test import Client
    from selenium.webdriver.common.by import By

    from instantreply.api.tracing import record_downstream_call
    from instantreply.core import services

    workspace = services.workspace_create(name="Acme", tier="growth")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"], mode="live", name="k")
    request_id = requests.get(
        f"{live_server.url}/v1/contacts", headers={"Authorization": f"Bearer {raw}"}, timeout=10
    ).headers["X-Request-Id"]
    record_downstream_call(
        service="meta_graph",
        method="POST",
        url="https://graph.example/v24.0/1/messages",
        status=200,
        duration_ms=12,
        error=None,
        request_body={"to": "15550001111"},
        response_body={"messages": [{"id": "wamid.browser"}]},
        request_id=request_id,
    )
    staff = get_user_model().objects.create_superuser("support", "s@example.com", "pw-123456")
    client = Client()
    client.force_login(staff)
    browser.get(f"{live_server.url}/admin/login/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})

    browser.get(f"{live_server.url}/admin/core/requestlog/{request_id.replace('_', '_5F')}/change/")
    rows = browser.find_elements(By.CSS_SELECTOR, "ol.trace-timeline > li.trace-row")
    assert [r.get_attribute("data-kind") for r in rows] == ["request", "response", "call"]
    assert rows[0].find_element(By.CSS_SELECTOR, ".trace-text").text == "GET /v1/contacts"
    assert rows[0].find_element(By.CSS_SELECTOR, ".trace-when").text == "+0 ms"
    assert (
        rows[2]
        .find_element(By.CSS_SELECTOR, ".trace-text")
        .text.startswith("meta_graph POST https://graph.example/v24.0/1/messages → 200")
    )
    folded = browser.find_elements(By.CSS_SELECTOR, "details.trace-body")
    assert len(folded) == 6
    assert not any(d.get_property("open") for d in folded)
    assert not any(d.find_element(By.TAG_NAME, "pre").is_displayed() for d in folded)
    assert screenshot(browser, "admin-trace").stat().st_size > 10_000

    summary = rows[2].find_elements(By.CSS_SELECTOR, "details.trace-body summary")[1]
    summary.click()
    body = rows[2].find_elements(By.CSS_SELECTOR, "details.trace-body pre")[1]
    assert body.is_displayed() and "wamid.browser" in body.text
    assert raw not in browser.page_source
