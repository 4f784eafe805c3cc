"""`claimgraph eval`: gold (JSON folders or span corpora) -> scores, by the shared protocol.

Gold folders are scored end to end: their articles go through the whole pipeline
(ingest, extraction, resolution, claim linking) into a temporary store, and the JSONL
export is scored exactly as ``score.py`` scores it. A span corpus (PolNeAR-style
``.jsonl``) is scored like ``score_spans.py``: each document is analysed as
``<doc_id>.txt``. With ``pred``, an existing export is scored instead.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import evaluate
from .errors import InputError
from .settings import Settings

Record = dict[str, Any]


def run_eval(gold: list[str], *, pred: str | None, settings: Settings, min_f1: float = 0.5) -> Record:
    for g in gold:
        if not Path(g).exists():
            raise InputError("no such gold file or folder", subject=g)
    corpora = [g for g in gold if g.endswith(".jsonl")]
    folders = [gold_folder(g) for g in gold if not g.endswith(".jsonl")]
    result: Record = {}
    if folders:
        records = list(_read(pred)) if pred else export_pipeline(_gold_articles(folders), settings)
        result["gold"] = evaluate.score_gold(folders, records, min_f1)
    for corpus in corpora:
        records = list(_read(pred)) if pred else list(_corpus_records(corpus, settings))
        result[Path(corpus).name] = evaluate.score_spans(corpus, records, min_f1)
    return result


def gold_folder(path: str) -> str:
    """A gold file, a folder of gold JSON files, or an evaluation folder holding ``gold/``
    (the protocol's layout) -> what to score; a folder with none is an error, not a 0.0."""
    p = Path(path)
    if p.is_dir() and any((p / "gold").glob("*.json")):
        return str(p / "gold")
    if not p.is_dir() or any(p.glob("*.json")):
        return path
    raise InputError("no gold JSON files in this folder (nor in its gold/)", subject=path)


def format_result(result: Record) -> list[str]:
    lines = []
    for name, r in result.items():
        lines.append(f"== {name}")
        lines += evaluate.format_gold(r).splitlines() if name == "gold" else [evaluate.format_spans(r)]
    return lines


def _read(path: str) -> Iterator[Record]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _gold_articles(folders: list[str]) -> list[str]:
    """The article files the gold names, relative to the gold folder's parent."""
    paths = []
    for folder in folders:
        p = Path(folder)
        for f in sorted(p.glob("*.json")) if p.is_dir() else [p]:
            gold = json.loads(f.read_text(encoding="utf-8"))
            paths.append(str(f.parent.parent / gold["article"]))
    return paths


def export_pipeline(inputs: list[str], settings: Settings) -> list[Record]:
    """Ingest ``inputs`` into a throw-away store with the full pipeline; its JSONL records."""
    from .export.record import to_record
    from .runner import run_ingest
    from .store import Repository

    with tempfile.TemporaryDirectory(prefix="claimgraph-eval-") as tmp:
        repo = Repository.open(f"sqlite:///{Path(tmp) / 'eval.db'}")
        run_ingest(inputs, settings, repo)
        records = [to_record(row) for row in repo.iter_attribution_rows()]
        repo.close()
    return records


def _corpus_records(corpus: str, settings: Settings) -> Iterator[Record]:
    """Each corpus document analysed as ``<doc_id>.txt`` (the text as it is, offsets kept)."""
    from .pipeline import load_nlp

    yield from evaluate.run_corpus(load_nlp(settings), corpus)
