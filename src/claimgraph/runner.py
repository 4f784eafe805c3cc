"""The main job: inputs -> ingest -> analyse -> link -> store, streamed, with a report.

``run_ingest(inputs, settings, repo)`` reads each input, skips articles the store (or
this run) already has before any analysis, analyses the rest in batches, links them
across articles and writes each in its own transaction. One article's failure is
recorded and the run goes on; nothing is printed here (``on_event`` lets the CLI draw
progress).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from .errors import ClaimgraphError, ExtractionError
from .ingest import IngestFailure
from .records import Article, ArticleResult
from .settings import Settings

Event = Callable[[str, str, str], None]  # (kind: added|skipped|failed|read, input, detail)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    attributions: int = 0
    relinked: int = 0  # stored articles linked again because an earlier report arrived
    refused: int = 0  # writes linked again because another process had changed claims meanwhile

    @property
    def ok(self) -> bool:
        """Non-zero exit only when nothing was ingested and something failed."""
        return bool(self.added or self.skipped) or not self.failed

    def summary(self) -> str:
        again = f"; {self.relinked} articles linked again in publication order" if self.relinked else ""
        if self.refused:
            again += f"; {self.refused} writes linked again after another process changed claims"
        return (f"{len(self.added)} added, {len(self.skipped)} skipped (already stored), "
                f"{len(self.failed)} failed; {self.attributions} attributions{again}")


Outcome = ArticleResult | tuple[Article, str]  # a result, or the article with why it failed


class Analyzer(Protocol):
    """Articles in, one outcome per article out, in the same order; streams."""

    def __call__(self, articles: Iterable[Article]) -> Iterator[Outcome]: ...


def local_analyzer(settings: Settings) -> Analyzer:
    """Analysis in this process; the model is loaded on first use."""
    from . import pipeline

    state: dict[str, Any] = {}

    def analyse(articles: Iterable[Article]) -> Iterator[Outcome]:
        for batch in chunks(articles, settings.batch_size):
            if "nlp" not in state:
                state["nlp"] = pipeline.load_nlp(settings)
            yield from analyse_guarded(state["nlp"], batch, settings.batch_size,
                                       timeout=settings.extract_timeout)

    return analyse


def analyse_guarded(nlp: Any, articles: Sequence[Article], batch_size: int, *,
                    timeout: float = 0.0) -> Iterator[Outcome]:
    """A batch through the pipeline; when it fails, each article alone, so one bad one is named.

    With ``timeout`` > 0 (seconds per article; main thread on Unix only) the batch runs
    under a watchdog of that many seconds; past it, each article gets its own watchdog,
    and one that still runs over fails with an ExtractionError. A batch of ordinary
    articles finishes far inside one article's limit, so only a batch holding a
    pathological article pays for the retry.
    """
    from . import pipeline

    try:
        with _watchdog(timeout):
            results = list(pipeline.analyse(nlp, articles, batch_size=batch_size))
        yield from results
        return
    except (Exception, _Timeout):  # noqa: BLE001, S110 - isolate the failing article below
        pass
    for art in articles:
        try:
            with _watchdog(timeout):
                results = list(pipeline.analyse(nlp, [art], batch_size=1))
        except _Timeout:
            yield art, str(ExtractionError(f"extraction took longer than extract_timeout={timeout:g}s"))
            continue
        except Exception as exc:  # noqa: BLE001 - recorded per article, the run goes on
            yield art, str(ExtractionError(_one_line(f"{type(exc).__name__}: {exc}")))
            continue
        yield from results


class _Timeout(BaseException):
    """Raised by the watchdog's alarm. A BaseException, like KeyboardInterrupt, so that
    no ``except Exception`` inside a pipeline stage can swallow it."""


def _raise_timeout(signum: int, frame: Any) -> None:
    raise _Timeout()


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """Raise _Timeout in this thread after ``seconds`` of wall time (SIGALRM).

    Signals reach only the main thread, so elsewhere (and for ``seconds`` <= 0, or
    without ``setitimer``) the block runs unbounded. The previous handler is restored.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _one_line(message: str, limit: int = 300) -> str:
    first = (message.splitlines() or [""])[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


def run_ingest(inputs: Sequence[str], settings: Settings, repo: Any, *,
               analyzer: Analyzer | None = None, on_event: Event | None = None,
               client: Any = None) -> IngestReport:
    from .ingest import iter_articles
    from .pipeline import Linker

    report = IngestReport()
    emit = on_event or (lambda *_: None)
    analyse = analyzer or local_analyzer(settings)
    linker: Linker | None = None
    fresh = _fresh_articles(iter_articles(inputs, settings, client=client), repo, report, emit)
    pending: list[ArticleResult] = []
    for item in analyse(fresh):
        if isinstance(item, tuple):
            art, reason = item
            _fail(report, emit, _label(art), reason)
            continue
        pending.append(item)
        if len(pending) >= settings.write_batch:
            linker = linker or Linker(repo)
            _store(repo, linker, pending, report, emit)
            pending = []
    if pending:
        linker = linker or Linker(repo)
        _store(repo, linker, pending, report, emit)
    if linker is not None or repo.pending_relinks():  # a stopped run may have left some
        linker = linker or Linker(repo)
        _finish(repo, linker, report, emit)
        report.refused = linker.refused
    return report


def _finish(repo: Any, linker: Any, report: IngestReport, emit: Event) -> None:
    """Stories that got a report published before articles stored earlier, in this run or in
    one stopped before it linked them, are linked again in publication order; the articles
    stay stored as linked, and noted as waiting, if that fails."""
    try:
        n = linker.finish(repo)
    except Exception as exc:  # noqa: BLE001 - everything is stored; report, do not stop
        _fail(report, emit, "linking again in publication order", f"{type(exc).__name__}: {exc}")
        return
    report.relinked = n


@dataclass
class DeleteReport:
    """What ``delete_articles`` did: the articles removed, the ids not found, and their stories."""

    deleted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # ids no stored article has
    relinked: int = 0  # articles of their stories linked again without them
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, reason)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed

    def summary(self) -> str:
        again = f"; {self.relinked} articles of their stories linked again" if self.relinked else ""
        return f"{len(self.deleted)} deleted, {len(self.missing)} not found{again}"


