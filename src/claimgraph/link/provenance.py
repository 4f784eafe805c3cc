"""Provenance: a claim's attributions -> origins (independent voices) and reporting chains.

``origins(rows)`` groups the attributions of one claim so that wire copy repeated by several
outlets counts once: rows that name the same wire (as ``via`` or as the source) with
near-identical wording form one origin, and so do unattributed repeats of that wording;
every other source is an origin of its own. ``chain(row)`` spells out who reported whom:
outlet -> channel -> source -> whom the source cites. Rows are plain mappings, either
``Repository.attribution_rows`` rows or simple dicts with ``content``/``source``/``via``/
``cites``/``outlet``/``date`` keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Row = Mapping[str, Any]
WIRES = ("reuters", "associated press", "afp", "agence france", "bloomberg", "xinhua", "tass", "interfax",
         "ria novosti", "press association", "news agency", "press agency", "wire", "dpa", "efe", "ansa", "kyodo")
NEAR_IDENTICAL = 0.6  # token Jaccard at which two wordings are one copy


@dataclass(frozen=True, slots=True)
class Origin:
    """One independent voice behind a claim, and the rows (indices) that carry it."""

    key: str  # "wire:<name>#<n>" or "source:<name>"
    label: str  # what a reader sees: "Meridian Wire (repeated by 2 outlets)"
    wire: str | None
    members: tuple[int, ...]
    outlets: tuple[str, ...]


def field(row: Row, *keys: str) -> str:
    """The first non-empty value among ``keys`` (row shapes differ), as a string."""
    for k in keys:
        v = row.get(k)
        if v:
            return str(v)
    return ""


def source_of(row: Row) -> str:
    return field(row, "entity_name", "source_name", "source", "source_text")


def content_of(row: Row) -> str:
    return field(row, "content_text", "content", "quote")


def outlet_of(row: Row) -> str:
    return field(row, "article_outlet", "outlet")


def date_of(row: Row) -> str:
    return field(row, "article_published", "date", "published")[:10]


def is_wire(name: str) -> bool:
    n = f" {name.lower()} "
    return any(f" {w}" in n or w in n.split() for w in WIRES)


def wire_of(row: Row) -> str | None:
    """The wire a row's wording comes from: its channel if that is a wire, else its source."""
    for name in (field(row, "via"), source_of(row)):
        if name and is_wire(name):
            return name
    return None


_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _tokens(text: str) -> frozenset[str]:
    # cached: grouping compares each row with every group, so the same texts recur
    return frozenset(_WORDS.findall(text.lower()))


def similarity(a: str, b: str) -> float:
    """Token Jaccard of two wordings."""
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def origins(rows: Sequence[Row]) -> list[Origin]:
    """A claim's attribution rows -> its origins, in order of first appearance (by date)."""
    order = sorted(range(len(rows)), key=lambda i: (date_of(rows[i]), i))
    groups: list[dict[str, Any]] = []
    for i in order:
        g = _group_for(rows, i, groups)
        if g is None:
            wire = wire_of(rows[i])
            key = f"wire:{wire}#{sum(1 for x in groups if x['wire'] == wire) + 1}" if wire \
                else f"source:{source_of(rows[i]) or 'unknown'}"
            g = {"key": key, "wire": wire, "members": [], "text": content_of(rows[i])}
            groups.append(g)
        g["members"].append(i)
    return [_origin(g, rows) for g in groups]


def _group_for(rows: Sequence[Row], i: int, groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    wire, text, src = wire_of(rows[i]), content_of(rows[i]), source_of(rows[i])
    for g in groups:
        if g["wire"] and (wire is None or wire == g["wire"]) and similarity(text, g["text"]) >= NEAR_IDENTICAL:
            return g
        if not wire and not g["wire"] and g["key"] == f"source:{src or 'unknown'}":
            return g
    return None


def _origin(g: dict[str, Any], rows: Sequence[Row]) -> Origin:
    outlets = tuple(dict.fromkeys(o for o in (outlet_of(rows[i]) for i in g["members"]) if o))
    name = g["wire"] or g["key"].split(":", 1)[1]
    label = f"{name} (repeated by {len(outlets)} outlets)" if g["wire"] and len(outlets) > 1 else name
    return Origin(g["key"], label, g["wire"], tuple(g["members"]), outlets)


def origin_index(rows: Sequence[Row]) -> dict[int, Origin]:
    """Row index -> the origin it belongs to."""
    return {i: o for o in origins(rows) for i in o.members}


def chain(row: Row) -> list[str]:
    """Who reported whom, outermost first: outlet -> via -> source -> cites (no repeats)."""
    links = [outlet_of(row), field(row, "via"), source_of(row), field(row, "cites")]
    out: list[str] = []
    for link in links:
        if link and (not out or out[-1].lower() != link.lower()):
            out.append(link)
    return out
