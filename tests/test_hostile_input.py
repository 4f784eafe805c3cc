"""Hostile and broken input -> a clear per-article error or a bounded result, never a crash.

Strangers write what claimgraph reads. Every input here must end as an Article whose
invariants hold (and, once analysed, attribution spans inside the text with
``text[start:end] == span.text`` and confidence in [0, 1]) or as a ClaimgraphError with a
one-line message naming the input; and the run must go on with the next article.
Property-based cases come from hypothesis; named cases cover what a random generator
rarely finds (bombs, 50 MB files, 1 MB lines, deep nesting, wrong declared charsets).
Each regression found while building the fuzzers (``fuzz/``) has a named case here.
URLs are served by a local server on 127.0.0.1; nothing touches the network.
"""

from __future__ import annotations

import gzip
import random
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from conftest import in_process_analyzer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.errors import ClaimgraphError, EmptyInputError, InputError, TooLargeError
from claimgraph.ingest import IngestFailure, article_from_html, article_from_text, content_hash, iter_articles
from claimgraph.ingest.decode import decode_text
from claimgraph.records import Article, Attribution, Span
from claimgraph.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "claimgraph" / "samples"
NO_NET = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))

# Pieces that break naive text handling: quotes of every kind, bidi controls, zero-width
# and combining characters, emoji sequences, Windows and Unicode line ends, markup, entities.
FRAGMENTS = [
    "said", " said ", "The minister", " according to ", "denied", "Ana Ruiz", "officials", ".", ",",
    "\u201c", "\u201d", '"', "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e",
    "\u202e", "\u202c", "\u200f", "\u200e", "\u05e9\u05dc\u05d5\u05dd", "\u0642\u0627\u0644", "\u0301" * 3,
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\U0001F680", "\U0001F469\u200d\U0001F469\u200d\U0001F467",
    "\r\n", "\r", "\n", "\n\n", "\u2028", "\u2029", "\t", "\x0b", "\x0c", "\x85", " ", "\u00a0",
    "<p>", "</p>", "<b>", "<!--", "-->", "<a href='x'>", "[", "]", "](http://x)", "![", "**", "#",
    "&amp;", "&#x1F600;", "&#0;", "&#xD800;", "&nbsp", "---\n", "title: x\n", "Original url: ",
    "By Ann Lee", "March 3, 2024", "http://", "'s", ":)",
]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


def check_article(art: Article) -> None:
    assert art.text and art.content_hash == content_hash(art.text) and art.id == art.content_hash[:16]
    for start, end in art.paragraphs:
        assert 0 <= start < end <= len(art.text) and "\n\n" not in art.text[start:end]


def check_error(exc: ClaimgraphError) -> None:
    message = str(exc)
    assert message and "\n" not in message and len(message) < 1000


def check_span(text: str, span: Span | None) -> None:
    if span is None:
        return
    assert 0 <= span.start <= span.end <= len(text)
    if span.fragments:
        assert all(span.start <= s <= e <= span.end for s, e in span.fragments)
        assert span.text == " ".join(text[s:e] for s, e in span.fragments)
    else:
        assert text[span.start : span.end] == span.text


def check_attributions(text: str, atts: list[Attribution] | tuple[Attribution, ...]) -> None:
    for att in atts:
        for span in (att.cue, att.content, att.source, att.evidence):
            check_span(text, span)
        assert 0.0 <= att.confidence <= 1.0


def clean_or_refuse(kind: str, raw: str) -> Article | None:
    try:
        art = article_from_html(raw) if kind == "html" else article_from_text(raw)
    except ClaimgraphError as exc:  # anything else is a crash and fails the test
        assert isinstance(exc, EmptyInputError), exc
        check_error(exc)
        return None
    check_article(art)
    return art


# -- the cleaner ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_text_cleaner_on_hostile_text(raw: str) -> None:
    clean_or_refuse("text", raw)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text, st.booleans())
def test_html_cleaner_on_hostile_markup(raw: str, wrap: bool) -> None:
    clean_or_refuse("html", f"<html><head><title>{raw[:40]}</title></head><body>{raw}</body></html>" if wrap else raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "shift_jis", "utf-16", "latin-1", "bogus-42"]))