def delete_articles(article_ids: Sequence[str], repo: Any) -> DeleteReport:
    """Remove stored articles (each in its own transaction, ``Repository.delete_article``),
    then link again, in publication order, the stories they leave, so that each story's
    claims and stances are those it would have without them. Safe to run again: an id
    already gone is reported as not found, and a story left waiting by a stopped run is
    linked by the next delete or ingest."""
    from .pipeline import Linker

    report = DeleteReport()
    for aid in dict.fromkeys(article_ids):
        (report.deleted if repo.delete_article(aid) else report.missing).append(aid)
    if repo.pending_relinks():
        linker = Linker(repo)
        try:
            report.relinked = linker.finish(repo)
        except Exception as exc:  # noqa: BLE001 - the deletions are stored; report, do not lose them
            report.failed.append(("linking again in publication order", f"{type(exc).__name__}: {exc}"))
    return report


def _fresh_articles(items: Iterable[Article | IngestFailure], repo: Any, report: IngestReport,
                    emit: Event) -> Iterator[Article]:
    seen_hashes: set[str] = set()
    seen_urls: set[str] = set()
    for item in items:
        if isinstance(item, IngestFailure):
            _fail(report, emit, item.input, item.reason)
            continue
        art = item
        emit("read", _label(art), "")
        dup = art.content_hash in seen_hashes or (art.url in seen_urls if art.url else False)
        if dup or repo.find_duplicate(art.content_hash, art.url):
            report.skipped.append((_label(art), "already stored"))
            emit("skipped", _label(art), "already stored")
            continue
        seen_hashes.add(art.content_hash)
        if art.url:
            seen_urls.add(art.url)
        yield art


def _store(repo: Any, linker: Any, results: list[ArticleResult], report: IngestReport, emit: Event) -> None:
    """Link each result in publication order (``_published``), then write the batch in one
    transaction (an article a savepoint), with what linking changed in stored statements
    (``Linker.write``). Linking in date order lets the earliest report found a claim and
    later ones answer it, whatever order the files of a batch came in."""
    ordered = sorted(results, key=_published)
    try:
        written = linker.write(repo, ordered)
    except ClaimgraphError as exc:
        for r in ordered:
            _fail(report, emit, _label(r.article), str(exc))
        return
    for result, error in written.failed:
        _fail(report, emit, _label(result.article), f"{type(error).__name__}: {error}")
    for result, outcome in zip(written.linked, written.outcomes, strict=True):
        _record(result, outcome, report, emit)


def _published(result: ArticleResult) -> tuple[bool, str, str]:
    """Linking order: by publication time, undated last; ties by content, not by input order."""
    art = result.article
    return (not art.published, art.published or "", art.content_hash)


def _record(result: ArticleResult, outcome: Any, report: IngestReport, emit: Event) -> None:
    label = _label(result.article)
    if outcome.outcome == "failed":
        _fail(report, emit, label, outcome.error or "cannot store article")
    elif outcome.outcome == "duplicate":
        report.skipped.append((label, "already stored"))
        emit("skipped", label, "already stored")
    else:
        report.added.append(outcome.article_id)
        report.attributions += outcome.attributions
        emit("added", label, f"{outcome.attributions} attributions")


def _fail(report: IngestReport, emit: Event, label: str, reason: str) -> None:
    report.failed.append((label, reason))
    emit("failed", label, reason)


def _label(art: Article) -> str:
    return art.path or art.url or art.id


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, max(1, size))):
        yield chunk
