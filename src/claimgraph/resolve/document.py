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
    return _with_conjuncts(span)


def _with_conjuncts(span: Span) -> Span:
    """'he' of 'he and Xi denounced': a joint source reaches over its conjuncts."""
    root = span.root
    conj = [c for c in root.children if c.dep_ == "conj" and c.i >= span.end and c.pos_ in ("PROPN", "PRON")]
    has_and = any(c.lower_ == "and" for c in root.children if c.dep_ == "cc")
    if not conj or not has_and:
        return span
    return span.doc[span.start: max(t.i for t in conj[-1].subtree) + 1]


def _headline_end(article: Article) -> int:
    """The first paragraph is the headline when the article has several."""
    return article.paragraphs[0][1] if len(article.paragraphs) > 1 else 0


def resolve(doc: Doc, attributions: list[Attribution], article: Article
            ) -> tuple[list[Attribution], list[Entity], list[Mention]]:
    """See ``claimgraph.resolve.resolve_document``."""
    spans = {}
    contents: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a in attributions:
        if a.source is not None:
            sp = doc_span(doc, a.source.start, a.source.end)
            if sp is not None:
                spans[(a.source.start, a.source.end)] = sp
                contents.setdefault((sp.start_char, sp.end_char), []).append((a.content.start, a.content.end))
    res = ArticleResolver(doc, article.text, sorted(spans.values(), key=lambda s: s.start),
                          _headline_end(article), contents).run()
    out = []
    for a in attributions:
        sp = spans.get((a.source.start, a.source.end)) if a.source is not None else None
        # sp may reach over conjuncts ("he and Xi"), so look it up by its own offsets
        key = res.by_span.get((sp.start_char, sp.end_char)) if sp is not None else None
        if sp is None or key is None:
            out.append(a)
            continue
        name = res.joint.get((sp.start_char, sp.end_char), res.entities[key].name)
        out.append(a.with_(source_name=name, source_entity=key))
    entities = sorted(res.entities.values(), key=lambda e: e.key)
    mentions = sorted(res.mentions, key=lambda m: (m.span.start, m.span.end))
    return out, entities, mentions
