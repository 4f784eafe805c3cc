"""Cue finding: a parsed spaCy Doc -> ``doc._.cues`` (list of Cue, in text order).

A cue is the reporting expression of an attribution: a verb of speech, belief or
report ("said", "is believed to", "was quoted as saying"), "according to", a refusal
("declined to comment", "no immediate comment"), or a colon introducing a quote.
Which lemmas count as cues is learned from PolNeAR (``model/cues.json``: for each
lemma, how often it heads a gold cue); the grammar around them is rules on the parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Token

CueKind = Literal["verb", "noun", "according_to", "no_comment", "colon"]
MODEL_DIR = Path(__file__).parent / "model"

# Lemmas that head a cue often enough in news to trust without a learned lexicon.
CORE_VERBS = frozenset(
    "say tell add write report announce claim argue believe think deny insist warn note "
    "explain state suggest acknowledge admit confirm reveal predict tweet reject allege "
    "assert contend declare maintain recall reply respond stress testify vow".split()
)
# "declined to comment", "refused to comment", "no immediate comment"
REFUSAL_VERBS = frozenset({"decline", "refuse"})
COMMENT_WORDS = frozenset({"comment", "comments", "respond", "response"})
QUOTE_MARKS = frozenset('"\u201c\u201d')


@dataclass(frozen=True, slots=True)
class Cue:
    """Token indices: ``head`` anchors the grammar, [start, end) is the cue's text."""

    head: int
    start: int
    end: int
    kind: CueKind
    score: float = 1.0
    negated: bool = False


@lru_cache(maxsize=4)
def load_lexicon(path: str, min_rate: float, min_count: int) -> dict[str, float]:
    """lemma|POS -> cue rate, keeping entries that clear the thresholds."""
    file = Path(path)
    if not file.exists():
        return {f"{v}|VERB": 0.5 for v in CORE_VERBS}
    raw: dict[str, list[int]] = json.loads(file.read_text())
    out = {}
    for key, (n_cue, n_seen) in raw.items():
        rate = n_cue / max(n_seen, 1)
        if n_cue >= min_count and rate >= min_rate:
            out[key] = rate
    return out


def _verb_phrase(tok: Token) -> tuple[int, int, bool]:
    """The cue's extent: the verb with its auxiliaries, negation and particles."""
    start, end, negated = tok.i, tok.i + 1, False
    for child in tok.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < tok.i and tok.i - child.i <= 3:
            start = min(start, child.i)
            negated = negated or child.dep_ == "neg"
        elif child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    return start, end, negated


def _quoted_as(tok: Token) -> int | None:
    """'was quoted as saying': the cue runs on to the speech verb."""
    for child in tok.children:
        if child.dep_ in ("advcl", "prep", "xcomp") and child.i > tok.i and child.i - tok.i <= 3:
            if child.lower_ == "as" or tok.doc[tok.i + 1].lower_ == "as":
                return child.i + 1 if child.lower_ != "as" else child.i + 2
    return None


def according_to(doc: Doc, i: int) -> Cue | None:
    if doc[i].lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
        return Cue(i, i, i + 2, "according_to")
    return None


def refusal(doc: Doc, tok: Token) -> Cue | None:
    """'declined to comment', 'there was no immediate comment from X'."""
    if tok.lemma_ in REFUSAL_VERBS:
        for child in tok.children:
            if child.dep_ == "xcomp" and child.lemma_ in COMMENT_WORDS:
                start, _, _ = _verb_phrase(tok)
                return Cue(tok.i, start, child.i + 1, "no_comment", negated=True)
    if tok.lower_ == "comment" and tok.pos_ == "NOUN":
        dets = [c for c in tok.children if c.lower_ == "no"]
        if dets:
            return Cue(tok.i, dets[0].i, tok.i + 1, "no_comment", negated=True)
    return None


def colon_cue(doc: Doc, tok: Token) -> Cue | None:
    """'Smith: "We will win."' -- a colon right before a quote, with a name before it."""
    if tok.text != ":" or tok.i + 1 >= len(doc) or tok.i == 0:
        return None
    if doc[tok.i + 1].text in QUOTE_MARKS and doc[tok.i - 1].pos_ in ("PROPN", "NOUN", "PRON"):
        return Cue(tok.i, tok.i, tok.i + 1, "colon", score=0.6)
    return None


def verb_cue(tok: Token, lexicon: dict[str, float]) -> Cue | None:
    rate = lexicon.get(f"{tok.lemma_.lower()}|{tok.pos_}")
    if rate is None:
        return None
    if tok.pos_ == "NOUN":
        return Cue(tok.i, tok.i, tok.i + 1, "noun", score=rate)
    start, end, negated = _verb_phrase(tok)
    end = _quoted_as(tok) or end
    return Cue(tok.i, start, end, "verb", score=rate, negated=negated)


def find_cues(doc: Doc, lexicon: dict[str, float]) -> list[Cue]:
    """Every candidate cue in the doc; one cue per head token, spans never overlap."""
    cues: list[Cue] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken:
            continue
        cue = according_to(doc, tok.i) or refusal(doc, tok) or colon_cue(doc, tok) or verb_cue(tok, lexicon)
        if cue is None or any(i in taken for i in range(cue.start, cue.end)):
            continue
        cues.append(cue)
        taken.update(range(cue.start, cue.end))
    return cues


class CueFinder:
    """spaCy component: sets ``doc._.cues``."""

    def __init__(self, lexicon_path: str | None = None, min_rate: float = 0.2, min_count: int = 3) -> None:
        path = lexicon_path or str(MODEL_DIR / "cues.json")
        self.lexicon = load_lexicon(path, min_rate, min_count)

    def __call__(self, doc: Doc) -> Doc:
        doc._.cues = find_cues(doc, self.lexicon)
        return doc
