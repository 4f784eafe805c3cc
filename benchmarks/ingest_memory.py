"""Peak memory of ``claimgraph ingest`` at two corpus sizes: it must not grow with the corpus.

    python benchmarks/ingest_memory.py [--sizes 1000 10000] [--workers 1] [--every 1000]

Each size gets its own generated corpus (the bundled samples repeated and varied), a
fresh SQLite store and a fresh ``claimgraph ingest`` process. While it runs, the
resident memory of its whole process tree (the command and its worker processes) is
sampled twice a second; a line is printed each time another ``--every`` articles are
stored, with the peak so far, so a long run shows whether memory climbs with the
corpus. At the end the kernel's own figure for the largest single process
(``ru_maxrss``) is printed beside the sampled peak of the tree.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from claimgraph.scale.synthetic import write_corpus

MIB = 1024 * 1024


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 for those gone meanwhile)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def measure(size: int, workers: int, every: int, tmp: Path) -> dict[str, float]:
    folder = tmp / f"corpus{size}"
    write_corpus(folder, size)
    db = tmp / f"s{size}.db"
    cmd = [sys.executable, "-m", "claimgraph", "--db", str(db), "ingest", "--no-progress",
           "--workers", str(workers), str(folder)]
    began = time.perf_counter()
    log = (tmp / f"ingest{size}.log").open("w+", encoding="utf-8")  # a pipe could fill and stall it
    child = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
    proc = psutil.Process(child.pid)
    peak = 0
    mark = every
    last_count = 0.0
    while child.poll() is None:
        peak = max(peak, tree_rss(proc))
        now = time.perf_counter()
        if now - last_count > 5:
            last_count = now
            n = stored(db)
            while n >= mark:
                print(f"    {mark:>6} of {size} stored after {now - began:6.0f}s: peak so far {peak / MIB:7.1f} MiB",
                      flush=True)
                mark += every
        time.sleep(0.5)
    log.seek(0)
    output = log.read()
    log.close()
    if child.returncode != 0:
        raise SystemExit(f"ingest failed ({child.returncode}): {output[-2000:]}")
    return {"seconds": time.perf_counter() - began, "peak_tree": peak / MIB,
            "largest_process": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "stored": stored(db)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--every", type=int, default=1000, help="print the peak so far each time this many are stored")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = results[size] = measure(size, args.workers, args.every, Path(tmp))
            print(f"{size:>6} articles ({r['stored']:.0f} stored, {args.workers} worker(s)): peak RSS of the process "
                  f"tree {r['peak_tree']:7.1f} MiB (largest process so far, kernel: {r['largest_process']:.1f} MiB); "
                  f"{r['seconds']:.0f}s, {size / r['seconds']:.2f} articles/s", flush=True)
    if len(results) > 1:
        small, large = results[min(results)], results[max(results)]
        growth = large["peak_tree"] / small["peak_tree"] - 1
        print(f"growth from {min(results)} to {max(results)} articles: {growth:+.1%} (bar: within 15%)")


if __name__ == "__main__":
    main()
