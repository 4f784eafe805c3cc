"""Raw article text or HTML -> Article: pure functions, no I/O.

``article_from_text`` cleans the markdown-ish text that copy-paste and scrapers produce
(inline link tags, bold photo-credit caption lines, hard-wrapped paragraphs, a trailing
``Original url:``); ``article_from_html`` takes a page's main text and metadata from
trafilatura. Both return an :class:`~claimgraph.records.Article` whose ``text`` keeps one
paragraph per ``"\\n\\n"``-separated block (the headline first) and whose ``id`` derives
from :func:`content_hash`, so the same story ingested twice gets the same id.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import EmptyInputError
from ..records import Article
from .dates import date_of_line, parse_date
from .page import extract_page

# Characters that are invisible but break tokenisation and hashing.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Runs are bounded so that text full of unclosed "<a" or "**" stays linear to scan.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,40}(?:\s[^<>]{0,2000})?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,30});")
# Link text stops at any bracket, so each "[" starts at most one scan up to the next
# bracket: linear on "[[[[..." where "[^\]]+" would rescan the rest of the line per "[".
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()\s]*\)")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\((?:https?://|/)[^()\s]*\)")
_BOLD = re.compile(r"\*\*([^*\n]{1,500}?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+")
_CREDIT = re.compile(r"(?i)^\(?(?:photo|photograph|picture|image|illustration)(?: credit)?s?\s*[:/]")
_EDITORIAL = re.compile(
    r"(?i)^(?:updated?(?:\s+(?:to|with|at|on)\b|\s*:)|this (?:article|story|report) (?:has been|was) updated)"
)
_RELATED = re.compile(
    r"(?i)^(?:related(?:\s+(?:article|articles|story|stories|content|coverage|reading))?|read more|"
    r"read also|also read|see also|more on this(?: story)?)\s*:"
)
_SOURCE_LABEL = re.compile(r"(?i)^(?:original|source|canonical)\s+(?:url|link)\s*:\s*(?P<rest>.*)$")
_URL_PIECE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|al))*)\s*$")
# Paragraph ends that finish a sentence; closing quotes or brackets may follow them.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]»]*$")
_LOWER_START = re.compile(r"^[\"'“‘(]?[a-z]")

_MAX_TITLE_CHARS = 200
_MIN_PAGE_WORDS = 5  # fewer is a stray menu item or button the extractor kept, not a story
_HEADER_LINES = 4  # datelines and bylines are looked for this close to the headline


@dataclass(frozen=True, slots=True)
class _Header:
    title: str | None = None
    published: str | None = None
    author: str | None = None


# -- shared helpers ---------------------------------------------------------------------


def content_hash(text: str) -> str:
    """sha256 hex of ``text`` with whitespace collapsed and case folded."""
    canonical = " ".join(text.split()).casefold()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def article_id(digest: str) -> str:
    """A stable short id for an article: the first 16 hex digits of its content hash."""
    return digest[:16]


def outlet_of(url: str | None) -> str | None:
    """The outlet named by a URL's host: ``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # a malformed URL in the text ("http://[x/...") names no outlet
        return None
    return host.removeprefix("www.") or None


def _normalise_chars(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)


def _squash(text: str) -> str:
    """One paragraph's whitespace (including no-break spaces and tabs) as single spaces."""
    return " ".join(text.split())


def _unescape(text: str) -> str:
    # Only well-formed references: html.unescape alone would also turn "AT&T;" or "&copy" text.
    return _ENTITY.sub(lambda m: htmllib.unescape(m.group()), text)


def _strip_inline(line: str) -> str:
    """Tags dropped with their inner text kept; markdown links reduced to their text."""
    if "](" in line:  # the checks skip the regexes on the common plain line
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line))
    if "<" in line:
        line = _TAG.sub("", line)
    return _unescape(line) if "&" in line else line


def _build(
    paragraphs: Sequence[str],
    header: _Header,
    *,
    url: str | None,
    path: str | None,
    outlet: str | None,
    subject: str,
) -> Article:
    kept = [p for p in paragraphs if any(c.isalnum() for c in p)]
    if not kept:
        raise EmptyInputError("no article text left after cleaning", subject=subject)
    text = "\n\n".join(kept)
    ranges, start = [], 0
    for paragraph in kept:
        ranges.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    digest = content_hash(text)
    return Article(
        id=article_id(digest),
        text=text,
        content_hash=digest,
        title=header.title,
        published=header.published,
        outlet=outlet or outlet_of(url),
        url=url,
        path=path,
        author=header.author,
        paragraphs=tuple(ranges),
    )


