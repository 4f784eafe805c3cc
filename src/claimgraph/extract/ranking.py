"""Attribution ranking: (Doc, Cue, Attribution) -> probability that the attribution is right.

A second, attribution-level logistic regression (``model/ranker.json``, trained on PolNeAR
train by ``scripts/train_extractor.py``) looks at the whole candidate -- the cue, how the
content was found, its length and place, the source -- and so can keep cues the
token-level classifier doubted and drop built attributions that look wrong.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..records import Attribution
from .cues import QUOTE_MARKS, Cue

MODEL_DIR = Path(__file__).parent / "model"


@lru_cache(maxsize=4)
def load_ranker(path: str) -> dict[str, float] | None:
    file = Path(path)
    return json.loads(file.read_text()) if file.exists() else None


def _bucket(n: int) -> int:
    return min(int(math.log2(n + 1)), 8)


def rank_features(doc: Doc, cue: Cue, att: Attribution) -> list[str]:
    """Sparse features of a built attribution."""
    head = doc[cue.head]
    lemma = head.lemma_.lower()
    content_words = len(att.content.text.split())
    before = att.content.end <= att.cue.start
    src = att.source.text.split()[0].lower() if att.source else "-"
    feats = [
        "bias", f"k={cue.kind}", f"l={lemma}", f"ld={lemma}|{head.dep_}", f"d={head.dep_}", f"t={att.type}",
        f"lt={lemma}|{att.type}", f"p={min(int(cue.score * 10), 9)}", f"n={_bucket(content_words)}",
        f"ln={lemma}|{_bucket(content_words)}", f"b={before}", f"lb={lemma}|{before}",
        f"s={att.source is not None}", f"ls={lemma}|{att.source is not None}", f"frag={len(att.content.pieces)}",
        f"neg={cue.negated}", f"sp={src if src in ('he', 'she', 'they', 'it', 'i', 'we', 'you') else 'other'}",
        f"c0={att.content.text[:1] in QUOTE_MARKS}", f"that={att.content.text.lower().startswith('that ')}",
    ]  # fmt: skip
    first = doc.char_span(att.content.start, att.content.start + 1, alignment_mode="expand")
    if first is not None and len(first):
        feats.append(f"cf={first[0].pos_}")
    quotes = doc.user_data.get("cg_quotes")
    if quotes is not None:
        feats.append(f"q={quotes.containing(head.idx) is not None}")  # a cue inside a quotation
    headline = not any("\n" in t.text_with_ws for t in doc[: head.i])
    feats.append(f"h={headline}")
    feats.append(f"sd={_src_pos(doc, att)}")
    return feats


def _src_pos(doc: Doc, att: Attribution) -> str:
    if att.source is None:
        return "-"
    span = doc.char_span(att.source.start, att.source.end, alignment_mode="expand")
    return span.root.pos_ if span is not None and len(span) else "?"


def rank(weights: dict[str, float], feats: list[str]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