def test_decoding_random_bytes(data: bytes, charset: str | None) -> None:
    try:
        text = decode_text(data, subject="x", charset=charset)
    except InputError as exc:
        check_error(exc)
        return
    assert "\x00" not in text


# These inputs made the cleaner's scans quadratic (minutes for a few hundred KB) before
# the fixes in ingest/clean.py and ingest/page.py; linear now, each well under a second.
QUADRATIC_BEFORE = {
    "unclosed comments": ("text", "<!--" * 200_000 + " the minister said"),
    "blank-line-split paragraphs": ("text", "word\n\n" * 100_000),
    "open brackets then links": ("text", "[" * 200_000 + "](http://x" * 1000),
    "open image brackets": ("text", "![" * 200_000 + "](x" * 1000),
    "a page of 100,000 paragraphs": ("html", "<p>word</p>\n" * 100_000),
}


@pytest.mark.parametrize("name", QUADRATIC_BEFORE)
def test_inputs_that_were_quadratic_are_cleaned(name: str) -> None:
    kind, raw = QUADRATIC_BEFORE[name]
    clean_or_refuse(kind, raw)


# -- the extractor (real spaCy pipeline) ------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_text)
def test_extractor_spans_stay_inside_the_text(nlp: Any, raw: str) -> None:
    from claimgraph.extract import extract
    from claimgraph.pipeline import analyse

    check_attributions(raw, extract(nlp, raw))
    art = clean_or_refuse("text", raw)
    if art is not None:  # and through resolution, as ingest runs it
        (result,) = analyse(nlp, [art])
        check_attributions(art.text, result.attributions)
        for mention in result.mentions:
            check_span(art.text, mention.span)


TOKENIZER_BOMBS = {  # spaCy's affix splitting took ~10 s on each of these (6,000 characters)
    "commas": ",;" * 3000,
    "possessives": "'s" * 3000,
    "emoji": "\U0001F680" * 6000,
    "smileys": ":)" * 3000,
    "a line of 900,000 characters": "x" * 900_000 + " the minister said it was shut.",
}


@pytest.mark.parametrize("name", TOKENIZER_BOMBS)
def test_long_unbroken_runs_tokenize_linearly_and_keep_offsets(nlp: Any, name: str) -> None:
    text = f"\u201cIt was shut,\u201d said Ana Ruiz. {TOKENIZER_BOMBS[name]} The port said so."
    doc = nlp(text)
    assert doc.text == text
    check_attributions(text, doc._.attributions or [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([" ", "\n", "\t", "  ", "x" * 150, "ab" * 60, "\u201c"]),
                          st.text(max_size=30)), max_size=20).map("".join))
def test_bounded_tokenizer_reproduces_the_text(nlp: Any, text: str) -> None:
    assert nlp.tokenizer(text).text == text


# -- sources: files and feeds -------------------------------------------------------------------


def ingest_bytes(data: bytes, suffix: str) -> list[Article | IngestFailure]:
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        return list(iter_articles([str(path)], settings, client=NO_NET))


def check_results(results: list[Article | IngestFailure]) -> None:
    assert results
    for item in results:
        if isinstance(item, IngestFailure):
            assert isinstance(item.error, ClaimgraphError)
            check_error(item.error)
            assert "\n" not in item.reason
        else:
            check_article(item)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".html", ".xml", ".rss"]))
def test_files_of_random_bytes(data: bytes, suffix: str) -> None:
    check_results(ingest_bytes(data, suffix))


def rss(items: list[str]) -> str:
    body = "".join(
        f"<item><title>Story {n}</title><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        for n, text in enumerate(items)
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
            f"{body}</channel></rss>")


