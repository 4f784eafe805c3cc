"""Headline attributions: (attributions, headline end) -> attributions without restated ones.

A news headline ("Minister Says Port Will Reopen", "Port to reopen - sources") condenses
the lede; its source is a short form ("Minister", "sources", a capital) of the source
the body names in full. When the body carries an attribution of the same content, the
headline one is a duplicate of it and is dropped; a headline whose claim the body does
not repeat is kept. Pure functions: no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from ..records import Article, Attribution
from .refusals import fill_refusals

# words that carry no content in a headline ("to", "for", "says", "over" ...)
_FUNCTION = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "but", "with", "by", "at", "from", "as",
    "that", "this", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can",
    "could", "may", "might", "not", "no", "its", "it", "his", "her", "their", "says", "say", "said", "after",
    "over", "into"])
COVERED = 0.5  # share of the headline's content words the body attribution must repeat


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so that "offer"/"offered" and "ship"/"shipping" meet."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))
    return {w[:5] for w in words if w not in _FUNCTION and len(w) > 1}


# where a headline's claim ends and its background begins: "Talks Postponed as Dispute Reaches OSCE"
_BACKGROUND = re.compile(r"\s+(?:as|amid|despite|after|while)\s+", re.IGNORECASE)


def restated(head: Attribution, body: Sequence[Attribution]) -> bool:
    """True when some body attribution repeats most of the headline attribution's content, its
    claim without the background a headline adds after "as", "amid", "despite" or "after"."""
    words = _stems(_BACKGROUND.split(head.content.text, maxsplit=1)[0])
    if not words:
        return False
    return any(len(words & _stems(b.content.text)) / len(words) >= COVERED for b in body)


def drop_restated_headlines(atts: Sequence[Attribution], headline_end: int) -> list[Attribution]:
    """Attributions whose cue lies in the headline (text before ``headline_end``) and whose
    content the body repeats are dropped; the others are kept, in order."""
    if headline_end <= 0:
        return list(atts)
    body = [a for a in atts if a.cue.start >= headline_end]
    return [a for a in atts if a.cue.start >= headline_end or not restated(a, body)]


class ArticleFinisher:
    """spaCy component, last: what needs the article as a whole. Restated headlines are
    dropped when the doc carries its headline's end (``doc.user_data["cg_headline_end"]``,
    set by the pipeline from the article's title), and refusals with no content get their
    refusal clause as content."""

    def __call__(self, doc: Doc) -> Doc:
        atts = drop_restated_headlines(doc._.attributions or [], int(doc.user_data.get("cg_headline_end", 0)))
        doc._.attributions = fill_refusals(atts, doc.text)
        return doc


def headline_end(article: Article) -> int:
    """End of the headline: the first paragraph when it is the article's title, else 0."""
    if not article.title or len(article.paragraphs) < 2:
        return 0
    start, end = article.paragraphs[0]
    same = " ".join(article.text[start:end].split()) == " ".join(article.title.split())
    return end if same else 0
