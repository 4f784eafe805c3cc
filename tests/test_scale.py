"""Parallel and distributed runs give exactly the local run's results."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.export import exporter
from claimgraph.runner import local_analyzer, run_ingest
from claimgraph.scale.synthetic import variants, write_corpus
from claimgraph.settings import Settings
from claimgraph.store import Repository


def _export(repo: Repository) -> list[dict[str, Any]]:
    buf = io.StringIO()
    exporter("jsonl")(repo, buf)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def _ingest(folder: Path, db: Path, analyzer: Any = None) -> list[dict[str, Any]]:
    settings = Settings(db=str(db))
    repo = Repository.open(settings.db_url)
    report = run_ingest([str(folder)], settings, repo, analyzer=analyzer or local_analyzer(settings))
    assert not report.failed, report.failed
    return _export(repo)


@pytest.fixture(scope="module")
def corpus50(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus50")
    write_corpus(folder, 50)
    return folder


@pytest.fixture(scope="module")
def local50(corpus50: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return _ingest(corpus50, tmp_path_factory.mktemp("local") / "s.db")


def test_variants_are_distinct_and_deterministic() -> None:
    first = list(variants(12))
    assert first == list(variants(12))
    assert len({text for _, text in first}) == 12


@pytest.mark.slow
def test_two_worker_processes_match_the_local_run(corpus50: Path, local50: list[dict[str, Any]],
                                                  tmp_path: Path) -> None:
    from claimgraph.scale.pool import pool_analyzer

    settings = Settings(db=str(tmp_path / "p.db"))
    assert local50
    assert _ingest(corpus50, tmp_path / "p.db", pool_analyzer(settings, 2)) == local50


@pytest.mark.slow
def test_dask_local_cluster_matches_the_local_run(corpus50: Path, local50: list[dict[str, Any]],
                                                  tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    from claimgraph.scale.dask_runner import dask_analyzer

    settings = Settings(db=str(tmp_path / "d.db"))
    dask_records = _ingest(corpus50, tmp_path / "d.db", dask_analyzer(settings, "local", workers=2))
    assert len({r["document"]["id"] for r in dask_records}) == 50
    assert dask_records == local50
