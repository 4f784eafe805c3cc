"""Store -> GraphML: source nodes, claim nodes, one stance edge per attribution.

``export_graphml(repo, out)`` writes a directed GraphML document (readable by networkx,
Gephi, yEd) and returns the number of stance edges written. Nodes: ``source:<entity key or
name>`` (kind "source", label, type) and ``claim:<id>`` (kind "claim", label, contested);
edges source -> claim carry stance, date, outlet, quote and article id. Text is XML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from . import register

Row = dict[str, Any]
_KEYS = (  # (id, for, name, type)
    ("kind", "node", "kind", "string"), ("label", "node", "label", "string"),
    ("etype", "node", "entity_type", "string"), ("contested", "node", "contested", "boolean"),
    ("stance", "edge", "stance", "string"), ("date", "edge", "date", "string"),
    ("outlet", "edge", "outlet", "string"), ("quote", "edge", "quote", "string"),
    ("article", "edge", "article", "string"),
)


def _esc(value: object) -> str:
    """Text -> XML character data (without the control characters XML 1.0 forbids)."""
    text = "".join(ch for ch in str(value) if ch in "\t\n\r" or ord(ch) >= 0x20)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _data(fields: dict[str, object]) -> str:
    return "".join(f'<data key="{k}">{_esc(v)}</data>' for k, v in fields.items() if v not in (None, ""))


def _source_id(row: Row) -> str | None:
    name = row.get("entity_name") or row.get("source_name") or row.get("source_text")
    if not name:
        return None
    return f"source:{row.get('entity_key') or name}"


def _nodes(rows: Iterable[Row]) -> tuple[dict[str, dict[str, object]], list[Row]]:
    nodes: dict[str, dict[str, object]] = {}
    edges = []
    for row in rows:
        sid, cid = _source_id(row), row.get("claim_id")
        if sid is None or not cid:
            continue
        nodes.setdefault(sid, {"kind": "source", "label": row.get("entity_name") or row.get("source_name")
                               or row.get("source_text"), "etype": row.get("entity_type")})
        nodes.setdefault(f"claim:{cid}", {"kind": "claim", "label": row.get("claim_label"),
                                          "contested": "true" if row.get("claim_contested") else "false"})
        edges.append(row)
    return nodes, edges


@register("graphml")
def export_graphml(repo: Any, out: IO[str]) -> int:
    """Every stance in the store -> one GraphML document on ``out``; returns edges written."""
    nodes, edges = _nodes(repo.iter_attribution_rows())
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for kid, dom, name, typ in _KEYS:
        out.write(f'  <key id="{kid}" for="{dom}" attr.name="{name}" attr.type="{typ}"/>\n')
    out.write('  <graph id="claimgraph" edgedefault="directed">\n')
    for nid, fields in nodes.items():
        out.write(f"    <node id={quoteattr(nid)}>{_data(fields)}</node>\n")
    for n, row in enumerate(edges):
        fields = {"stance": row.get("stance"), "date": (row.get("article_published") or "")[:10],
                  "outlet": row.get("article_outlet"), "quote": row.get("content_text"),
                  "article": row.get("article_id")}
        out.write(f'    <edge id="e{n}" source={quoteattr(str(_source_id(row)))} '
                  f'target={quoteattr("claim:" + str(row["claim_id"]))}>{_data(fields)}</edge>\n')
    out.write("  </graph>\n</graphml>\n")
    return len(edges)
