"""HTML page -> Page (main-text paragraphs and metadata): trafilatura first, lxml as fallback.

trafilatura drops navigation, cookie banners, figure captions and footers; when it finds no
main text (tiny or malformed pages) the fallback keeps the ``<p>`` elements outside
navigation, asides, figures and footers. No I/O; the cleaner in ``clean.py`` turns a Page
into an Article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from .decode import C0_CONTROLS

_BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "form",
    "button",
    "template",
    "svg",
    "iframe",
)


# trafilatura spends ~0.3 ms per element (a 5 MB page of 500,000 tiny paragraphs: minutes);
# real article pages have a few thousand elements.
MAX_TRAFILATURA_TAGS = 60_000


@dataclass(frozen=True, slots=True)
class Page:
    paragraphs: tuple[str, ...]
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _trafilatura(html: str, url: str | None) -> Any:
    if html.count("<") > MAX_TRAFILATURA_TAGS:
        return None  # its passes are slow per element: monster pages take the lxml fallback
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
            # Dates from metadata and URL only: guessing from body text finds years
            # the story mentions, not the day it was published.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    # trafilatura and lxml raise assorted errors on hostile markup; any of them means
    # "no extraction", and the fallback below still gets a chance.
    except Exception:  # noqa: BLE001
        return None


def _fallback_paragraphs(html: str) -> tuple[str, ...]:
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ()
    for element in tree.iter(*_BOILERPLATE):
        element.drop_tree()
    found = [p.text_content() for p in tree.iter("p", "h1", "h2", "li")]
    if not any(t.strip() for t in found):
        found = tree.text_content().split("\n")
    return tuple(t.strip() for t in found if t.strip())


def _fallback_title(html: str) -> str | None:
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for path in ("//meta[@property='og:title']/@content", "//h1", "//title"):
        hits = tree.xpath(path)
        if hits:
            text = hits[0] if isinstance(hits[0], str) else hits[0].text_content()
            return _text_or_none(str(text))
    return None


# Characters XML cannot hold: lxml refuses to set them as node text, which made the
# fallback parser raise on pages carrying stray control characters.
_XML_UNSAFE = re.compile(f"[{C0_CONTROLS}\x0c\ud800-\udfff\ufffe\uffff]")


def extract_page(html: str, *, url: str | None = None) -> Page:
    """Main text (one paragraph per extracted line) and metadata of an HTML page."""
    html = _XML_UNSAFE.sub("", html)
    doc = _trafilatura(html, url)
    text = _text_or_none(getattr(doc, "text", None))
    if text:
        paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    else:
        paragraphs = _fallback_paragraphs(html)
    return Page(
        paragraphs=paragraphs,
        title=_text_or_none(getattr(doc, "title", None)) or _fallback_title(html),
        date=_text_or_none(getattr(doc, "date", None)),
        author=_text_or_none(getattr(doc, "author", None)),
        site_name=_text_or_none(getattr(doc, "sitename", None)),
        canonical_url=_canonical(getattr(doc, "url", None), url),
    )


def _canonical(found: Any, fetched: str | None) -> str | None:
    """The page's declared URL when it is absolute http(s), else the one it was fetched from."""
    value = _text_or_none(found)
    if value and value.lower().startswith(("http://", "https://")):
        return value
    return fetched
