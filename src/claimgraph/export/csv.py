"""Store -> CSV: the export record flattened to one row an attribution."""

from __future__ import annotations

import csv
from typing import IO, Any

from . import register
from .record import to_record

COLUMNS = [
    "id", "document_id", "document_path", "document_url", "document_title", "document_outlet",
    "document_published", "source_name", "source_mention", "source_type", "source_role",
    "source_affiliation", "cue", "type", "content", "hedged", "hedge", "evidence", "no_evidence",
    "via", "cites", "negated", "confidence", "stance", "stance_rule", "responds_to", "claim_id", "claim_label",
    "content_start", "content_end",
]


def flatten(rec: dict[str, Any]) -> dict[str, Any]:
    doc, src, claim = rec["document"], rec["source"] or {}, rec["claim"] or {}
    flat = {k: rec[k] for k in ("id", "cue", "type", "content", "hedged", "hedge", "evidence",
                                "no_evidence", "via", "cites", "negated", "confidence", "stance",
                                "stance_rule", "responds_to")}
    flat.update({f"document_{k}": doc[k] for k in ("id", "path", "url", "title", "outlet", "published")})
    flat.update({f"source_{k}": src.get(k) for k in ("name", "mention", "type", "role", "affiliation")})
    flat.update(claim_id=claim.get("id"), claim_label=claim.get("label"))
    content = rec["spans"]["content"] or [None, None]
    flat.update(content_start=content[0], content_end=content[1])
    return flat


@register("csv")
def export_csv(repo: Any, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in repo.iter_attribution_rows():
        writer.writerow(flatten(to_record(row)))
        n += 1
    return n
