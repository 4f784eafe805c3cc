"""Articles -> outcomes on Dask workers; the client links and writes, in input order.

``dask_analyzer(settings, "tcp://scheduler:8786")`` uses an existing cluster;
``"local"`` starts a LocalCluster on this machine. The model is loaded once per worker
(kept in the worker process, keyed by settings) and batches stream through with a
bounded number in flight, so results equal a local run's and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ConfigError
from ..records import Article
from ..runner import Analyzer, Outcome, analyse_guarded, chunks
from ..settings import Settings
from .pool import ordered

_MODELS: dict[str, Any] = {}


def analyse_on_worker(batch: list[Article], settings: Settings) -> list[Outcome]:
    """Runs on a Dask worker: the model is loaded the first time, then reused."""
    from ..pipeline import load_nlp

    key = settings.spacy_model
    if key not in _MODELS:
        _MODELS[key] = load_nlp(settings)
    return list(analyse_guarded(_MODELS[key], batch, settings.batch_size))


def connect(address: str, workers: int = 2) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("--dask needs the dask extra: pip install 'claimgraph[dask]'") from exc
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                               dashboard_address=None, host="127.0.0.1")
        return Client(cluster)  # type: ignore[no-untyped-call]
    try:
        return Client(address, timeout="30s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def dask_analyzer(settings: Settings, address: str, workers: int = 2) -> Analyzer:
    def analyse(articles: Iterable[Article]) -> Iterator[Outcome]:
        client = connect(address, workers)
        try:
            n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
            futures = (client.submit(analyse_on_worker, b, settings, pure=False)
                       for b in chunks(articles, settings.batch_size))
            yield from ordered(futures, 2 * n)
        finally:
            cluster = getattr(client, "cluster", None)
            client.close()
            if address == "local" and cluster is not None:
                cluster.close()

    return analyse
