"""Web security: a page claimgraph ingested must never act against the person reading it,
and the server must not be a way into the network it runs on.

In process, against ``create_app(repo, token=...)`` with FastAPI's TestClient:
every page and API response escapes stored text (payloads in every field a stranger
controls), carries a Content-Security-Policy that forbids inline and foreign scripts,
writes need the token (compared with ``hmac.compare_digest``), URL ingest refuses
non-http(s) schemes and private, loopback and link-local hosts, on every redirect hop
(proved with two local servers: the one a redirect points to is never contacted), and
the server binds to loopback by default.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from claimgraph.errors import FetchError
from claimgraph.ingest import content_hash
from claimgraph.ingest import fetch as fetch_module
from claimgraph.records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from claimgraph.serve.app import create_app
from claimgraph.settings import Settings
from claimgraph.store import Repository

TOKEN = "s3cret-token-for-tests"
PAYLOADS = [
    "<script>alert('x1')</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg/onload=alert(3)>",
    "</textarea><iframe src=javascript:alert(4)>",
    "{{7*7}}{% raw %}",
]
# what must never appear unescaped in a response body
DANGEROUS = [re.compile(p) for p in (r"<script>alert", r"<img src=x onerror", r"<svg/onload", r"<iframe src=javascript",
                                      r"href=\"javascript:", r"src=\"javascript:")]


def hostile_result() -> ArticleResult:
    body = " ".join(f"{p} said the minister." for p in PAYLOADS)
    text = f"Headline {PAYLOADS[0]}\n\n{PAYLOADS[1]} reported that ports closed.\n\n{body}"
    digest = content_hash(text)
    title_end = text.index("\n\n")
    art = Article(id=digest[:16], text=text, content_hash=digest, title=text[:title_end], url="javascript:alert(5)//",
                  outlet=PAYLOADS[2], author=PAYLOADS[1], published="2025-01-01",
                  paragraphs=((0, title_end), (title_end + 2, len(text))))
    at = text.index(f"{PAYLOADS[0]} said")
    cue = text.index("said", at)
    atts = (Attribution(cue=Span.of(text, cue, cue + 4), content=Span.of(text, cue + 5, cue + 17), type="indirect",
                        source=Span.of(text, at, at + len(PAYLOADS[0])), source_name=PAYLOADS[3],
                        source_entity="mallory", claim="claim-x", stance="asserts", via=PAYLOADS[4],
                        cites=PAYLOADS[1], hedge=PAYLOADS[2], hedged=True),)
    entity = Entity(key="mallory", name=PAYLOADS[3], type="person", role=PAYLOADS[0], affiliation=PAYLOADS[1],
                    aliases=(PAYLOADS[2],))
    mention = Mention(span=Span.of(text, at, at + len(PAYLOADS[0])), entity_key="mallory")
    claim = Claim(id="claim-x", label=f"{PAYLOADS[0]} ports {PAYLOADS[1]}", actors=(PAYLOADS[2],),
                  first_seen="2025-01-01", size=1)
    return ArticleResult(article=art, attributions=atts, entities=(entity,), mentions=(mention,), claims=(claim,))


@pytest.fixture(scope="module")
def repo() -> Iterator[Repository]:
    r = Repository.open("sqlite://")
    assert r.add_many([hostile_result()])[0].outcome == "added"
    yield r
    r.close()


@pytest.fixture(scope="module")
def client(repo: Repository) -> TestClient:
    return TestClient(create_app(repo, token=TOKEN))


def page_urls(repo: Repository) -> list[str]:
    (row,) = repo.articles()
    return ["/", "/articles", f"/articles/{row['id']}", "/entities", "/entities/mallory", "/claims/claim-x",
            "/search?q=" + PAYLOADS[0], "/search?q=ports", "/graph", "/exports", "/no-such-page",
            "/claims/" + PAYLOADS[1], "/api/stats", f"/api/articles/{row['id']}", "/api/attributions",
            "/api/entities/mallory", "/api/claims/claim-x", "/api/search?q=ports", "/api/export/jsonl"]


def test_every_page_escapes_stored_text(client: TestClient, repo: Repository) -> None:
    for url in page_urls(repo):
        response = client.get(url)
        assert response.status_code < 500, url
        kind = response.headers.get("content-type", "")
        if not kind.startswith("text/html"):  # data, never rendered as a page (and nosniff is set)
            assert kind.startswith(("application/json", "application/x-ndjson")), (url, kind)
            assert response.headers.get("x-content-type-options") == "nosniff", url
            continue
        for pattern in DANGEROUS:
            assert not pattern.search(response.text), (url, pattern.pattern)


def test_payloads_are_shown_as_text(client: TestClient, repo: Repository) -> None:
    (row,) = repo.articles()
    html = client.get(f"/articles/{row['id']}").text
    assert "&lt;script&gt;alert(" in html
    assert "{{7*7}}" in html  # template syntax in text stays text


def test_csp_forbids_scripts_the_app_did_not_write(client: TestClient, repo: Repository) -> None:
    for url in [*page_urls(repo), "/static/does-not-exist.js"]:
        response = client.get(url)
        csp = response.headers.get("content-security-policy", "")
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
        script = directives.get("script-src", directives.get("default-src", ""))
        assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "*" not in script, url
        assert "'self'" in script and directives.get("object-src") == "'none'", url
        assert response.headers.get("x-content-type-options") == "nosniff", url
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
    for url in page_urls(repo):
        response = client.get(url)
        if response.headers.get("content-type", "").startswith("text/html"):
            assert not inline.search(response.text), f"inline script on {url}: blocked by the CSP, so broken"


# -- writes: the token --------------------------------------------------------------------------------


def test_writes_need_the_token(repo: Repository) -> None:
    closed = TestClient(create_app(repo))
    assert closed.post("/api/ingest", data={"url": "https://example.org/x"}).status_code == 403
    client = TestClient(create_app(repo, token=TOKEN))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        response = client.post("/api/ingest", data={"url": "https://example.org/x"}, headers=headers)
        assert response.status_code == 401, headers


def test_token_is_compared_in_constant_time(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    from claimgraph.serve import api

    calls: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api.hmac, "compare_digest", spy)
    client = TestClient(create_app(repo, token=TOKEN))
    client.post("/api/ingest", data={"url": "file:///etc/passwd"}, headers={"Authorization": "Bearer nope"})
    assert calls, "the token was not compared with hmac.compare_digest"
    source = inspect.getsource(api.require_token)
    assert "==" not in source.replace("!=", ""), "the token is also compared with =="


# -- URL ingest: no SSRF ---------------------------------------------------------------------------------------


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[dict[int, int]] = {}
    redirect_to: ClassVar[str] = ""

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        _Counter.hits[port] = _Counter.hits.get(port, 0) + 1
        if self.path.startswith("/go"):
            self.send_response(302)
            self.send_header("Location", _Counter.redirect_to + self.path.removeprefix("/go"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"Secret\n\nThe internal admin said the password is hunter2, officials said."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    """(a server treated as public in the tests, the private one it redirects to)."""
    made = [ThreadingHTTPServer(("127.0.0.1", 0), _Counter) for _ in range(2)]
    for server in made:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    public, private = (f"http://127.0.0.1:{s.server_address[1]}" for s in made)
    _Counter.redirect_to = private
    yield public, private
    for server in made:
        server.shutdown()
        server.server_close()


@pytest.fixture
def public_port(servers: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Make the first local server count as public; every other address is judged as usual."""
    port = int(servers[0].rsplit(":", 1)[1])
    real = fetch_module._is_private
    monkeypatch.setattr(fetch_module, "_is_private", lambda host, p: False if p == port else real(host, p))
    return port


