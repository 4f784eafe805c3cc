"""Attribution rows -> a bipartite sources-to-claims graph laid out for a server-rendered SVG.

Sources on the left, claims on the right, one curve per (source, claim, stance) with a
width growing with the number of statements. Sources are ordered by the mean position of
the claims they speak on (barycentre), which keeps most curves from crossing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

Row = dict[str, Any]
ROW_H = 30
TOP = 24
LEFT_X = 250
RIGHT_X = 560
WIDTH = 960


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    label: str
    x: int
    y: int
    href: str | None
    contested: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    path: str
    stance: str
    count: int
    width: float
    title: str


@dataclass(frozen=True, slots=True)
class Graph:
    sources: tuple[Node, ...]
    claims: tuple[Node, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int


def _short(text: str, n: int = 44) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _source_of(row: Row) -> tuple[str, str, str | None]:
    key = row.get("entity_key") or row.get("source_name") or "unattributed"
    name = row.get("entity_name") or row.get("source_name") or "unattributed"
    href = "/entities/" + quote(str(row["entity_key"]), safe="") if row.get("entity_key") else None
    return str(key), str(name), href


def build_graph(rows: Iterable[Row], *, max_claims: int = 24, max_sources: int = 40) -> Graph:
    """Joined attribution rows -> positioned nodes and edges (claims: contested first, then busiest)."""
    rows = [r for r in rows if r.get("claim_id") and r.get("stance")]
    claim_n = Counter(r["claim_id"] for r in rows)
    contested = {r["claim_id"]: bool(r.get("claim_contested")) for r in rows}
    labels = {r["claim_id"]: str(r.get("claim_label") or r["claim_id"]) for r in rows}
    claim_ids = sorted(claim_n, key=lambda c: (not contested[c], -claim_n[c], c))[:max_claims]
    claim_y = {c: TOP + i * ROW_H for i, c in enumerate(claim_ids)}
    links: Counter[tuple[str, str, str]] = Counter()
    names: dict[str, tuple[str, str | None]] = {}
    for r in rows:
        if r["claim_id"] in claim_y:
            key, name, href = _source_of(r)
            names[key] = (name, href)
            links[(key, r["claim_id"], r["stance"])] += 1
    def centre(key: str) -> float:
        ys = [claim_y[c] for (k, c, _), n in links.items() if k == key for _ in range(n)]
        return sum(ys) / len(ys)
    source_keys = sorted(names, key=lambda k: (centre(k), names[k][0]))[:max_sources]
    source_y = {k: TOP + i * ROW_H for i, k in enumerate(source_keys)}
    edges = tuple(_edge(source_y[k], claim_y[c], s, n, f"{names[k][0]} {s} “{labels[c]}” ({n})")
                  for (k, c, s), n in sorted(links.items()) if k in source_y)
    sources = tuple(Node(k, _short(names[k][0], 34), LEFT_X, source_y[k], names[k][1]) for k in source_keys)
    claims = tuple(Node(c, _short(labels[c]), RIGHT_X, claim_y[c], "/claims/" + quote(c, safe=""), contested[c])
                   for c in claim_ids)
    height = TOP * 2 + ROW_H * max(len(sources), len(claims), 1)
    return Graph(sources, claims, edges, WIDTH, height)


def _edge(y1: int, y2: int, stance: str, count: int, title: str) -> Edge:
    x1, x2 = LEFT_X + 8, RIGHT_X - 8
    mid = (x1 + x2) // 2
    path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
    return Edge(path, stance, count, min(1.5 + 1.5 * (count - 1), 7.5), title)
