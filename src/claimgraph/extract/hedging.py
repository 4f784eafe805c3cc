"""Hedging: Doc with ``doc._.attributions`` -> the same, with ``hedged`` and ``hedge`` set.

A statement is hedged when its content or its framing carries a marker of doubt:
a modal ("may", "could"), a belief or appearance verb ("is thought to", "believe"),
an adverb ("reportedly", "allegedly") or an alternative ("or will be").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Attribution

# longest first, so "is thought to" wins over "thought"
HEDGES = sorted(
    """is thought to|are thought to|is believed to|are believed to|is expected to|are expected to|
    is said to|are said to|is likely to|are likely to|appears to|appear to|seems to|seem to|
    or will be|or preparing to|may|might|could|possibly|probably|perhaps|reportedly|allegedly|
    apparently|likely|unlikely|suspected|believe|believes|believed|think|thinks|suggest|suggests|
    estimated|unconfirmed|unclear|or will""".replace("\n", "").split("|"),
    key=len,
    reverse=True,
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(h.strip()) for h in HEDGES if h.strip()) + r")\b", re.IGNORECASE)
FRAMING_WINDOW = 40  # characters before the cue where "reportedly", "is believed to" frame it


def find_hedge(text: str, attribution: Attribution) -> str | None:
    """The first hedge cue in the content, the cue or just before the cue."""
    windows = [(attribution.content.start, attribution.content.end)]
    if attribution.type != "no_comment":  # 'could not be reached for comment' doubts nothing
        windows.append((attribution.cue.start, attribution.cue.end))
    before = max(0, attribution.cue.start - FRAMING_WINDOW)
    stop = max(text.rfind(". ", before, attribution.cue.start), text.rfind("\n", before, attribution.cue.start))
    windows.append((stop + 1 if stop >= 0 else before, attribution.cue.start))  # this sentence only
    for s, e in windows:
        m = _PATTERN.search(text, s, e)
        if m:
            return m.group(0)
    return None


class HedgeFinder:
    """spaCy component: marks hedged attributions."""

    def __call__(self, doc: Doc) -> Doc:
        out, text = [], doc.text  # spaCy rebuilds doc.text on every access
        for att in doc._.attributions or []:
            hedge = find_hedge(text, att)
            out.append(att.with_(hedged=True, hedge=hedge) if hedge else att)
        doc._.attributions = out
        return doc
