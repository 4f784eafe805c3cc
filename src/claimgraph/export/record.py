"""Joined attribution row (store) -> the public export record (PROTOCOL.md contract).

The record is the project's public contract; its JSON Schema lives beside this module
in ``attribution.schema.json`` and tests validate every exporter's output against it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

Row = dict[str, Any]
SCHEMA_VERSION = "1.1"  # 1.1 added stance_rule and responds_to


def attribution_id(row: Row) -> str:
    return f"{row['article_id']}-{row['seq']}"


def to_record(row: Row) -> dict[str, Any]:
    """One attribution as the export contract describes it."""
    return {
        "id": attribution_id(row),
        "document": _document(row),
        "source": _source(row),
        "cue": row["cue_text"],
        "type": row["type"],
        "content": row["content_text"],
        "hedged": bool(row["hedged"]),
        "hedge": row["hedge"],
        "evidence": row["evidence_text"],
        "no_evidence": bool(row["no_evidence"]),
        "via": row["via"],
        "cites": row["cites"],
        "negated": bool(row["negated"]),
        "confidence": round(float(row["confidence"]), 4),
        "stance": row.get("stance"),
        "stance_rule": row.get("stance_rule"),
        "responds_to": _responds_to(row),
        "claim": _claim(row),
        "spans": _spans(row),
    }


def _document(row: Row) -> dict[str, Any]:
    return {
        "id": row["article_id"],
        "path": row["article_path"],
        "url": row["article_url"],
        "title": row["article_title"],
        "outlet": row["article_outlet"],
        "published": row["article_published"],
    }


def _source(row: Row) -> dict[str, Any] | None:
    mention = row["source_text"]
    name = row.get("entity_name") or row["source_name"] or mention
    if name is None:
        return None
    return {
        "name": name,
        "mention": mention,
        "entity": row.get("entity_key"),
        "type": row.get("entity_type"),
        "role": row.get("entity_role"),
        "affiliation": row.get("entity_affiliation"),
        "anonymous": bool(row.get("entity_anonymous")) if row.get("entity_key") else None,
        "trace": list(row.get("entity_trace") or []),
    }


def _responds_to(row: Row) -> str | None:
    """The id of the statement (same article) this one answers: the claim a denial, a doubt
    or a "we have not seen that" points at."""
    seq = row.get("target_seq")
    return None if seq is None else f"{row['article_id']}-{seq}"


def _claim(row: Row) -> dict[str, Any] | None:
    if not row.get("claim_id"):
        return None
    return {"id": row["claim_id"], "label": row.get("claim_label"), "contested": bool(row.get("claim_contested"))}


def _spans(row: Row) -> dict[str, Any]:
    def pair(prefix: str) -> list[int] | None:
        start, end = row[f"{prefix}_start"], row[f"{prefix}_end"]
        return None if start is None else [start, end]

    return {
        "source": pair("source"),
        "cue": pair("cue"),
        "content": pair("content"),
        "content_fragments": [list(p) for p in row["content_fragments"] or []],
        "evidence": pair("evidence"),
    }


@cache
def schema() -> dict[str, Any]:
    text = resources.files("claimgraph.export").joinpath("attribution.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
