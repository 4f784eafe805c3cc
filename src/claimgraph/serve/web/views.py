"""View helpers shared by the API and the pages: attribution rows/records -> grouped, ordered views.

Pure functions over plain dicts; no SQL, no HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ...export.record import to_record

Row = dict[str, Any]
STANCES = ("asserts", "supports", "disputes", "denies", "no_comment")
STANCE_LABELS = {"asserts": "asserts", "supports": "supports", "disputes": "disputes", "denies": "denies",
                 "no_comment": "no comment", None: "no stance"}
FOR = frozenset({"asserts", "supports"})
AGAINST = frozenset({"disputes", "denies"})


def group_by_stance(records: Iterable[Row]) -> dict[str, list[Row]]:
    """Export records -> {stance: records}, stances in STANCES order, empty ones left out."""
    groups: dict[str, list[Row]] = {s: [] for s in STANCES}
    for rec in records:
        groups.setdefault(rec.get("stance") or "no_stance", []).append(rec)
    return {s: recs for s, recs in groups.items() if recs}


def source_key(rec: Row) -> str:
    """A record's source identity: its entity key, else its name, else 'unattributed'."""
    src = rec.get("source") or {}
    return str(src.get("entity") or src.get("name") or "unattributed")


def sources_by_stance(records: Iterable[Row]) -> list[dict[str, Any]]:
    """Export records -> [{stance, sources: [{key, name, entity, count, outlets}]}] for the claims board."""
    out = []
    for stance, recs in group_by_stance(records).items():
        sources: dict[str, dict[str, Any]] = {}
        for rec in recs:
            src = rec.get("source") or {}
            item = sources.setdefault(source_key(rec), {"key": source_key(rec), "entity": src.get("entity"),
                                                        "name": src.get("name") or "unattributed",
                                                        "count": 0, "outlets": []})
            item["count"] += 1
            outlet = rec["document"].get("outlet")
            if outlet and outlet not in item["outlets"]:
                item["outlets"].append(outlet)
        ranked = sorted(sources.values(), key=lambda s: (-s["count"], s["name"]))
        out.append({"stance": stance, "sources": ranked})
    return out


def _event_order(row: Row) -> tuple[str, str, int]:
    return (str(row.get("article_published") or "9999"), str(row.get("article_id")), int(row.get("seq") or 0))


def timeline(rows: list[Row]) -> list[dict[str, Any]]:
    """Joined attribution rows of one claim -> [{date, record, row}] oldest first (undated last).

    Sorted by publication date, then article, then position in the article. The linking
    stage's ``link.timeline`` is not called: it returns entries (origins, chains) rather
    than rows, which no page shows, and grouping origins costs ~20 ms on a 50-row claim.
    """
    ordered = sorted(rows, key=_event_order)
    records = [to_record(r) for r in ordered]
    by_id = {rec["id"]: rec for rec in records}
    # "answers": the statement a denial or doubt answers, when it is on this claim too
    return [{"date": (r.get("article_published") or "")[:10] or None, "record": rec, "row": r,
             "answers": by_id.get(rec["responds_to"] or "")} for r, rec in zip(ordered, records, strict=True)]


def entity_claims(rows: Iterable[Row]) -> dict[str, list[dict[str, Any]]]:
    """An entity's attribution rows -> claims it makes (asserts/supports), disputes (disputes/denies),
    or otherwise speaks on, each {id, label, contested, stance, count}."""
    counts: Counter[tuple[str, str]] = Counter()
    info: dict[str, Row] = {}
    for r in rows:
        if r.get("claim_id") and r.get("stance"):
            counts[(r["claim_id"], r["stance"])] += 1
            info[r["claim_id"]] = r
    out: dict[str, list[dict[str, Any]]] = {"made": [], "disputed": [], "other": []}
    for (claim_id, stance), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        side = "made" if stance in FOR else "disputed" if stance in AGAINST else "other"
        out[side].append({"id": claim_id, "label": info[claim_id].get("claim_label"), "stance": stance,
                          "contested": bool(info[claim_id].get("claim_contested")), "count": n})
    return out


def stance_counts(records: Iterable[Row]) -> dict[str, int]:
    """Export records -> {stance: n} in STANCES order (zeros kept, for the stance bar)."""
    c = Counter(rec.get("stance") for rec in records)
    return {s: c.get(s, 0) for s in STANCES}
