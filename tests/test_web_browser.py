"""The web UI in a real headless Chromium (Debian ``chromium`` + ``chromium-driver``, driven by
Selenium with /usr/bin/chromedriver: no browser or driver download ever happens).

A uvicorn server on 127.0.0.1 (random free port) serves the demo store; the tests read
pages as a reader would: board -> claim -> article -> entity -> search, script payloads
stay inert, and the claim page renders as a screenshot (saved as docs/claim-page.png for the
README only with CLAIMGRAPH_UPDATE_DOCS=1, so a test run leaves the work tree clean).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_web_store import PAYLOAD_CLAIM, PAYLOAD_QUOTE, PAYLOAD_TITLE, demo_store, main_claim

from claimgraph.store import Repository

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TOKEN = "browser-test-token"
DOCS = Path(__file__).resolve().parents[1] / "docs"

if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """uvicorn serving the demo store on a loopback socket bound to a free port."""
    import uvicorn

    from claimgraph.serve.app import create_app

    repo = Repository.open(demo_store()["url"])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(repo, token=TOKEN), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    repo.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1360,1500", "--force-device-scale-factor=1", "--hide-scrollbars",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "footer")))


def _css(driver: Any, selector: str) -> list[Any]:
    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def _console_problems(driver: Any) -> list[str]:
    """Severe console entries (CSP violations, script errors), favicon misses aside."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "favicon" not in e["message"]]


def test_reader_walks_board_claim_article_entity_search(browser: Any, base_url: str) -> None:
    # board: contested claims first, sources grouped under stance badges
    _open(browser, base_url + "/")
    cards = _css(browser, ".claim-card")
    assert cards and "is-contested" in cards[0].get_attribute("class")
    first = cards[0].text.lower()  # CSS upper-cases some labels
    assert "contested" in first and "asserts" in first and ("denies" in first or "disputes" in first)
    link = browser.find_element(By.CSS_SELECTOR, f'.claim-card h2 a[href="/claims/{main_claim()}"]')
    label = link.text
    link.click()

    # claim page: the timeline in date order, each statement with stance, outlet and quote
    WebDriverWait(browser, 10).until(ec.url_contains(f"/claims/{main_claim()}"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == label
    dates = [t.text for t in _css(browser, ".timeline .when time")]
    assert len(dates) >= 5 and dates == sorted(dates)
    badges = {b.text for b in _css(browser, ".timeline .badge")}
    assert {"asserts", "denies"} <= badges
    assert _css(browser, ".timeline .quote")[0].text
    assert _css(browser, "svg.graph .edge")  # the sources graph is drawn
    doc_link = _css(browser, ".timeline .statement-meta .doc a")[0]
    doc_link.click()

    # article page: source, cue and content highlighted, linked to entities and claims
    WebDriverWait(browser, 10).until(ec.url_contains("/articles/"))
    for kind in ("source", "cue", "content"):
        assert _css(browser, f"#article-text .hl-{kind}"), kind
    assert _css(browser, "#article-text .hl-content[class*='stance-']")
    assert _css(browser, f'#article-text a.hl-content[href="/claims/{main_claim()}"]')
    content = _css(browser, "#article-text .hl-content")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", content)
    webdriver.ActionChains(browser).move_to_element(content).perform()
    WebDriverWait(browser, 5).until(lambda d: _css(d, ".margin-item.hover"))  # app.js runs under the CSP
    # follow the source of a statement that is linked to a claim
    att = _css(browser, "#article-text a.hl-content[href^='/claims/']")[0].get_attribute("data-att").split()[0]
    source = _css(browser, f"#article-text a.hl-source[data-att~='{att}']")[0]
    source.click()

    # entity page: names, resolution trace, claims made / disputed, statements
    WebDriverWait(browser, 10).until(ec.url_contains("/entities/"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text
    assert _css(browser, ".chips li") and _css(browser, ".trace li")
    assert _css(browser, ".claimlist a[href^='/claims/']")
    assert _css(browser, ".statement .quote")

    # search from the top bar: articles with marked hits, matching statements
    box = browser.find_element(By.CSS_SELECTOR, ".topsearch input")
    box.send_keys("engines Kazakhstan", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.url_contains("/search?q="))
    assert _css(browser, ".hit .snippet mark")
    assert _css(browser, ".statement")
    _css(browser, ".hit-title")[0].click()
    WebDriverWait(browser, 10).until(ec.url_contains("/articles/"))
    assert _console_problems(browser) == []


def test_script_payloads_stay_inert_text(browser: Any, base_url: str) -> None:
    article = demo_store()["payload_article"]
    for path in (f"/articles/{article}", "/claims/payload-claim", "/entities/mallory", "/",
                 "/search?q=engines+shipped", "/graph"):
        _open(browser, base_url + path)
        assert browser.execute_script("return typeof window.__xss") == "undefined", path
    _open(browser, base_url + f"/articles/{article}")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == PAYLOAD_TITLE
    assert PAYLOAD_QUOTE in browser.find_element(By.ID, "article-text").text
    assert not _css(browser, "#article-text script, #article-text img, main img")
    assert "&lt;script&gt;" in browser.page_source
    # the javascript: URL of this article is not turned into a link
    assert not _css(browser, 'a[href^="javascript:"]')
    _open(browser, base_url + "/claims/payload-claim")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == PAYLOAD_CLAIM


def test_ingested_payload_article_stays_inert(browser: Any, base_url: str) -> None:
    """An article uploaded through POST /api/ingest with script tags in title and text."""
    text = ("Drone <script>window.__xss = 8</script> engines row <img src=x onerror=\"window.__xss = 9\">\n\n"
            "March 15, 2025\n\nThe ministry said that <script>window.__xss = 10</script> no engines were sold. "
            "<img src=x onerror=\"window.__xss = 11\"> Officials denied the report on Friday.\n")
    files = {"file": ("payload<script>.txt", text.encode(), "text/plain")}
    reply = httpx.post(base_url + "/api/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"},
                       timeout=120)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    if not report["added"]:
        pytest.skip(f"the pipeline could not store the article yet: {report['failures']}")
    _open(browser, base_url + f"/articles/{report['added'][0]['article_id']}")
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert not _css(browser, "main script, main img")
    shown = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "no engines were sold" in shown


def test_claim_page_screenshot(browser: Any, base_url: str, tmp_path: Path) -> None:
    """The README screenshot of a contested claim (docs/claim-page.png when asked to update)."""
    browser.set_window_size(1360, 1500)
    _open(browser, base_url + f"/claims/{main_claim()}")
    folder = DOCS if os.environ.get("CLAIMGRAPH_UPDATE_DOCS") == "1" else tmp_path
    folder.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(folder / "claim-page.png"))
    assert (folder / "claim-page.png").stat().st_size > 20_000
