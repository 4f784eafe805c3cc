"""Claim-linking cost as the store grows: ms per article against N claims already stored.

usage: python benchmarks/link_scale.py [--claims 0 10000 50000 200000] [--articles 16]

For each N, fills a fresh SQLite store with N claims, loads them as ``pipeline.Linker``
does (``ClaimLinker.from_claims(repo.iter_claims())``), then links the development set's
articles (their gold attributions, so extraction is not timed) and prints the seconds to
load the claims, the milliseconds per article and the peak RSS of a child process that
did only that. The stored claims are random unit centroids with actors: claims of other
stories, which every new article must be compared with and joins none of. Per article the
cost should stay flat as N grows; loading the claims and memory grow with N.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DIM = 384


def fill(repo: Any, n: int, seed: int = 0) -> None:
    """N claims straight into the claims table, 10,000 rows a transaction."""
    from claimgraph.store import schema as s
    from claimgraph.store.engine import write_tx

    rng = np.random.default_rng(seed)
    for start in range(0, n, 10_000):
        m = rng.standard_normal((min(10_000, n - start), DIM)).astype(np.float32)
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        rows = [{"id": f"c-{i:012x}", "label": f"stored claim {i}", "actors": [f"Country {i % 200}"],
                 "first_seen": "2024-01-01", "contested": False, "centroid": v.astype("<f4").tobytes(),
                 "size": 3, "n_attributions": 3, "subjects": [f"Country {i % 200}"], "weight": 3,
                 "weak_label": False, "sources": [f"Person {i}"]} for i, v in enumerate(m, start)]
        with write_tx(repo.engine) as conn:
            conn.execute(s.claims.insert(), rows)


def measure(db: str, articles: int, out: Any) -> None:
    """Child process: load the store's claims into a linker, link the articles."""
    from claimgraph.link import ClaimLinker
    from claimgraph.link import evalgold as eg
    from claimgraph.store import Repository

    pairs = eg.load(ROOT / "devset" / "gold")[:articles]
    eg.run(pairs[:1], ClaimLinker.from_claims([]))  # load the embedder and the NER model first
    repo = Repository.open(db)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    linker = ClaimLinker.from_claims(repo.iter_claims())
    t1 = time.perf_counter()
    eg.run(pairs, linker)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send((t1 - t0, 1000 * (t2 - t1) / len(pairs), peak / 1024, (peak - base) / 1024))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, nargs="+", default=[0, 10_000, 50_000])
    ap.add_argument("--articles", type=int, default=16)
    args = ap.parse_args()
    from claimgraph.store import Repository

    ctx = mp.get_context("spawn")
    print(f"{'stored claims':>14} {'load s':>8} {'ms/article':>11} {'peak RSS MiB':>13} {'grown by load+link':>19}")
    for n in args.claims:
        with tempfile.TemporaryDirectory() as tmp:
            db = f"sqlite:///{tmp}/claims.db"
            repo = Repository.open(db)
            fill(repo, n)
            repo.engine.dispose()
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=measure, args=(db, args.articles, send))
            proc.start()
            load, ms, peak, grown = recv.recv()
            proc.join()
        print(f"{n:>14,} {load:>8.2f} {ms:>11.0f} {peak:>13.0f} {grown:>19.0f}", flush=True)


if __name__ == "__main__":
    main()
