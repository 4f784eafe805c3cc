"""Sources: files, folders, URLs and feeds -> Article | IngestFailure, never the network.

URLs are served by a local ``http.server`` on 127.0.0.1 started by this module.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from claimgraph.errors import (
    BinaryInputError,
    EmptyInputError,
    FetchError,
    InputError,
    TooLargeError,
)
from claimgraph.ingest import IngestFailure, iter_articles
from claimgraph.records import Article
from claimgraph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
FAST = Settings(fetch_timeout=2.0, max_redirects=3)
BOMB = gzip.compress(b" " * 30_000_000)  # ~30 KB on the wire, 30 MB decoded

Route = tuple[int, dict[str, str], bytes]


def fixture_bytes(name: str, base: str = "") -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{base}", base.encode())


def routes(base: str) -> dict[str, Route]:
    html, text, rss = "text/html; charset=utf-8", "text/plain; charset=utf-8", "application/rss+xml"
    entity_feed = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><item>'
        b"<title>&a;</title><link>" + base.encode() + b"/page.html</link></item></channel></rss>"
    )
    return {
        "/page.html": (200, {"Content-Type": html}, fixture_bytes("page.html")),
        "/wrapped.txt": (200, {"Content-Type": text}, fixture_bytes("wrapped.txt")),
        "/undated.txt": (200, {"Content-Type": text}, fixture_bytes("undated.txt")),
        "/feed.rss": (200, {"Content-Type": rss}, fixture_bytes("feed.rss", base)),
        # a feed served with a useless type is recognised by sniffing
        "/feed.atom": (200, {"Content-Type": "application/octet-stream"}, fixture_bytes("feed.atom", base)),
        "/entity-feed": (200, {"Content-Type": rss}, entity_feed),
        "/hop": (302, {"Location": "/page.html"}, b""),
        "/loop-a": (302, {"Location": "/loop-b"}, b""),
        "/loop-b": (302, {"Location": "/loop-a"}, b""),
        **{f"/chain/{n}": (302, {"Location": f"/chain/{n - 1}"}, b"") for n in range(1, 10)},
        "/chain/0": (200, {"Content-Type": text}, fixture_bytes("undated.txt")),
        "/bomb": (200, {"Content-Type": html, "Content-Encoding": "gzip"}, BOMB),
        "/latin1": (
            200,
            {"Content-Type": "text/plain; charset=iso-8859-1"},
            "Caf\u00e9 Owners Protest\n\nThe caf\u00e9 owners said rents doubled.".encode("latin-1"),
        ),
        "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not really"),
        "/ftp-redirect": (302, {"Location": "ftp://127.0.0.1/x"}, b""),
    }


class _Handler(BaseHTTPRequestHandler):
    table: ClassVar[dict[str, Route]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)  # longer than the tiny timeout the test uses
        status, headers, body = self.table.get(self.path, (404, {"Content-Type": "text/plain"}, b"not here"))
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading on purpose (size limit)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.table = routes(url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


def run(inputs: list[str], settings: Settings = FAST) -> list[Article | IngestFailure]:
    return list(iter_articles(inputs, settings))


def only(results: list[Article | IngestFailure]) -> Article | IngestFailure:
    assert len(results) == 1, results
    return results[0]


def failure(result: Article | IngestFailure, kind: type[Exception]) -> IngestFailure:
    assert isinstance(result, IngestFailure), result
    assert isinstance(result.error, kind), result.error
    assert "\n" not in result.reason and result.input in result.reason
    return result


# -- files and folders ---------------------------------------------------------------------


def test_files_of_each_kind(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(fixture_bytes("page.html"))
    results = run([str(FIXTURES / "wrapped.txt"), str(FIXTURES / "report.md"), str(tmp_path / "a.html")])
    assert [type(r) for r in results] == [Article, Article, Article]
    titles = [r.title for r in results if isinstance(r, Article)]
    assert titles == [
        "Ministry Says Grain Convoy Was Turned Back at Border",
        "Observatory Reports Record Dust Storm Over Plateau",
        "Harbour Authority Says Dredging Caused Fish Deaths",
    ]
    assert results[0].path == str(FIXTURES / "wrapped.txt")  # type: ignore[union-attr]


def test_folder_is_walked_sorted_recursive_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    story = "Council Says Road Will Reopen\n\nThe council said the road would reopen on Monday."
    for name in ("b.txt", "a.md", "sub/c.htm", ".hidden.txt", ".git/d.txt", "notes.json", "sub/e.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        body = story if not name.endswith("htm") else f"<html><body><p>{story}</p></body></html>"
        (tmp_path / name).write_text(body, encoding="utf-8")
    results = run([str(tmp_path)])
    assert [
        Path(r.path or "").relative_to(tmp_path).as_posix() for r in results if isinstance(r, Article)
    ] == ["a.md", "b.txt", "sub/c.htm"]
    assert len(results) == 3


def test_bad_files_fail_one_by_one_and_the_run_goes_on(tmp_path: Path) -> None:
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "nul.txt": b"Title\n\nText \x00 with a NUL.",
        "undecodable.txt": b"Title\n\n\x81\x8d\x8f\x90 text",
        "caption-only.txt": b"**Photo: Somebody**",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    inputs = [str(tmp_path / n) for n in files] + [
        str(tmp_path / "missing.txt"),
        str(FIXTURES / "undated.txt"),
    ]
    results = run(inputs)
    assert [r.input for r in results if isinstance(r, IngestFailure)] == inputs[:-1]
    failure(results[0], EmptyInputError)
    failure(results[1], EmptyInputError)
    failure(results[2], BinaryInputError)
    assert "UTF-8" in failure(results[3], InputError).reason
    failure(results[4], EmptyInputError)
    assert "no such file" in failure(results[5], InputError).reason
    assert isinstance(results[6], Article)


def test_cp1252_and_utf16_files_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes("Title\n\nThe caf\u00e9 owner said \u201cno\u201d.".encode("cp1252"))
    (tmp_path / "u.txt").write_bytes("Title\n\nThe caf\u00e9 owner said yes.".encode("utf-16"))
    results = run([str(tmp_path / "w.txt"), str(tmp_path / "u.txt")])
    assert [r.text for r in results if isinstance(r, Article)] == [
        "Title\n\nThe caf\u00e9 owner said \u201cno\u201d.",
        "Title\n\nThe caf\u00e9 owner said yes.",
    ]


def test_too_large_file_and_text(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Title\n\n" + "The agency said so. " * 100, encoding="utf-8")
    failure(only(run([str(tmp_path / "big.txt")], FAST.with_(max_article_bytes=500))), TooLargeError)
    failure(only(run([str(tmp_path / "big.txt")], FAST.with_(max_article_chars=500))), TooLargeError)


def test_feed_file_fetches_each_entry(base: str, tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_bytes(fixture_bytes("feed.rss", base))
    page, undated, missing = run([str(tmp_path / "feed.rss")])
    assert isinstance(page, Article) and page.published == "2023-11-14"
    assert page.outlet == "The Coastline Courier"
    # the text page has no headline or date of its own: the entry supplies them
    assert isinstance(undated, Article)
    assert (undated.title, undated.published) == ("Feed Title For An Undated Text Story", "2023-11-15")
    assert undated.url == f"{base}/undated.txt"
    assert "HTTP 404" in failure(missing, FetchError).reason


def test_feed_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "bomb.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a"><!ENTITY b "&a;&a;">]>'
        b"<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    assert "ENTITY" in failure(only(run([str(feed)])), InputError).reason.upper()


def test_file_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text("<note>nothing here</note>", encoding="utf-8")
    failure(only(run([str(tmp_path / "x.xml")])), EmptyInputError)


# -- URLs ------------------------------------------------------------------------------------


def test_html_and_text_urls(base: str) -> None:
    page, text = run([f"{base}/page.html", f"{base}/wrapped.txt"])
    assert isinstance(page, Article) and page.title == "Harbour Authority Says Dredging Caused Fish Deaths"
    assert isinstance(text, Article)
    # the article's own "Original url:" names it better than the mirror it came from
    assert text.url is not None and text.url.startswith("https://www.valley-press.example/")


def test_redirect_is_followed_to_the_final_url(base: str) -> None:
    article = only(run([f"{base}/hop"]))
    assert (
        isinstance(article, Article) and article.title == "Harbour Authority Says Dredging Caused Fish Deaths"
    )


def test_redirect_limits(base: str) -> None:
    assert "redirect loop" in failure(only(run([f"{base}/loop-a"])), FetchError).reason
    assert "redirects" in failure(only(run([f"{base}/chain/5"])), FetchError).reason
    assert isinstance(only(run([f"{base}/chain/3"])), Article)  # exactly max_redirects hops


def test_redirect_to_another_scheme_is_refused(base: str) -> None:
    assert "scheme" in failure(only(run([f"{base}/ftp-redirect"])), FetchError).reason


def test_http_errors_timeouts_and_refused_connections(base: str) -> None:
    missing = failure(only(run([f"{base}/nothing-here"])), FetchError)
    assert "404" in missing.reason and f"{base}/nothing-here" in missing.reason
    slow = failure(only(run([f"{base}/slow"], FAST.with_(fetch_timeout=0.2))), FetchError)
    assert "timed out" in slow.reason
    port = base.rsplit(":", 1)[1]
    closed = f"http://127.0.0.1:{int(port) + 1 if int(port) < 65535 else 1}/x"
    assert "connection" in failure(only(run([closed])), FetchError).reason


def test_only_http_and_https(tmp_path: Path) -> None:
    for url in ("ftp://example.org/a.txt", "file:///etc/passwd", "javascript://x"):
        assert "scheme" in failure(only(run([url])), FetchError).reason


def test_gzip_bomb_is_stopped_by_decoded_size(base: str) -> None:
    result = only(run([f"{base}/bomb"], FAST.with_(max_download_bytes=1_000_000)))
    assert "max_download_bytes" in failure(result, TooLargeError).reason


def test_declared_charset_is_used(base: str) -> None:
    article = only(run([f"{base}/latin1"]))
    assert isinstance(article, Article) and "The caf\u00e9 owners said rents doubled." in article.text


def test_unsupported_content_type(base: str) -> None:
    assert "application/pdf" in failure(only(run([f"{base}/pdf"])), InputError).reason


def test_feed_urls_by_content_type_and_by_sniffing(base: str) -> None:
    rss = run([f"{base}/feed.rss"])
    assert [type(r) for r in rss] == [Article, Article, IngestFailure]
    wrapped, inline = run([f"{base}/feed.atom"])
    assert isinstance(wrapped, Article) and wrapped.published == "2024-03-06"
    # an entry without a link is built from the content it carries
    assert isinstance(inline, Article)
    assert (inline.title, inline.published) == (
        "Observatory Reports Record Dust Storm Over Plateau",
        "2023-06-22",
    )
    assert inline.text.startswith("Observatory Reports Record Dust Storm Over Plateau\n\nScientists at the")


def test_feed_entries_are_capped(base: str) -> None:
    assert len(run([f"{base}/feed.rss"], FAST.with_(max_feed_entries=1))) == 1


def test_feed_url_with_entities_is_refused(base: str) -> None:
    assert "ENTITY" in failure(only(run([f"{base}/entity-feed"])), InputError).reason.upper()


def test_private_addresses_refused_when_not_allowed(base: str) -> None:
    result = only(run([f"{base}/page.html"], FAST.with_(allow_private_addresses=False)))
    assert "private" in failure(result, FetchError).reason


# -- the injectable client ---------------------------------------------------------------------


def test_injected_client_is_used_with_settings_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            headers={"Content-Type": "text/plain"},
            content=b"Mock Headline\n\nThe mock agency said it works.",
        )

    settings = FAST.with_(user_agent="claimgraph-test/1")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        results = list(iter_articles(["https://news.example.org/story"], settings, client=client))
    article = only(results)
    assert isinstance(article, Article)
    assert (article.title, article.outlet, article.url) == (
        "Mock Headline",
        "news.example.org",
        "https://news.example.org/story",
    )
    assert seen[0].headers["User-Agent"] == "claimgraph-test/1"
