"""One run over the same articles in any input order stores the same claims and stances.

The bundled sample story (four outlets over four days) goes through the whole pipeline
(ingest, extraction, resolution, linking, SQLite) twice: files in publication order, then
reversed. Within a write batch the run links articles by publication time, so the earliest
report founds each claim and later ones answer it, whichever file came first.
"""

from __future__ import annotations

from typing import Any

from conftest import in_process_analyzer

from claimgraph.runner import run_ingest
from claimgraph.samples import sample_paths
from claimgraph.settings import Settings
from claimgraph.store import Repository


def _claims_and_stances(paths: list[str], nlp: Any) -> set[tuple[frozenset[tuple[str, str, str]], str]]:
    """Each stored claim as (its members as (article title, content, stance), its label)."""
    repo = Repository.open("sqlite://")
    try:
        report = run_ingest(paths, Settings(), repo, analyzer=in_process_analyzer(nlp))
        assert len(report.added) == len(paths) and not report.failed
        groups: dict[str, set[tuple[str, str, str]]] = {}
        for row in repo.iter_attribution_rows():
            member = (row["article_title"], row["content_text"], row["stance"] or "-")
            groups.setdefault(row["claim_label"] or "-", set()).add(member)
        return {(frozenset(members), label) for label, members in groups.items()}
    finally:
        repo.close()


def test_input_order_does_not_change_claims_or_stances(nlp: Any) -> None:
    paths = [str(p) for p in sample_paths()]
    assert len(paths) >= 3
    forward = _claims_and_stances(paths, nlp)
    backward = _claims_and_stances(paths[::-1], nlp)
    assert len(forward) > 1
    assert forward == backward
