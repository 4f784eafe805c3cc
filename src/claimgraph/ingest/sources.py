"""Inputs (paths, folders, http(s) URLs, RSS/Atom feeds) -> a stream of Article | IngestFailure.

``iter_articles`` never raises for a bad input: each one that can not be read becomes an
:class:`IngestFailure` naming it, and the run goes on. Files are limited by
``max_article_bytes``, downloads by ``max_download_bytes``, cleaned text by
``max_article_chars``; a feed yields one result per entry (up to ``max_feed_entries``), each
entry's page fetched and cleaned, with the entry's title and date filling what the page lacks.
"""

from __future__ import annotations

import html
import io
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import feedparser
import httpx

from ..errors import ClaimgraphError, EmptyInputError, InputError, TooLargeError
from ..records import Article
from ..settings import Settings
from .clean import article_from_html, article_from_text
from .dates import parse_date
from .decode import decode_text
from .fetch import fetch, new_client

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES  # what a folder walk picks up
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
# The first element of the document, after any XML declaration, comments and doctype.
_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z][\w:.-]*)", re.DOTALL
)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf"})
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input that yielded no article, and why (``reason`` is one line for the user)."""

    input: str
    reason: str
    error: ClaimgraphError


class _Context:
    """The settings and the lazily created HTTP client shared by one run."""

    def __init__(self, settings: Settings, client: httpx.Client | None, stack: ExitStack) -> None:
        self.settings = settings
        self._client = client
        self._stack = stack

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = self._stack.enter_context(new_client(self.settings))
        return self._client


def iter_articles(
    inputs: Sequence[str], settings: Settings, *, client: httpx.Client | None = None
) -> Iterator[Article | IngestFailure]:
    """One Article or IngestFailure per file, URL or feed entry, in input order."""
    with ExitStack() as stack:
        ctx = _Context(settings, client, stack)
        for item in inputs:
            yield from _guarded(item, partial(_one_input, item, ctx))


def _guarded(
    name: str, produce: Callable[[], Iterable[Article | IngestFailure]]
) -> Iterator[Article | IngestFailure]:
    try:
        yield from produce()
    except ClaimgraphError as exc:
        yield IngestFailure(name, _one_line(str(exc)), exc)
    # A bug in a cleaner or parser on one odd input must not end a run over thousands.
    except Exception as exc:  # noqa: BLE001
        error = InputError(f"unexpected {type(exc).__name__}: {exc}", subject=name)
        error.__cause__ = exc
        yield IngestFailure(name, _one_line(str(error)), error)


def _one_line(reason: str) -> str:
    """A reason shown on one line even when a name in it holds line breaks (a file name can)."""
    return reason.replace("\r", "\\r").replace("\n", "\\n")


def _one_input(item: str, ctx: _Context) -> Iterator[Article | IngestFailure]:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", item):
        yield from _from_url(item, ctx)
        return
    path = Path(item).expanduser()
    if path.is_dir():
        for file in _walk(path):
            yield from _guarded(str(file), partial(_from_file, file, ctx))
    elif path.exists():
        yield from _from_file(path, ctx)
    else:
        raise InputError("no such file or folder", subject=item)


def _walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder``, sorted, hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):  # symlinked folders not followed: no cycles
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield Path(root) / name


# -- files ------------------------------------------------------------------------------


def _read_file(path: Path, limit: int) -> bytes:
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file", subject=name)
        if info.st_size > limit:
            raise TooLargeError(f"{info.st_size} bytes exceeds max_article_bytes={limit}", subject=name)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise InputError(f"can not read ({exc.strerror or exc})", subject=name) from None
    if len(data) > limit:
        raise TooLargeError(f"exceeds max_article_bytes={limit}", subject=name)
    if not data.strip():
        raise EmptyInputError("empty file", subject=name)
    return data


def _from_file(path: Path, ctx: _Context) -> Iterator[Article | IngestFailure]:
    name, suffix = str(path), path.suffix.lower()
    data = _read_file(path, ctx.settings.max_article_bytes)
    kind = _kind_by_suffix(suffix) or _sniff(data)
    if kind == "feed":
        yield from _from_feed(data, name, ctx)
        return
    yield _article(kind, decode_text(data, subject=name), ctx.settings, path=name)


def _kind_by_suffix(suffix: str) -> str | None:
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "feed" if suffix in FEED_SUFFIXES else None


def _sniff(data: bytes) -> str:
    """feed, html or text from the bytes themselves."""
    root = _ROOT.match(data[:8192])
    if root and root.group(1).lower() in _FEED_ROOTS:
        return "feed"
    head = data[:1024].lstrip().lower()
    return "html" if root or head.startswith((b"<!doctype html", b"<html")) else "text"


def _article(
    kind: str, text: str, settings: Settings, *, path: str | None = None, url: str | None = None
) -> Article:
    if kind == "html":
        article = article_from_html(text, url=url, path=path)
    else:
        article = article_from_text(text, url=url, path=path)
    if len(article.text) > settings.max_article_chars:
        raise TooLargeError(
            f"{len(article.text)} characters exceeds max_article_chars={settings.max_article_chars}",
            subject=path or url,
        )
    return article


# -- URLs -------------------------------------------------------------------------------


def _from_url(url: str, ctx: _Context, *, in_feed: bool = False) -> Iterator[Article | IngestFailure]:
    page = fetch(ctx.client, url, ctx.settings)
    kind = _kind_by_type(page.content_type, page.body, url)
    if kind == "feed":
        if in_feed:
            raise InputError("feed entry links to another feed; not followed", subject=url)
        yield from _from_feed(page.body, url, ctx)
        return
    text = decode_text(page.body, subject=url, charset=page.charset)
    yield _article(kind, text, ctx.settings, url=page.url)


def _kind_by_type(content_type: str, body: bytes, url: str) -> str:
    sniffed = _sniff(body)
    if sniffed == "feed":
        return "feed"
    if content_type in _HTML_TYPES or content_type in _FEED_TYPES:
        return "html"  # XML that is not a feed is most likely XHTML
    if content_type in _TEXT_TYPES:
        return "text"
    if content_type in {"", "application/octet-stream"}:
        return sniffed
    raise InputError(f"unsupported content type {content_type!r}", subject=url)


# -- feeds ------------------------------------------------------------------------------


def _parse_feed(data: bytes, name: str) -> Any:
    # feedparser resolves no external entities, but internal ones still allow
    # billion-laughs expansion; news feeds have no reason to declare any.
    if _ENTITY_DECL.search(data):
        raise InputError("feed declares XML entities; refused", subject=name)
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    except (UnicodeError, LookupError, ValueError) as exc:
        # feedparser decodes the XML declaration's encoding name as UTF-8 without a guard
        # (found by fuzz/fuzz_feed.py)
        raise InputError(f"not a readable feed ({type(exc).__name__})", subject=name) from None
    if not parsed.entries:
        problem = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise EmptyInputError(f"feed has no entries{problem}".split("\n")[0], subject=name)
    return parsed


def _from_feed(data: bytes, name: str, ctx: _Context) -> Iterator[Article | IngestFailure]:
    parsed = _parse_feed(data, name)
    for number, entry in enumerate(parsed.entries[: ctx.settings.max_feed_entries], start=1):
        link = _entry_link(entry)
        label = link or f"{name}#entry-{number}"
        yield from _guarded(label, partial(_from_entry, entry, label, ctx))


def _entry_link(entry: Any) -> str:
    """The entry's link, or "" when it can not be one: a broken feed can make feedparser
    return the rest of the document as the link (found by fuzz/fuzz_feed.py)."""
    link = str(entry.get("link") or "").strip()
    if len(link) > 2000 or any(c.isspace() or not c.isprintable() for c in link):
        return ""
    return link


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return parse_date(entry.get("published") or entry.get("updated"))


def _entry_body(entry: Any) -> str | None:
    """Full HTML content carried by the entry itself (content:encoded or Atom content)."""
    for content in entry.get("content") or ():
        if content.get("value"):
            return str(content["value"])
    return None


def _from_entry(entry: Any, label: str, ctx: _Context) -> Iterator[Article]:
    if label.lower().startswith(("http://", "https://")):
        results = list(_from_url(label, ctx, in_feed=True))
    elif _entry_body(entry):
        title = html.escape(str(entry.get("title") or ""))
        body = f"<html><head><title>{title}</title></head><body>{_entry_body(entry)}</body></html>"
        # The entry is the page here, so its own date beats anything found in the text.
        article = _article("html", body, ctx.settings, path=label)
        results = [replace(article, published=_entry_date(entry) or article.published)]
    else:
        raise InputError("feed entry has no http(s) link and no content", subject=label)
    for result in results:
        if isinstance(result, Article):
            yield _with_entry_metadata(result, entry)


def _with_entry_metadata(article: Article, entry: Any) -> Article:
    title = entry.get("title")
    return replace(
        article,
        title=article.title or (str(title).strip() if title else None),
        published=article.published or _entry_date(entry),
        author=article.author or (str(entry.get("author")) if entry.get("author") else None),
    )