def _is_noise(paragraph: str) -> bool:
    """Editorial notes, related-article links and photo credits: not part of the story."""
    return bool(
        _EDITORIAL.match(paragraph)
        or _RELATED.match(paragraph)
        or _CREDIT.match(paragraph)
        or paragraph.casefold() in {"advertisement", "advertising", "ad"}
    )


def _rejoin(paragraphs: Iterable[str], *, protect_first: bool) -> list[str]:
    """Paragraphs split mid-sentence by a stray blank line joined back together."""
    # Pieces are gathered and joined once: re-building the growing paragraph (and
    # scanning it for its end) on every join is quadratic on "word\n\n" repeated.
    groups: list[list[str]] = []
    for paragraph in paragraphs:
        joinable = groups and not (protect_first and len(groups) == 1)
        if joinable and not _TERMINAL.search(groups[-1][-1]) and _LOWER_START.match(paragraph):
            groups[-1].append(paragraph)
        else:
            groups.append([paragraph])
    return [" ".join(group) for group in groups]


def _drop_comments(text: str) -> str:
    """``<!-- ... -->`` removed; an unclosed one is left as text. Linear, unlike a lazy
    ``<!--.*?-->`` regex, which rescans to the end for every unclosed ``<!--``."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


# -- text -------------------------------------------------------------------------------


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-blank lines, each line stripped."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---``-fenced ``key: value`` lines at the top of a markdown file, and the rest."""
    match = re.match(r"\A\s*---\n(?P<body>.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match["body"].split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip().isidentifier():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _continues_url(piece: str, previous: str) -> bool:
    if not _URL_PIECE.match(piece) or piece.lower().startswith(("http://", "https://")):
        return False
    # A short bare word after a URL is more likely text than the URL's wrapped tail.
    return len(previous) >= 60 or any(c in piece for c in "/-_.=&%?#")


def _take_source_url(blocks: list[list[str]]) -> tuple[str | None, list[list[str]]]:
    """The ``Original url:`` the text ends with, hard-wrapped or not, and the other blocks."""
    lines = [(b, i, line) for b, block in enumerate(blocks) for i, line in enumerate(block)]
    labels = [n for n, (_, _, line) in enumerate(lines) if _SOURCE_LABEL.match(line)]
    if not labels:
        return None, blocks
    first = labels[-1]
    label = _SOURCE_LABEL.match(lines[first][2])
    pieces = [label["rest"]] if label and label["rest"] else []
    used = {first}
    for n in range(first + 1, len(lines)):
        piece = lines[n][2]
        ok = _URL_PIECE.match(piece) and piece.lower().startswith(("http://", "https://"))
        if not (ok if not pieces else _continues_url(piece, pieces[-1])):
            break
        pieces.append(piece)
        used.add(n)
    url = "".join(pieces) or None
    if url and not url.lower().startswith(("http://", "https://")):
        url = None
    kept: list[list[str]] = [[] for _ in blocks]
    for n, (b, _, line) in enumerate(lines):
        if n not in used:
            kept[b].append(line)
    return url, [b for b in kept if b]


def _headline_like(text: str) -> bool:
    # Headlines rarely end with a full stop; a long line that does is the first paragraph.
    finished = text.endswith(".") and len(text.split()) > 10
    return 0 < len(text) <= _MAX_TITLE_CHARS and not finished


def _take_header(blocks: list[list[str]]) -> tuple[_Header, list[list[str]]]:
    """Headline (kept as the first block), dateline and byline (removed) from the top."""
    if not blocks:
        return _Header(), blocks
    first = blocks[0]
    heading = bool(_HEADING.match(first[0]))
    title_line, after = _HEADING.sub("", first[0]).strip(), first[1:]
    if len(first) > 1 and not heading and not (date_of_line(first[1]) or _BYLINE.match(first[1])):
        title_line, after = " ".join(first), []  # a wrapped headline, or a first paragraph
    if not (heading or _headline_like(title_line)):
        title_line, after = "", first
    rest = ([after] if after else []) + blocks[1:]
    published, author, rest = _take_dateline(rest)
    header = _Header(title=title_line or None, published=published, author=author)
    return header, ([[title_line]] if title_line else []) + rest


def _take_dateline(blocks: list[list[str]]) -> tuple[str | None, str | None, list[list[str]]]:
    published = author = None
    checked = 0
    out: list[list[str]] = []
    for block in blocks:
        kept: list[str] = []
        for line in block:
            checked += 1
            plain = _BOLD.sub(r"\1", line)
            byline = _BYLINE.match(plain) if checked <= _HEADER_LINES else None
            when = date_of_line(plain) if checked <= _HEADER_LINES else None
            if when and not published:
                published = when
            elif byline and not author:
                author = byline["name"]
            else:
                kept.append(line)
        if kept:
            out.append(kept)
    return published, author, out


def _is_caption(block: str) -> bool:
    """A block ending in a bold run after a finished sentence, or nothing but bold."""
    stripped = block.rstrip()
    start = stripped.rfind("**", 0, len(stripped) - 2) if stripped.endswith("**") else -1
    bold = stripped[start + 2 : -2].strip() if start >= 0 else ""
    if not bold or "*" in bold or _TERMINAL.search(bold):
        return False
    before = stripped[:start].strip()
    return not before or bool(_TERMINAL.search(before))


def _paragraph(block: list[str]) -> str:
    joined = _BOLD.sub(r"\1", " ".join(block))
    return _squash(joined.replace("**", ""))


def article_from_text(
    raw: str, *, path: str | None = None, url: str | None = None, outlet: str | None = None
) -> Article:
    """Markdown-ish article text -> Article (headline first, metadata taken out of the text).

    Raises EmptyInputError when nothing is left after cleaning.
    """
    meta, text = _front_matter(_normalise_chars(raw))
    text = "\n".join(_strip_inline(line) for line in _drop_comments(text).split("\n"))
    found_url, blocks = _take_source_url(_blocks(text))
    header, blocks = _take_header(blocks)
    paragraphs = [_paragraph(b) for b in blocks if not _is_caption(" ".join(b))]
    paragraphs = [p for p in paragraphs if p and not _is_noise(p)]
    paragraphs = _rejoin(paragraphs, protect_first=header.title is not None)
    header = _Header(
        title=meta.get("title") or (_BOLD.sub(r"\1", header.title) if header.title else None),
        published=parse_date(meta.get("date") or meta.get("published")) or header.published,
        author=meta.get("author") or header.author,
    )
    if header.title and meta.get("title") and paragraphs[:1] != [header.title]:
        paragraphs.insert(0, header.title)
    final_url = found_url or meta.get("url") or url
    return _build(
        paragraphs,
        header,
        url=final_url,
        path=path,
        outlet=outlet or meta.get("outlet") or meta.get("source"),
        subject=path or url or "text",
    )


# -- HTML -------------------------------------------------------------------------------


def article_from_html(html: str, *, url: str | None = None, path: str | None = None) -> Article:
    """An HTML page -> Article: main text by trafilatura (lxml fallback), headline first.

    Raises EmptyInputError when the page holds no article text.
    """
    subject = path or url or "html"
    page = extract_page(_normalise_chars(html), url=url)
    paragraphs = [_squash(_unescape(p)) for p in page.paragraphs]
    paragraphs = [p for p in paragraphs if p and not _is_noise(p)]
    title = _squash(page.title) if page.title else None
    if title and (not paragraphs or paragraphs[0].casefold() != title.casefold()):
        paragraphs.insert(0, title)
    paragraphs = _rejoin(paragraphs, protect_first=title is not None)
    body = paragraphs[1:] if title else paragraphs
    if sum(len(p.split()) for p in body) < _MIN_PAGE_WORDS:
        raise EmptyInputError("no article text in the page", subject=subject)
    header = _Header(title=title, published=parse_date(page.date), author=page.author)
    final_url = page.canonical_url or url
    return _build(
        paragraphs,
        header,
        url=final_url,
        path=path,
        outlet=page.site_name or outlet_of(final_url),
        subject=subject,
    )
