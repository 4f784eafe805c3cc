"""Ingest throughput with 1 and 2 worker processes, beside bare spaCy on the same texts.

    python benchmarks/ingest_scale.py [--articles 200]

Generates distinct articles from the bundled samples, then measures in one run:
bare ``nlp.pipe`` of the base model over the cleaned texts (words/s), and the whole
``claimgraph ingest`` (clean, extract, resolve, link, store) with --workers 1 and 2,
each into a fresh SQLite store. Prints articles/s, words/s, the ratio to bare spaCy
and the 2-worker speed-up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.ingest import iter_articles
from claimgraph.scale.synthetic import write_corpus
from claimgraph.settings import Settings


def bare_spacy(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load(Settings().spacy_model)
    list(nlp.pipe(texts[:4]))  # warm-up
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - t


def ingest(folder: Path, workers: int, db: Path) -> float:
    cmd = [sys.executable, "-m", "claimgraph", "--db", str(db), "ingest", "--no-progress",
           "--workers", str(workers), str(folder)]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def model_load_seconds() -> float:
    """Start-up cost (interpreter + model), subtracted so the rates compare steady state."""
    code = "from claimgraph.pipeline import load_nlp; from claimgraph.settings import Settings; load_nlp(Settings())"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        write_corpus(folder, args.articles)
        texts = [a.text for a in iter_articles([str(folder)], Settings()) if hasattr(a, "text")]
        words = sum(len(t.split()) for t in texts)
        bare = bare_spacy(texts)
        startup = model_load_seconds()
        one = ingest(folder, 1, Path(tmp) / "w1.db") - startup
        two = ingest(folder, 2, Path(tmp) / "w2.db") - startup
    n = len(texts)
    print(f"articles: {n}, words: {words}, model start-up subtracted: {startup:.1f}s")
    print(f"bare spaCy nlp.pipe : {n / bare:8.1f} articles/s {words / bare:9.0f} words/s")
    for label, secs in (("ingest --workers 1", one), ("ingest --workers 2", two)):
        print(f"{label:20}: {n / secs:8.1f} articles/s {words / secs:9.0f} words/s "
              f"ratio to bare spaCy {bare / secs:.2f}")
    print(f"speed-up with 2 workers: {one / two:.2f}x")


if __name__ == "__main__":
    main()
