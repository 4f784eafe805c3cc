"""Peak memory of ``claimgraph ingest`` at two corpus sizes: it must not grow with the corpus.

    python benchmarks/ingest_memory.py [--sizes 1000 10000] [--workers 1]

Each size gets its own generated corpus (the bundled samples repeated and varied), a
fresh SQLite store and a fresh process; the peak resident set of that process (and of
its worker processes, if any) is read from the kernel's accounting when it exits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.scale.synthetic import write_corpus

PROBE = """
import resource, subprocess, sys, json, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def measure(size: int, workers: int, tmp: Path) -> dict[str, float]:
    folder = tmp / f"corpus{size}"
    write_corpus(folder, size)
    cmd = [sys.executable, "-m", "claimgraph", "--db", str(tmp / f"s{size}.db"), "ingest", "--no-progress",
           "--workers", str(workers), str(folder)]
    out = subprocess.run([sys.executable, "-c", PROBE, *cmd], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            t = time.perf_counter()
            results[size] = measure(size, args.workers, Path(tmp))
            r = results[size]
            print(f"{size:>6} articles: peak RSS {r['peak_kib'] / 1024:7.1f} MiB, ingest {r['seconds']:7.1f}s "
                  f"({size / r['seconds']:.1f} articles/s; total with generation {time.perf_counter() - t:.0f}s)",
                  flush=True)
    small, large = results[min(args.sizes)], results[max(args.sizes)]
    growth = large["peak_kib"] / small["peak_kib"] - 1
    print(f"growth from {min(args.sizes)} to {max(args.sizes)} articles: {growth:+.1%} (bar: within 15%)")


if __name__ == "__main__":
    main()