REFUSED_URLS = [
    "file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:25/x", "data:text/html,<b>x</b>",
    "javascript:alert(1)", "http://127.0.0.1/", "http://localhost/", "http://[::1]/", "http://0.0.0.0/",
    "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://[::ffff:127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/",
    "http://100.64.0.1/", "http://[fe80::1]/", "http://[fd00::1]/", "http:///nohost",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_ingest_refuses_other_schemes_and_non_public_hosts(client: TestClient, url: str) -> None:
    response = client.post("/api/ingest", data={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400, (url, response.text)
    assert "\n" not in response.json()["detail"]


def test_a_redirect_to_a_private_host_is_refused_at_that_hop(client: TestClient, servers: tuple[str, str],
                                                             public_port: int) -> None:
    public, private = servers
    private_port = int(private.rsplit(":", 1)[1])
    _Counter.hits.clear()
    response = client.post("/api/ingest", data={"url": f"{public}/go/secret"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == [] and len(report["failures"]) == 1
    assert "private or local address" in report["failures"][0]["reason"]
    assert _Counter.hits.get(public_port) == 1 and private_port not in _Counter.hits, _Counter.hits


def test_every_hop_is_checked_by_the_fetcher(servers: tuple[str, str], public_port: int) -> None:
    import httpx

    public, private = servers
    settings = Settings(allow_private_addresses=False, fetch_timeout=5.0)
    _Counter.hits.clear()
    with httpx.Client() as client_, pytest.raises(FetchError, match="redirected to"):
        fetch_module.fetch(client_, f"{public}/go/x", settings)
    assert int(private.rsplit(":", 1)[1]) not in _Counter.hits
    # allowed when configured (the CLI's default): the same chain is followed to the end
    with httpx.Client() as client_:
        page = fetch_module.fetch(client_, f"{public}/go/x", settings.with_(allow_private_addresses=True))
    assert page.url == f"{private}/x" and b"hunter2" in page.body


def test_the_server_refuses_private_addresses_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.serve.app import server_settings

    monkeypatch.delenv("CLAIMGRAPH_ALLOW_PRIVATE_ADDRESSES", raising=False)
    assert server_settings().allow_private_addresses is False
    monkeypatch.setenv("CLAIMGRAPH_ALLOW_PRIVATE_ADDRESSES", "1")
    assert server_settings().allow_private_addresses is True
    assert create_app(Repository.open("sqlite://")).state.settings.allow_private_addresses is False


# -- binding ------------------------------------------------------------------------------------------------------


def test_server_binds_to_loopback_by_default(cli: Any) -> None:
    from claimgraph.serve import app as app_module
    from claimgraph.serve import cli as cli_module

    assert inspect.signature(app_module.run).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(cli_module.serve).parameters["host"].default == "127.0.0.1"
    done = cli("serve", "--help")
    assert done.returncode == 0 and "127.0.0.1" in done.stdout
