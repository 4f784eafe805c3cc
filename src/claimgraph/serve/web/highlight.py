"""Article text + attribution rows -> paragraphs of segments carrying highlight layers.

Spans (source, cue, content pieces, evidence) may overlap or nest, as in annotation tools:
the text is cut at every span boundary, and each piece (segment) carries every layer that
covers it, so the template renders flat, never-crossing elements whose classes combine.
Offsets are character offsets into the article's cleaned text; bad ones are dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]
KINDS = ("source", "cue", "content", "evidence")  # link priority: the first layer with a link wins


@dataclass(frozen=True, slots=True)
class Layer:
    """One highlighted span of one attribution."""

    start: int
    end: int
    kind: str
    att: int  # position of the attribution in the article
    stance: str | None = None
    href: str | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text whose covering layers are the same throughout."""

    text: str
    layers: tuple[Layer, ...] = ()

    @property
    def classes(self) -> str:
        kinds = sorted({f"hl-{layer.kind}" for layer in self.layers})
        stances = sorted({f"stance-{layer.stance}" for layer in self.layers
                          if layer.kind == "content" and layer.stance})
        multi = ["hl-multi"] if len({layer.att for layer in self.layers}) > 1 else []
        return " ".join(["hl", *kinds, *stances, *multi])

    @property
    def atts(self) -> str:
        return " ".join(str(a) for a in sorted({layer.att for layer in self.layers}))

    @property
    def href(self) -> str | None:
        ranked = sorted((KINDS.index(layer.kind), layer.att) for layer in self.layers if layer.href)
        for rank, att in ranked:
            for layer in self.layers:
                if layer.att == att and KINDS.index(layer.kind) == rank:
                    return layer.href
        return None

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(layer.title for layer in self.layers if layer.title))


def _pieces(row: Row) -> Iterable[tuple[str, int | None, int | None]]:
    yield "source", row.get("source_start"), row.get("source_end")
    yield "cue", row.get("cue_start"), row.get("cue_end")
    fragments = row.get("content_fragments") or []
    for start, end in fragments or [(row.get("content_start"), row.get("content_end"))]:
        yield "content", start, end
    yield "evidence", row.get("evidence_start"), row.get("evidence_end")


def _link(kind: str, row: Row) -> str | None:
    from urllib.parse import quote

    if kind == "source" and row.get("entity_key"):
        return "/entities/" + quote(str(row["entity_key"]), safe="")
    if kind == "content" and row.get("claim_id"):
        return "/claims/" + quote(str(row["claim_id"]), safe="")
    return None


def _title(kind: str, row: Row) -> str:
    who = row.get("entity_name") or row.get("source_name") or "unattributed"
    if kind == "content":
        stance = row.get("stance")
        claim = row.get("claim_label")
        return f"{who}: {stance} {claim}" if stance and claim else f"what {who} says"
    return {"source": f"source: {who}", "cue": f"cue ({row.get('type')})", "evidence": "evidence"}[kind]


def layers_of(rows: Sequence[Row], length: int) -> list[Layer]:
    """Joined attribution rows of one article -> their layers, offsets checked against ``length``."""
    out = []
    for row in rows:
        for kind, start, end in _pieces(row):
            if start is None or end is None or not 0 <= start < end <= length:
                continue
            out.append(Layer(int(start), int(end), kind, int(row.get("seq") or 0),
                             row.get("stance") if kind == "content" else None, _link(kind, row), _title(kind, row)))
    return out


def _paragraph_ranges(text: str, paragraphs: Sequence[Sequence[int]] | None) -> list[tuple[int, int]]:
    ranges = sorted((int(p[0]), int(p[1])) for p in paragraphs or [] if 0 <= p[0] < p[1] <= len(text))
    return ranges or [(0, len(text))]


def segment(text: str, layers: Sequence[Layer], paragraphs: Sequence[Sequence[int]] | None = None
            ) -> list[list[Segment]]:
    """Text, layers and paragraph ranges -> one list of segments per paragraph, in text order."""
    out = []
    for p_start, p_end in _paragraph_ranges(text, paragraphs):
        inside = [layer for layer in layers if layer.start < p_end and layer.end > p_start]
        cuts = sorted({p_start, p_end, *(max(p_start, min(p_end, x)) for layer in inside
                                         for x in (layer.start, layer.end))})
        para = []
        for a, b in itertools.pairwise(cuts):
            covering = tuple(layer for layer in inside if layer.start <= a and layer.end >= b)
            para.append(Segment(text[a:b], covering))
        out.append(para)
    return out
