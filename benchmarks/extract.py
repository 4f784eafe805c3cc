"""Extraction speed and memory: texts -> articles/s, words/s and peak RSS, full pipeline vs bare spaCy.

usage: python benchmarks/extract.py [--corpus ../shared/corpora/polnear/dev.jsonl] [--repeat N]
                                    [--limit N] [--batch-size 32]

Runs bare ``nlp.pipe`` of the base model and then the full extraction pipeline over the
same texts, each in a fresh child process so that peak memory (ru_maxrss) belongs to one
run only, and prints both with the ratio. ``--repeat`` feeds the corpus several times so
that one can check peak memory does not grow with the number of articles. Without the
shared corpus it falls back to the project's own fixtures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear" / "dev.jsonl"


def load_texts(corpus: Path, limit: int | None) -> list[str]:
    if corpus.exists():
        texts = [json.loads(line)["text"] for line in corpus.read_text().splitlines() if line.strip()]
    else:
        texts = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures" / "extract").glob("*.txt"))]
    return texts[:limit] if limit else texts


def stream(texts: list[str], repeat: int) -> Iterator[str]:
    """The corpus ``repeat`` times over, lazily: nothing is kept between articles."""
    for _ in range(repeat):
        yield from texts


def run(mode: str, texts: list[str], repeat: int, batch_size: int, out: Any) -> None:
    """Child process: time one pipeline over the stream and report through ``out``."""
    import spacy

    from claimgraph.extract import BASE_MODEL, build_nlp

    nlp = build_nlp() if mode == "full" else spacy.load(BASE_MODEL)
    nlp("Warm-up, the model said.")
    words = articles = found = 0
    start, cpu = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(stream(texts, repeat), batch_size=batch_size):
        articles += 1
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
        if mode == "full":
            found += len(doc._.attributions or [])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send({"mode": mode, "articles": articles, "words": words, "seconds": seconds, "cpu": cpu,
              "peak_mb": peak_mb, "attributions": found})  # fmt: skip


def measure(mode: str, texts: list[str], repeat: int, batch_size: int) -> dict[str, Any]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=run, args=(mode, texts, repeat, batch_size, child))
    proc.start()
    result: dict[str, Any] = parent.recv()
    proc.join()
    return result


def line(r: dict[str, Any]) -> str:
    return (
        f"{r['mode']:5} articles={r['articles']} words={r['words']} time={r['seconds']:.1f}s "
        f"articles/s={r['articles'] / r['seconds']:.2f} words/s={r['words'] / r['seconds']:.0f} "
        f"cpu_words/s={r['words'] / r['cpu']:.0f} peak_rss={r['peak_mb']:.0f}MB"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    texts = load_texts(Path(args.corpus), args.limit)
    bare = measure("bare", texts, args.repeat, args.batch_size)
    full = measure("full", texts, args.repeat, args.batch_size)
    print(line(bare))
    print(line(full) + f" attributions={full['attributions']}")
    ratio = (full["words"] / full["seconds"]) / (bare["words"] / bare["seconds"])
    cpu_ratio = bare["cpu"] / full["cpu"]  # CPU time is steadier than wall time on a shared machine
    print(f"ratio full/bare words/s = {ratio:.2f} wall, {cpu_ratio:.2f} cpu (target >= 0.70); "
          f"peak RSS full - bare = {full['peak_mb'] - bare['peak_mb']:.0f}MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