@settings(max_examples=120, deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=4)), max_size=6))
def test_feeds_with_hostile_entries_and_corrupted_bytes(entries: list[str], edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(rss(entries).encode("utf-8"))
    for position, replacement in edits:  # overwrite a few bytes anywhere: broken XML, broken UTF-8
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    check_results(ingest_bytes(bytes(data), ".rss"))


REGRESSIONS = Path(__file__).resolve().parents[1] / "fuzz" / "regressions" / "feed"


def test_feed_entry_whose_link_is_the_rest_of_the_document() -> None:
    # found by fuzz/fuzz_feed.py: feedparser returned a multi-line "link", which became the
    # input's name and put line breaks into its error
    results = ingest_bytes((REGRESSIONS / "entry-link-holds-the-rest-of-the-document").read_bytes(), ".xml")
    check_results(results)
    for item in results:
        assert "\n" not in (item.input if isinstance(item, IngestFailure) else item.path or "")


def test_feed_with_non_ascii_bytes_in_its_encoding_declaration() -> None:
    # found by fuzz/fuzz_feed.py: feedparser raised UnicodeDecodeError reading the declaration
    (item,) = ingest_bytes((REGRESSIONS / "non-ascii-bytes-in-the-encoding-declaration").read_bytes(), ".xml")
    assert isinstance(item, IngestFailure) and "unexpected" not in item.reason
    check_error(item.error)


def billion_laughs(encoding: str) -> bytes:
    entities = '<!ENTITY a "' + "ha" * 5 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    doc = (f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE rss [{entities}]><rss><channel>'
           "<item><title>&j;</title><description>&j;</description></item></channel></rss>")
    return doc.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32", "cp500"])
def test_billion_laughs_feed_is_refused_or_left_unexpanded(encoding: str) -> None:
    (item,) = ingest_bytes(billion_laughs(encoding), ".xml")
    if isinstance(item, IngestFailure):
        check_error(item.error)
    else:  # the byte scan for <!ENTITY misses UTF-16/32 and EBCDIC; the parser must not expand
        assert len(item.text) < 10_000


def test_deeply_nested_and_bodiless_html() -> None:
    sentence = "<p>The minister said the plant was shut for good on Monday, officials said.</p>"
    nested = "<div>" * 50_000 + sentence + "</div>" * 50_000
    for raw in (nested, "<b><i>" * 50_000 + sentence, "<html><head><title>Only a title</title></head></html>",
                "<html><body></body></html>", "<html>" + "<head>" * 1000):
        clean_or_refuse("html", raw)


# -- whole runs: hostile articles next to good ones ------------------------------------------------------


def named_inputs(folder: Path) -> dict[str, Path]:
    """Hostile files beside one good sample; name -> path."""
    good = (SAMPLES / "drone-engines-2.txt").read_text(encoding="utf-8")
    rng = random.Random(8)
    files: dict[str, tuple[str, bytes]] = {
        "good": (".txt", good.encode()),
        "random bytes": (".txt", rng.randbytes(4096)),
        "invalid utf-8": (".txt", b"The minister said \xff\xfe\xc3\x28 the plant was shut, officials said.\n"),
        "mixed utf-8 and cp1252": (".txt", "Caf\u00e9 owners said ".encode() + "rents doubled \u2013 \u201cnow\u201d".encode("cp1252")),
        "utf-8 declared shift_jis": (".html", ("<html><head><meta charset='shift_jis'></head><body><p>"
                                               + good.replace("\n", "</p><p>") + "</p></body></html>").encode()),
        "latin-1 declared utf-8": (".html", ("<html><head><meta charset='utf-8'></head><body><p>Caf\u00e9 owners "
                                             "said the rents had doubled since the port closed in March.</p>"
                                             "</body></html>").encode("latin-1")),
        "utf-16 without BOM": (".txt", good.encode("utf-16-le")),
        "crlf rtl zero-width emoji": (".txt", ("\u202eHeadline\u202c \U0001F680\r\n\r\n\u05e9\u05dc\u05d5\u05dd said "
                                               "Dan.\u200b \u201cWe\u200d won \U0001F4AF,\u201d said Ana Ruiz.\r\n").encode()),
        "unbalanced quotes": (".txt", ("\u201cHe said \u201cshe said \u201d \u201c \" \" \u201d said the man. "
                                       * 40).encode()),
        "nested quotes": (".txt", ("\u201cA said \u2018B said \u201cC said X\u201d \u2019\u201d said Z. " * 40).encode()),
        "deeply nested html": (".html", ("<div>" * 30_000 + "<p>The minister said it.</p>" + "</div>" * 30_000).encode()),
        "html without body": (".html", b"<html><head><title>Nothing here</title></head></html>"),
        "billion laughs": (".xml", billion_laughs("utf-8")),
        "empty": (".txt", b""),
    }
    paths = {}
    for n, (name, (suffix, data)) in enumerate(files.items()):
        paths[name] = folder / f"{n:02d}-{name.replace(' ', '-')}{suffix}"
        paths[name].write_bytes(data)
    big = folder / "99-fifty-megabytes.txt"  # sparse: refused by its size before it is read
    with big.open("wb") as handle:
        handle.truncate(50_000_000)
    paths["50 MB article"] = big
    return paths


def test_a_run_over_hostile_files_stores_the_good_and_names_each_bad(nlp: Any, tmp_path: Path,
                                                                     sqlite_repo: Any) -> None:
    from claimgraph.runner import run_ingest

    paths = named_inputs(tmp_path)
    inputs = [str(tmp_path), str(paths["billion laughs"])]  # a folder walk takes articles, not feeds
    report = run_ingest(inputs, Settings(), sqlite_repo, analyzer=in_process_analyzer(nlp))
    failed = dict(report.failed)
    assert str(paths["good"]) not in failed and len(report.added) >= 1
    for label, reason in report.failed:
        assert "\n" not in reason and label in reason, (label, reason)
    for name in ("random bytes", "utf-16 without BOM", "billion laughs", "empty", "50 MB article",
                 "html without body"):
        assert str(paths[name]) in failed, name
    assert "max_article_bytes" in failed[str(paths["50 MB article"])]
    assert len(report.added) + len(report.failed) + len(report.skipped) == len(paths)
    assert sqlite_repo.check() == []
    for row in sqlite_repo.articles(limit=100):
        text = sqlite_repo.article(row["id"])["text"]
        for att in sqlite_repo.attribution_rows(article_id=row["id"]):
            for part in ("cue", "content"):
                assert 0 <= att[f"{part}_start"] <= att[f"{part}_end"] <= len(text)


# -- URLs: bombs and oversized bodies from a local server ---------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # bodies without Content-Length end when the connection closes
    pages: ClassVar[dict[str, tuple[dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/endless":  # no Content-Length: 50 MB streamed until the client hangs up
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"the minister said " * 58_255)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        headers, body = self.pages.get(self.path, ({"Content-Type": "text/plain"}, b""))
        self.send_response(200 if self.path in self.pages else 404)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    _Handler.pages = {
        "/bomb": ({"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(b" " * 30_000_000)),
        "/double-bomb": ({"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"},
                         gzip.compress(gzip.compress(b"a" * 60_000_000))),
        "/good.txt": ({"Content-Type": "text/plain; charset=utf-8"}, (SAMPLES / "drone-engines-4.txt").read_bytes()),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_bombs_and_endless_bodies_fail_alone(base: str) -> None:
    urls = [f"{base}/bomb", f"{base}/double-bomb", f"{base}/endless", f"{base}/good.txt"]
    results = list(iter_articles(urls, Settings(fetch_timeout=5.0)))
    assert [type(r) for r in results] == [IngestFailure, IngestFailure, IngestFailure, Article]
    for failure in results[:3]:
        assert isinstance(failure, IngestFailure) and isinstance(failure.error, TooLargeError)
        assert "max_download_bytes" in failure.reason and "\n" not in failure.reason


# -- the per-article extraction time limit -------------------------------------------------------------


def test_an_article_over_the_extraction_limit_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from claimgraph import pipeline
    from claimgraph.records import ArticleResult
    from claimgraph.runner import analyse_guarded

    def slow_analyse(nlp: Any, articles: Any, *, batch_size: int = 16) -> Iterator[ArticleResult]:
        for art in articles:
            if "stall" in art.text:
                try:
                    time.sleep(30)
                # a stage that swallows errors must not swallow the watchdog
                except Exception:  # noqa: BLE001, S110
                    pass
            yield ArticleResult(article=art)

    monkeypatch.setattr(pipeline, "analyse", slow_analyse)
    arts = [article_from_text(f"Story {n}\n\nThe minister said {word} today.") for n, word in
            enumerate(["yes", "stall", "no"])]
    outcomes = list(analyse_guarded(None, arts, 3, timeout=0.3))
    assert [o.article.id if not isinstance(o, tuple) else None for o in outcomes] == [arts[0].id, None, arts[2].id]
    failed_article, reason = outcomes[1]  # type: ignore[misc]
    assert failed_article == arts[1]
    assert "extract_timeout=0.3s" in reason and "\n" not in reason


def test_limits_come_from_the_environment() -> None:
    env = {"CLAIMGRAPH_MAX_DOWNLOAD_BYTES": "1000", "CLAIMGRAPH_MAX_ARTICLE_BYTES": "2000",
           "CLAIMGRAPH_MAX_ARTICLE_CHARS": "3000", "CLAIMGRAPH_FETCH_TIMEOUT": "1.5",
           "CLAIMGRAPH_MAX_REDIRECTS": "2", "CLAIMGRAPH_MAX_FEED_ENTRIES": "7",
           "CLAIMGRAPH_EXTRACT_TIMEOUT": "9.5", "CLAIMGRAPH_ALLOW_PRIVATE_ADDRESSES": "no"}
    s = Settings.from_env(env)
    assert (s.max_download_bytes, s.max_article_bytes, s.max_article_chars, s.fetch_timeout, s.max_redirects,
            s.max_feed_entries, s.extract_timeout, s.allow_private_addresses) == (1000, 2000, 3000, 1.5, 2, 7, 9.5, False)
    with pytest.raises(ClaimgraphError, match="CLAIMGRAPH_EXTRACT_TIMEOUT"):
        Settings.from_env({"CLAIMGRAPH_EXTRACT_TIMEOUT": "soon"})


@pytest.mark.slow
def test_cli_ingest_enforces_the_extraction_limit(tmp_path: Path, cli: Any) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-huge.txt").write_text("Huge\n\n" + "The minister said that the plant was shut. " * 20_000)
    (folder / "b-good.txt").write_text((SAMPLES / "drone-engines-2.txt").read_text(encoding="utf-8"))
    db = tmp_path / "store.db"
    done = cli("ingest", "--no-progress", str(folder), db=db, env={"CLAIMGRAPH_EXTRACT_TIMEOUT": "2"})
    assert done.returncode == 0, done.stderr
    assert "a-huge.txt" in done.stderr and "extract_timeout=2s" in done.stderr
    assert "1 added" in done.stdout + done.stderr
    check = cli("check", db=db)
    assert check.returncode == 0, check.stdout + check.stderr


def test_control_characters_in_html_do_not_break_the_fallback_parser() -> None:
    """Found by fuzz/fuzz_clean.py: dropping boilerplate whose tail held \x11 made lxml raise
    ValueError ("All strings must be XML compatible") out of the cleaner."""
    from claimgraph.ingest.page import extract_page

    page = extract_page("<div>Short note <footer>credit</footer>\x11\x11 handout\x00 text</div>")
    assert all("\x11" not in p and "\x00" not in p for p in page.paragraphs)


def test_a_malformed_url_in_the_text_names_no_outlet() -> None:
    """Found by fuzz/fuzz_clean.py: an 'Original url:' with an unclosed IPv6 bracket made
    urlsplit raise ValueError out of the cleaner."""
    from claimgraph.ingest.clean import article_from_text, outlet_of

    assert outlet_of("https://[::1/broken") is None
    art = article_from_text("Bridge Reopens\n\nThe mayor said the bridge reopens in May.\n\n"
                            "Original url:\n\nhttps://[2001:db8::1/x\n")
    assert art.outlet is None and "bridge reopens" in art.text


def test_a_stray_control_character_is_dropped_and_dense_ones_refused() -> None:
    """An article with one escape character pasted in is text; bytes full of controls are not."""
    article = ("The minister said the port would reopen on Monday. " * 40).encode()
    text = decode_text(article[:700] + b"\x1b" + article[700:], subject="x")
    assert "\x1b" not in text and text.startswith("The minister said")
    with pytest.raises(InputError):
        decode_text(b"\x01\x02\x03\x04\x05\x06 the minister said " * 20, subject="x")
