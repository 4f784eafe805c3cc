"""spaCy plumbing: (Doc, attributions, Article) -> resolved attributions, entities, mentions.

The only module of ``resolve`` that maps character spans to spaCy spans; everything it
needs decided is decided in ``coref`` (binding), ``mentions`` (reading one mention),
``anonymous`` and ``metonyms`` (tables).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import Article, Attribution, Entity, Mention
from .coref import ArticleResolver


def doc_span(doc: Doc, start: int, end: int) -> Span | None:
    """Character offsets -> the smallest token span covering them (None when outside)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


def _headline_end(article: Article) -> int:
    """The first paragraph is the headline when the article has several."""
    return article.paragraphs[0][1] if len(article.paragraphs) > 1 else 0


def resolve(doc: Doc, attributions: list[Attribution], article: Article
            ) -> tuple[list[Attribution], list[Entity], list[Mention]]:
    """See ``claimgraph.resolve.resolve_document``."""
    spans = {}
    for a in attributions:
        if a.source is not None:
            sp = doc_span(doc, a.source.start, a.source.end)
            if sp is not None:
                spans[(a.source.start, a.source.end)] = sp
    res = ArticleResolver(doc, article.text, sorted(spans.values(), key=lambda s: s.start),
                          _headline_end(article)).run()
    out = []
    for a in attributions:
        key = None
        if a.source is not None and (a.source.start, a.source.end) in spans:
            sp = spans[(a.source.start, a.source.end)]
            key = res.by_span.get((sp.start_char, sp.end_char))
        if key is None:
            out.append(a)
            continue
        out.append(a.with_(source_name=res.entities[key].name, source_entity=key))
    entities = sorted(res.entities.values(), key=lambda e: e.key)
    mentions = sorted(res.mentions, key=lambda m: (m.span.start, m.span.end))
    return out, entities, mentions
