"""Evidence, channel and citations: Doc with ``doc._.attributions`` -> the same, enriched.

Looks in the sentence of each attribution for what the claim rests on ("based on X",
"other than X", "pointing to X"), for a statement that none was given ("without
providing evidence"), for the channel ("as quoted by Reuters", "in an interview with
X") and for whom the source cites ("citing senior officials").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Attribution, Span

_NO_EVIDENCE = re.compile(
    r"\b(without (?:providing|offering|giving|citing|presenting) (?:any )?(?:evidence|proof|details)"
    r"|(?:provided|offered|gave|presented|cited) no (?:evidence|proof)|no evidence (?:was|has been) (?:given|provided))",
    re.IGNORECASE,
)
# most specific first: 'without providing evidence ... other than X' must yield X
_EVIDENCE = [
    re.compile(
        r"\b(?:other than|based on|pointing to|citing evidence (?:of|that)|on the basis of|relying on)\s+"
        r"(?P<ev>(?:[^,;\"\u201c\u201d.]|\.(?=\w))+?)(?=\s+(?:more than|which|as)\b|[,;\"\u201c\u201d]|\.(?!\w)|$)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bevidence (?:of|that)\s+(?P<ev>(?:[^,;\"\u201c\u201d.]|\.(?=\w))+?)(?=[,;\"\u201c\u201d]|\.(?!\w)|$)", re.IGNORECASE
    ),
]
_VIA = re.compile(
    r"\b(?:as quoted by|quoted by|as reported by|according to reports? (?:by|in)|in an interview with|told)\s+"
    r"(?P<via>(?:the )?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*)"
)
_CITES = re.compile(r"\bciting\s+(?P<cites>(?:[^,.;]|\.(?=\w|\s+[a-z]))+)", re.IGNORECASE)


def _sentence_window(doc: Doc, att: Attribution) -> tuple[int, int]:
    """From the start of the cue's sentence to the end of the content's sentence, whichever is wider."""
    cue_tok = doc.char_span(att.cue.start, att.cue.end, alignment_mode="expand")
    start, end = att.cue.start, att.content.end
    if cue_tok is not None and len(cue_tok):
        i = cue_tok[0].i
        first = doc[doc.user_data["cg_sent_starts"][i]]
        last = doc[doc.user_data["cg_sent_ends"][i] - 1]
        start = min(start, first.idx)
        end = max(end, last.idx + len(last.text))
    return start, end


def _evidence(text: str, s: int, e: int) -> Span | None:
    for pattern in _EVIDENCE:
        m = pattern.search(text, s, e)
        if m:
            return Span.of(text, *m.span("ev"))
    return None


def enrich(doc: Doc, text: str, att: Attribution) -> Attribution:
    s, e = _sentence_window(doc, att)
    changes: dict[str, object] = {}
    if _NO_EVIDENCE.search(text, s, e):
        changes["no_evidence"] = True
    ev = _evidence(text, s, e)
    if ev is not None and not (att.content.start <= ev.start < att.content.end):
        changes["evidence"] = ev
    via = _VIA.search(text, att.cue.start, e)
    if via and via.group(0).split()[0].lower() != "told":
        changes["via"] = via.group("via").rstrip(".")
    cites = _CITES.search(text, att.cue.start, e)
    if cites:
        changes["cites"] = cites.group("cites").strip()
    return att.with_(**changes) if changes else att


class EvidenceFinder:
    """spaCy component: sets evidence, no_evidence, via and cites on attributions."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # spaCy rebuilds it on every access
        doc._.attributions = [enrich(doc, text, att) for att in doc._.attributions or []]
        return doc
