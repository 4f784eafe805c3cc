"""Store -> schema.org ClaimReview (JSON-LD): the fields fact-checkers publish, for one claim or all.

``claim_review(repo, claim_id)`` -> one ClaimReview dict; the ``claimreview`` exporter
writes one per claim, a JSON-LD object a line. claimgraph does not judge truth, so the
``reviewRating`` carries no ratingValue: its ``alternateName`` says whether the claim is
contested and how many statements take each side. ``claimreview.schema.json`` beside
this module is the JSON Schema of the fields produced; tests validate against it.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import IO, Any
from urllib.parse import quote

from ..errors import ConfigError
from . import register

Row = dict[str, Any]
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
PUBLISHER = {"@type": "Organization", "name": "claimgraph", "url": "https://github.com/claimgraph/claimgraph"}
FOR = frozenset({"asserts", "supports"})
AGAINST = frozenset({"disputes", "denies"})


def _order(row: Row) -> tuple[str, str, int]:
    return (str(row.get("article_published") or "9999"), str(row["article_id"]), int(row["seq"]))


def _date(value: Any) -> str | None:
    return str(value)[:10] if value else None


def _actor(row: Row) -> dict[str, Any]:
    """A statement's source -> schema.org Person or Organization (countries and groups speak as bodies)."""
    name = row.get("entity_name") or row.get("source_name") or row.get("source_text") or "unknown source"
    kind = "Person" if row.get("entity_type") == "person" else "Organization"
    actor: dict[str, Any] = {"@type": kind, "name": name}
    if row.get("entity_role") and kind == "Person":
        actor["jobTitle"] = row["entity_role"]
    return actor


def _creative_work(row: Row) -> dict[str, Any]:
    """The article a statement appears in -> schema.org CreativeWork."""
    url = str(row.get("article_url") or "")
    if not url.startswith(("https://", "http://")) or any(ch.isspace() for ch in url):
        url = f"urn:claimgraph:article:{row['article_id']}"  # never republish javascript: or odd URLs
    work: dict[str, Any] = {"@type": "CreativeWork", "url": url,
                            "publisher": {"@type": "Organization", "name": row.get("article_outlet") or "unknown outlet"}}
    if row.get("article_title"):
        work["headline"] = row["article_title"]
    if _date(row.get("article_published")):
        work["datePublished"] = _date(row["article_published"])
    return work


def _rating(claim: Row, rows: list[Row]) -> dict[str, Any]:
    stances = Counter(r.get("stance") for r in rows)
    pro, con = sum(stances[s] for s in FOR), sum(stances[s] for s in AGAINST)
    verdict = "Contested" if claim.get("contested") else "Not contested"
    return {"@type": "Rating", "alternateName": f"{verdict}: {pro} statements for, {con} against",
            "ratingExplanation": "claimgraph reports who asserts and who disputes a claim; it does not rate truth."}


def claim_review(repo: Any, claim_id: str, *, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """A claim id in ``repo`` -> a schema.org ClaimReview dict (JSON-LD). ConfigError when unknown."""
    claim = repo.claim(claim_id)
    if claim is None:
        raise ConfigError(f"no claim {claim_id!r}")
    rows = sorted(repo.attribution_rows(claim_id=claim_id), key=_order)
    return review_of(claim, rows, base_url=base_url)


def review_of(claim: Row, rows: list[Row], *, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """A claim row and its attribution rows (oldest first) -> the ClaimReview dict."""
    claimants = [r for r in rows if r.get("stance") in FOR] or rows
    appearances: dict[str, dict[str, Any]] = {}
    for r in rows:
        appearances.setdefault(r["article_id"], _creative_work(r))
    item: dict[str, Any] = {"@type": "Claim", "appearance": list(appearances.values())}
    if appearances:
        item["firstAppearance"] = next(iter(appearances.values()))
    if claimants:
        item["author"] = _actor(claimants[0])
    first = _date(claim.get("first_seen")) or next((_date(r.get("article_published")) for r in rows), None)
    if first:
        item["datePublished"] = first
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url.rstrip('/')}/claims/{quote(str(claim['id']), safe='')}",
        "claimReviewed": claim.get("label") or str(claim["id"]),
        "itemReviewed": item,
        "author": PUBLISHER,
        "datePublished": datetime.now(UTC).date().isoformat(),
        "reviewRating": _rating(claim, rows),
    }


@register("claimreview")
def export_claimreview(repo: Any, out: IO[str], *, base_url: str = DEFAULT_BASE_URL) -> int:
    """Every claim, contested first -> one ClaimReview JSON-LD object a line; returns the count."""
    n, offset, page = 0, 0, 200
    while claims := repo.claims(limit=page, offset=offset):
        for claim in claims:
            rows = sorted(repo.attribution_rows(claim_id=claim["id"]), key=_order)
            out.write(json.dumps(review_of(claim, rows, base_url=base_url), ensure_ascii=False) + "\n")
            n += 1
        offset += page
    return n


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the ClaimReview fields this module produces."""
    text = resources.files("claimgraph.export").joinpath("claimreview.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
