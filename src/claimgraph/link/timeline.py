"""A claim's attribution rows -> its timeline: who said what about it, when, where, how.

``timeline(rows)`` takes ``Repository.attribution_rows(claim_id=...)`` rows (or plain dicts
with the same or the simple keys ``provenance.field`` accepts) and returns one dict per
attribution, oldest first: date, outlet, source, stance, quote, hedge, evidence, origin
(the independent voice it belongs to: wire copy repeated by several outlets is one), chain
(outlet -> channel -> source -> cited) and ``first`` (True on the earliest assertion).
The CLI and the web UI render these dicts as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .provenance import Row, chain, content_of, date_of, field, origin_index, outlet_of, source_of


def _hedge(row: Row) -> str | None:
    if row.get("hedge"):
        return str(row["hedge"])
    return "hedged" if row.get("hedged") else None


def _entry(row: Row, origin: str) -> dict[str, Any]:
    return {
        "date": date_of(row) or None,
        "outlet": outlet_of(row) or None,
        "source": source_of(row) or None,
        "stance": field(row, "stance") or None,
        "quote": content_of(row),
        "hedge": _hedge(row),
        "evidence": field(row, "evidence_text", "evidence") or None,
        "origin": origin,
        "chain": chain(row),
        "article": field(row, "article_id") or None,
        "url": field(row, "article_url", "url") or None,
    }


def timeline(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Attribution rows of one claim -> timeline entries, oldest first."""
    index = origin_index(rows)
    order = sorted(range(len(rows)), key=lambda i: (date_of(rows[i]), i))
    out = [_entry(rows[i], index[i].label) for i in order]
    first = next((e for e in out if e["stance"] == "asserts"), None)
    for e in out:
        e["first"] = e is first
    return out
