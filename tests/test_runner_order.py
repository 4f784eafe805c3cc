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

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import in_process_analyzer

from claimgraph import pipeline
from claimgraph.runner import delete_articles, run_ingest
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


def _article_id(repo: Any, path: str) -> str:
    return next(r["id"] for r in repo.articles(limit=100) if r["path"] and Path(r["path"]).name == Path(path).name)


@pytest.mark.parametrize("stopped", [False, True])
def test_deleting_an_article_leaves_what_a_run_without_it_stores(nlp: Any, monkeypatch: Any, stopped: bool) -> None:
    """The earliest report founded the story's claims and labelled them; once it is deleted,
    the story is linked again without it and stores what a run over the other three stores.
    A delete stopped before that leaves the story noted, and the next run links it."""
    paths = [str(p) for p in sample_paths()]
    without_first = _claims_and_stances(paths[1:], nlp)
    repo = Repository.open("sqlite://")
    try:
        run_ingest(paths, Settings(), repo, analyzer=in_process_analyzer(nlp))
        first = _article_id(repo, paths[0])
        if stopped:
            def stop(self: Any, repo: Any) -> int:
                raise KeyboardInterrupt

            with monkeypatch.context() as m:
                m.setattr(pipeline.Linker, "finish", stop)
                with pytest.raises(KeyboardInterrupt):
                    delete_articles([first], repo)
            assert repo.pending_relinks() and _stored(repo) != without_first
            assert run_ingest([], Settings(), repo, analyzer=in_process_analyzer(nlp)).relinked == len(paths) - 1
        else:
            report = delete_articles([first, "no-such-article"], repo)
            assert (report.deleted, report.missing, report.relinked) == ([first], ["no-such-article"], len(paths) - 1)
            assert not report.ok
        assert repo.pending_relinks() == [] and _stored(repo) == without_first
        assert all(r["id"] != first for r in repo.articles(limit=100))
    finally:
        repo.close()


@pytest.mark.parametrize("retries", [pipeline.STALE_RETRIES, 0])
def test_two_processes_linking_into_one_store_see_each_others_claims(nlp: Any, tmp_path: Any, monkeypatch: Any,
                                                                     retries: int, relinked: list[int]) -> None:
    """Run A stores the second report; before A writes the third, run B (another connection,
    as another process would have) stores the first. A's claims were loaded before B wrote:
    its write is refused, and A loads the claims again and links the third report against
    B's too. The store ends as one run over the three reports. (Without the refusal, A
    linked the third report against claims without B's, and 6 claims differed.) With no
    retries left, A writes the third report as linked and notes its story, which A then
    links again against every stored claim."""
    paths = [str(p) for p in sample_paths()]  # named in publication order
    one = _claims_and_stances(paths[:3], nlp)
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    repo_a, repo_b = Repository.open(url), Repository.open(url)
    written = pipeline.Linker.written
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "STALE_RETRIES", retries)

    def b_runs_after_a_first_write(self: Any) -> None:
        written(self)
        if not calls:
            calls.append("B")
            report = run_ingest(paths[:1], Settings(), repo_b, analyzer=in_process_analyzer(nlp))
            assert len(report.added) == 1

    try:
        with monkeypatch.context() as m:
            m.setattr(pipeline.Linker, "written", b_runs_after_a_first_write)
            report = run_ingest(paths[1:3], Settings(write_batch=1), repo_a,
                                analyzer=in_process_analyzer(nlp))
        assert len(report.added) == 2 and calls == ["B"]
        assert _stored(repo_a) == one and repo_a.pending_relinks() == []
        assert (3 in relinked) == (retries == 0)
        assert report.refused == (1 if retries else 0)
    finally:
        repo_a.close()
        repo_b.close()


DEVSET = Path(__file__).resolve().parents[1] / "devset" / "articles"


def test_two_ingest_processes_at_once_store_what_one_run_stores(nlp: Any, db_url: str) -> None:
    """Two real ``claimgraph ingest`` processes, one article a write, share a store: one takes
    the first and third report of each of the development set's four stories, the other the
    second and fourth. However their writes interleave, the store ends with the claims and
    stances one run over the sixteen reports gives."""
    arts = sorted(str(p) for p in DEVSET.iterdir())
    halves = [[a for a in arts if a.rsplit("-", 1)[1][0] in days] for days in ("13", "24")]
    one = _claims_and_stances(arts, nlp)
    Repository.open(db_url).close()  # migrated once, before both start
    env = {**os.environ, "CLAIMGRAPH_WRITE_BATCH": "1"}
    env.pop("CLAIMGRAPH_DB", None)
    procs = [subprocess.Popen([sys.executable, "-m", "claimgraph", "--db", db_url, "ingest", *half], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for half in halves]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    repo = Repository.open(db_url)
    try:
        assert repo.counts()["articles"] == len(arts) and repo.pending_relinks() == []
        assert _stored(repo) == one
    finally:
        repo.close()
