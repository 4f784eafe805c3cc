"""End-to-end time to ingest the PolNeAR train split (840 articles) with the full pipeline.

    python benchmarks/polnear_ingest.py [--split train] [--workers 1]

Each document is written as ``<doc_id>.txt`` (its text as given) into a temporary
folder, then ``claimgraph ingest`` stores it with extraction, resolution and claim
linking. Prints wall time, articles/s and words/s. Needs ../shared (skips otherwise).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "polnear"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="train")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    corpus = SHARED / f"{args.split}.jsonl"
    if not corpus.exists():
        print(f"skipped: {corpus} is not present")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        words = n = 0
        for line in corpus.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            (folder / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
            words += len(doc["text"].split())
            n += 1
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "claimgraph", "--db", str(Path(tmp) / "s.db"), "ingest",
                              "--no-progress", "--workers", str(args.workers), str(folder)],
                             capture_output=True, text=True, check=False)
        secs = time.perf_counter() - t
    print(res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-500:])
    print(f"PolNeAR {args.split}: {n} articles, {words} words in {secs:.1f}s with {args.workers} worker(s): "
          f"{n / secs:.2f} articles/s, {words / secs:.0f} words/s")


if __name__ == "__main__":
    main()
