"""Server-side ingest: a URL or uploaded bytes -> articles analysed, linked and stored.

One ingest runs at a time (a lock): the spaCy pipeline and the ``Linker`` (every stored
entity and claim, seconds to load on a large store) are loaded once and kept on the app,
and the Linker's view must not race another writer in this process. Writes by other
processes are caught by the Linker's generation check, which loads the store again and
links the article again; after a failed write the Linker is dropped and loaded afresh.
URLs go through ``claimgraph.ingest.iter_articles`` with the server's settings, whose
``allow_private_addresses=False`` makes the fetcher refuse private, loopback and
link-local hosts on every redirect hop; ``check_public_url`` refuses them up front too,
so the caller gets a 400 instead of a failure entry.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException

from ..errors import ClaimgraphError
from ..records import Article

_LOCK = threading.Lock()
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def check_public_url(url: str, settings: Any) -> None:
    """A URL -> None, or HTTP 400 when its scheme is not http(s) or its host is not public."""
    from ..ingest.fetch import check_url

    try:
        check_url(url, settings)
    except ClaimgraphError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


def safe_name(filename: str) -> str:
    """An uploaded file's name -> a harmless base name with an article suffix (.txt when unknown)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename.replace("\\", "/")).name).strip("._")[:80] or "upload"
    return base if base.lower().endswith(ARTICLE_SUFFIXES) else base + ".txt"


def ingest_upload(app: FastAPI, filename: str, data: bytes) -> dict[str, Any]:
    """Uploaded bytes -> ingest report; the stored path is the upload's name, not the temp file."""
    name = safe_name(filename)
    with tempfile.TemporaryDirectory(prefix="claimgraph-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return ingest_inputs(app, [str(path)], display_path=name)


def ingest_inputs(app: FastAPI, inputs: Sequence[str], *, display_path: str | None = None) -> dict[str, Any]:
    """Inputs (URLs or paths) -> {"added": [...], "failures": [...]}, each article stored on its own."""
    from ..ingest import IngestFailure, iter_articles

    added: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    with _LOCK:
        for item in iter_articles(inputs, app.state.settings):
            if isinstance(item, IngestFailure):
                failures.append({"input": display_path or item.input, "reason": item.reason})
                continue
            article = replace(item, path=display_path) if display_path else item
            try:
                added.append(_store(app, article))
            except Exception as exc:  # noqa: BLE001 - one bad article is reported, not a 500
                failures.append({"input": display_path or article.url or article.id,
                                 "reason": f"analysis failed: {type(exc).__name__}: {exc}"})
    return {"added": added, "failures": failures}


def _store(app: FastAPI, article: Article) -> dict[str, Any]:
    """One article -> analysed, linked against the store, written; a summary of the outcome."""
    from ..pipeline import Linker, analyse

    repo = app.state.repo
    (result,) = analyse(_nlp(app), [article])
    if getattr(app.state, "linker", None) is None:
        app.state.linker = Linker(repo)
    linker = app.state.linker
    try:
        written = linker.write(repo, [result])
        if written.failed:
            raise written.failed[0][1]
        outcome = written.outcomes[0].checked()
        linker.finish(repo)
    except BaseException:
        app.state.linker = None  # it may hold what was not stored: the next article loads the store again
        raise
    return {"article_id": outcome.article_id, "outcome": outcome.outcome,
            "attributions": outcome.attributions, "title": article.title}


def _nlp(app: FastAPI) -> Any:
    """The spaCy pipeline, loaded on first use (seconds) and kept for the app's life."""
    if getattr(app.state, "nlp", None) is None:
        from ..pipeline import load_nlp

        app.state.nlp = load_nlp(app.state.settings)
    return app.state.nlp


def delete_article(app: FastAPI, article_id: str) -> dict[str, Any] | None:
    """A stored article removed and its story linked again without it (``runner.delete_articles``);
    None when no article has that id. Under the ingest lock: it rewrites claims as ingest does."""
    from ..runner import delete_articles

    with _LOCK:
        report = delete_articles([article_id], app.state.repo)
        app.state.linker = None  # the deletion linked stories again: the next ingest loads them
    if report.missing:
        return None
    return {"deleted": article_id, "relinked": report.relinked,
            "failures": [{"input": label, "reason": reason} for label, reason in report.failed]}

