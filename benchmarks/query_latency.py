"""Latency (p50, p95) of the claim page and search API calls on a large store.

    python benchmarks/synthetic_store.py --db bench.db --attributions 1000000   # once
    python benchmarks/query_latency.py --db bench.db [--requests 200]
    python benchmarks/query_latency.py --db postgresql+psycopg://.../bench

Requests go through the real application (FastAPI + repository + database) in process,
with FastAPI's test client, so the figures are the server's own time without the
network: the claim page (HTML), the claim's JSON with its timeline, and search.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from claimgraph.serve.app import create_app
from claimgraph.settings import Settings
from claimgraph.store import Repository


def timed(fn: Callable[[], int], n: int) -> tuple[list[float], list[float]]:
    """Call ``fn`` n times -> (wall ms, process CPU ms) of each call."""
    fn()  # warm-up: first query plans, template compilation
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        status = fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert status == 200, status
    return wall, cpu


def _p50_p95(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]


def report(label: str, times: tuple[list[float], list[float]]) -> None:
    """Wall-clock p50/p95 (what a user waits), then CPU p50/p95: on a busy machine the two
    part ways, and the CPU figure is this process's own work."""
    (p50, p95), (c50, c95) = _p50_p95(times[0]), _p50_p95(times[1])
    print(f"{label:28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (n={len(times[0])})"
          f"   cpu p50 {c50:5.1f} p95 {c95:5.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    repo = Repository.open(Settings(db=args.db).db_url, serving=True)  # as `claimgraph serve` opens it
    counts = repo.counts()
    print(f"store: {counts['attributions']:,} attributions, {counts['articles']:,} articles, "
          f"{counts['claims']:,} claims ({repo.dialect})")
    with TestClient(create_app(repo)) as client:  # one event-loop portal for all requests
        run(repo, client, args.requests)


def run(repo: Repository, client: TestClient, n: int) -> None:
    rng = random.Random(1)
    claim_ids = [c["id"] for c in repo.claims(limit=200)]
    words = [w for row in repo.attribution_rows(limit=300) for w in row["content_text"].split()[1:]]

    def claim_page() -> int:
        return client.get(f"/claims/{rng.choice(claim_ids)}").status_code

    def claim_api() -> int:
        return client.get(f"/api/claims/{rng.choice(claim_ids)}/timeline").status_code

    def search() -> int:
        q = " ".join(rng.sample(words, rng.choice([1, 2])))
        return client.get("/api/search", params={"q": q}).status_code

    report("claim page (HTML)", timed(claim_page, n))
    report("claim timeline (API)", timed(claim_api, n))
    report("search (API)", timed(search, n))


if __name__ == "__main__":
    main()
