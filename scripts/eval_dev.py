"""Score the extractor on a PolNeAR split, reusing cached base parses: corpus -> scores.

usage: python scripts/eval_dev.py [--split dev] [--cache /tmp/claimgraph-cache] [--out export.jsonl]

Only the claimgraph components run on the cached parses, so a tuning round takes seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_extractor import parsed

from claimgraph.evaluate import export_record, format_spans, load_corpus, score_spans
from claimgraph.extract import build_nlp


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/corpora/polnear"))
    ap.add_argument("--cache", default="/tmp/claimgraph-cache5")
    ap.add_argument("--out", default="/tmp/claimgraph-cache5/export.jsonl")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--rank-threshold", type=float, default=None)
    args = ap.parse_args()
    nlp = build_nlp()
    if args.threshold is not None:
        nlp.get_pipe("cues").scorer.threshold = args.threshold
    if args.rank_threshold is not None:
        nlp.get_pipe("attribution").threshold = args.rank_threshold
    path = Path(args.corpus) / f"{args.split}.jsonl"
    docs = load_corpus(path)
    parses = parsed(nlp, docs, Path(args.cache) / f"{args.split}.spacy")
    mine = [(n, p) for n, p in nlp.pipeline if n in ("cues", "attribution", "hedging", "evidence", "article")]
    t = time.time()
    records = []
    for d, doc in zip(docs, parses):
        for _, proc in mine:
            doc = proc(doc)
        records.extend(export_record(d["doc_id"], a) for a in doc._.attributions)
    print(f"components: {time.time() - t:.1f}s")
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in records))
    print(format_spans(score_spans(path, records)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
