"""Articles -> outcomes on N worker processes, in input order, with bounded memory.

Each worker loads the model once (pool initializer). Batches are submitted as the
input is read, with at most ``2 * workers`` batches in flight, so a corpus of any size
streams through in constant memory; outcomes come back in input order so the client
links and stores them exactly as a single-process run would.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..records import Article
from ..runner import Analyzer, Outcome, analyse_guarded, chunks
from ..settings import Settings

_NLP: Any = None


def _init_worker(settings: Settings) -> None:
    global _NLP
    from ..pipeline import load_nlp

    _exit_with_parent()
    _NLP = load_nlp(settings)


def _exit_with_parent(every: float = 1.0) -> None:
    """A worker whose client died without closing the pool (SIGKILL, a crash, the OOM
    killer) exits, instead of holding its model's memory for ever as an orphan: a daemon
    thread notices that the process was handed to a new parent."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="claimgraph-parent-watch", daemon=True).start()


def _analyse_batch(batch: list[Article], batch_size: int, timeout: float) -> list[Outcome]:
    # a pool worker runs tasks on its main thread, so the per-article watchdog works here too
    return list(analyse_guarded(_NLP, batch, batch_size, timeout=timeout))


def pool_analyzer(settings: Settings, workers: int) -> Analyzer:
    """An analyzer on ``workers`` processes (spawned: no inherited model or locks)."""

    def analyse(articles: Iterable[Article]) -> Iterator[Outcome]:
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(settings,)) as pool:
            yield from ordered(
                (pool.submit(_analyse_batch, b, settings.batch_size, settings.extract_timeout)
                 for b in chunks(articles, settings.batch_size)),
                2 * workers,
            )

    return analyse


def ordered(futures: Iterable[Future[list[Outcome]]], in_flight: int) -> Iterator[Outcome]:
    """Results of lazily submitted futures, in submission order, at most ``in_flight`` pending."""
    pending: deque[Future[list[Outcome]]] = deque()
    for fut in futures:
        pending.append(fut)
        if len(pending) >= in_flight:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
