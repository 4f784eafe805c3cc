"""Registrations only: component names -> factories for spaCy's ``nlp.add_pipe``.

Names are versioned ("claimgraph_cues_v1"; spaCy forbids dots in factory names); a change of behaviour gets a new version
so that saved pipelines keep meaning what they meant.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import attribution, cues
from .attribution import AttributionBuilder
from .cues import CueFinder
from .evidence import EvidenceFinder
from .headline import ArticleFinisher
from .hedging import HedgeFinder
from .paragraphs import ParagraphSplitter

for _name in ("cues", "attributions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("claimgraph_cues_v1", default_config={"model_dir": None, "threshold": cues.THRESHOLD, "min_rate": cues.MIN_RATE})
def make_cues(nlp: Language, name: str, model_dir: str | None, threshold: float, min_rate: float) -> CueFinder:
    return CueFinder(model_dir, threshold, min_rate)


@Language.factory("claimgraph_paragraphs_v1")
def make_paragraphs(nlp: Language, name: str) -> ParagraphSplitter:
    return ParagraphSplitter()


@Language.factory("claimgraph_attribution_v1", default_config={"model_dir": None, "threshold": attribution.THRESHOLD})
def make_attribution(nlp: Language, name: str, model_dir: str | None, threshold: float) -> AttributionBuilder:
    return AttributionBuilder(model_dir, threshold)


@Language.factory("claimgraph_hedging_v1")
def make_hedging(nlp: Language, name: str) -> HedgeFinder:
    return HedgeFinder()


@Language.factory("claimgraph_evidence_v1")
def make_evidence(nlp: Language, name: str) -> EvidenceFinder:
    return EvidenceFinder()


@Language.factory("claimgraph_article_v1")
def make_article(nlp: Language, name: str) -> ArticleFinisher:
    return ArticleFinisher()
