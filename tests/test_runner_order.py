"""One run over the same articles in any input order stores the same claims and stances,
and so do separate runs, one article each, in any order.

The bundled sample story (four outlets over four days) goes through the whole pipeline
(ingest, extraction, resolution, linking, SQLite): files in publication order, then
reversed. Within a write batch the run links articles by publication time, so the earliest
report founds each claim and later ones answer it, whichever file came first. A later run
decides its stances on each claim's stored history (``link.history``), so it knows who
asserted and who denied what in earlier runs; a run that brings a report published before
articles already stored links their story again in publication order (``Linker.relink``);
the store notes such a story as waiting in the transaction that writes the report, so a run
stopped before it linked the story leaves it to the next run.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import in_process_analyzer

from claimgraph import pipeline
from claimgraph.runner import run_ingest
from claimgraph.samples import sample_paths
from claimgraph.settings import Settings
from claimgraph.store import Repository

Claims = set[tuple[frozenset[tuple[str, str, str]], str]]


def _claims_and_stances(paths: list[str], nlp: Any, *, runs: int = 1, batch: int = 16) -> Claims:
    """Each stored claim as (its members as (article title, content, stance), its label),
    after ingesting ``paths`` in ``runs`` runs of as many articles each, ``batch`` articles
    per write."""
    repo = Repository.open("sqlite://")
    try:
        step = -(-len(paths) // runs)
        for k in range(0, len(paths), step):
            report = run_ingest(paths[k:k + step], Settings(write_batch=batch), repo, analyzer=in_process_analyzer(nlp))
            assert len(report.added) == len(paths[k:k + step]) and not report.failed
        return _stored(repo)
    finally:
        repo.close()


def _stored(repo: Any) -> Claims:
    groups: dict[str, set[tuple[str, str, str]]] = {}
    for row in repo.iter_attribution_rows():
        member = (row["article_title"], row["content_text"], row["stance"] or "-")
        groups.setdefault(row["claim_label"] or "-", set()).add(member)
    assert repo.check() == []
    return {(frozenset(members), label) for label, members in groups.items()}


def test_input_order_does_not_change_claims_or_stances(nlp: Any) -> None:
    paths = [str(p) for p in sample_paths()]
    assert len(paths) >= 3
    forward = _claims_and_stances(paths, nlp)
    backward = _claims_and_stances(paths[::-1], nlp)
    assert len(forward) > 1
    assert forward == backward


def test_separate_runs_in_publication_order_give_what_one_run_gives(nlp: Any) -> None:
    paths = [str(p) for p in sample_paths()]  # named in publication order
    one = _claims_and_stances(paths[::-1], nlp)
    assert _claims_and_stances(paths, nlp, runs=len(paths)) == one


@pytest.fixture
def relinked(monkeypatch: Any) -> list[int]:
    """What each ``Linker.relink`` call returned (articles linked again)."""
    counts: list[int] = []
    relink = pipeline.Linker.relink

    def counting(self: Any, repo: Any, article: str) -> list[str]:
        linked = relink(self, repo, article)
        counts.append(len(linked))
        return linked

    monkeypatch.setattr(pipeline.Linker, "relink", counting)
    return counts


def test_separate_runs_in_any_order_give_what_one_run_gives(nlp: Any, relinked: list[int]) -> None:
    paths = [str(p) for p in sample_paths()]
    one = _claims_and_stances(paths, nlp)
    assert relinked == []  # in publication order nothing is linked again
    assert _claims_and_stances(paths[::-1], nlp, runs=len(paths)) == one
    assert relinked == [2, 3, 4]  # each run brought the earliest report yet
    assert _claims_and_stances([paths[2], paths[0], paths[3], paths[1]], nlp, runs=len(paths)) == one


def test_one_run_of_small_batches_in_any_order_gives_what_one_batch_gives(nlp: Any) -> None:
    paths = [str(p) for p in sample_paths()]
    assert _claims_and_stances(paths[::-1], nlp, batch=1) == _claims_and_stances(paths, nlp)


def test_a_story_larger_than_the_limit_keeps_its_links(nlp: Any, relinked: list[int], monkeypatch: Any) -> None:
    paths = [str(p) for p in sample_paths()]
    monkeypatch.setattr(pipeline, "RELINK_LIMIT", 1)
    late_first = _claims_and_stances(paths[::-1], nlp, runs=len(paths))
    assert relinked and set(relinked) == {0}  # too large: left as linked, and consistent
    assert late_first != _claims_and_stances(paths, nlp)


def test_a_run_stopped_before_it_linked_a_story_again_leaves_it_to_the_next(nlp: Any, tmp_path: Any,
                                                                          monkeypatch: Any) -> None:
    """The newest report is stored, then a run brings the three earlier ones and is stopped
    (Ctrl-C) after its write, before linking the story again. Running the same command again
    stores nothing new and links the story as one run does."""
    paths = [str(p) for p in sample_paths()]
    one = _claims_and_stances(paths, nlp)
    repo = Repository.open(f"sqlite:///{tmp_path / 'stopped.db'}")
    try:
        run_ingest(paths[-1:], Settings(), repo, analyzer=in_process_analyzer(nlp))

        def stopped(self: Any, repo: Any) -> int:
            raise KeyboardInterrupt

        with monkeypatch.context() as m:
            m.setattr(pipeline.Linker, "finish", stopped)
            with pytest.raises(KeyboardInterrupt):
                run_ingest(paths[:-1], Settings(), repo, analyzer=in_process_analyzer(nlp))
        assert repo.pending_relinks() and repo.check() == []
        assert _stored(repo) != one  # linked in arrival order until the story is linked again
        again = run_ingest(paths[:-1], Settings(), repo, analyzer=in_process_analyzer(nlp))
        assert not again.added and again.relinked == len(paths)
        assert repo.pending_relinks() == [] and _stored(repo) == one
    finally:
        repo.close()
