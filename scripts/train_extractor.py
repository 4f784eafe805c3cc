"""Train the extractor's learned parts from PolNeAR: train.jsonl -> src/claimgraph/extract/model/.

usage: pip install -e '.[train]' && python scripts/train_extractor.py [--corpus ../shared/corpora/polnear] [--cache DIR]

Parses train and dev once (cached as DocBin files, outside the repo), then writes
``cues.json``: for each cue lemma and coarse part of speech, how often a token with
that lemma heads a gold cue, over how often it occurs. The extractor keeps lemmas
whose cue rate clears a threshold tuned on dev. Never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc, DocBin, Token

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "src" / "claimgraph" / "extract" / "model"
sys.path.insert(0, str(ROOT / "src"))


def load_corpus(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def parsed(nlp: spacy.Language, docs: list[dict], cache: Path) -> list[Doc]:
    """Base-model parses of the corpus texts, cached because parsing dominates run time."""
    if cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    t = time.time()
    mine = [n for n in nlp.pipe_names if n in ("cues", "attribution", "hedging", "evidence")]
    with nlp.select_pipes(disable=mine):
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


def labelled_candidates(d: dict, doc: Doc, lexicon: dict[str, float]) -> Iterator[tuple[Token, list[str], int]]:
    """Each candidate cue head of one article, its features, and 1 when it heads a gold cue."""
    from claimgraph.extract.cues import cue_features, is_candidate
    from claimgraph.extract.quotes import QuoteIndex

    gold = {span_root(doc, *a["cue_frags"][0]) for a in d["attributions"] if a.get("cue_frags")}
    quotes = QuoteIndex(doc.text)
    for tok in doc:
        if is_candidate(tok, lexicon):
            rate = lexicon.get(lexicon_key(tok), 0.0)
            yield tok, cue_features(tok, quotes.containing(tok.idx) is not None, rate), int(tok.i in gold)


def cue_examples(docs: list[dict], parses: list[Doc], lexicon: dict[str, float]) -> tuple[list[list[str]], list[int]]:
    """Candidate cue heads with their features, labelled 1 when they head a gold cue."""
    X: list[list[str]] = []
    y: list[int] = []
    for d, doc in zip(docs, parses):
        for _, feats, label in labelled_candidates(d, doc, lexicon):
            X.append(feats)
            y.append(label)
    return X, y


def feature_matrix(X: list[list[str]]) -> tuple[list[str], Any]:
    """Features seen in at least two examples, and the examples as a sparse 0/1 matrix over them."""
    from sklearn.preprocessing import MultiLabelBinarizer

    counts = Counter(f for feats in X for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= 2)
    known = set(vocab)
    return vocab, MultiLabelBinarizer(classes=vocab, sparse_output=True).fit_transform([set(f) & known for f in X])


def train_logistic(X: list[list[str]], y: list[int], c: float = 0.3) -> dict[str, float]:
    """L2-regularised logistic regression fitted to convergence (liblinear): feature lists
    -> weights, the intercept folded into the always-present "bias" feature."""
    from sklearn.linear_model import LogisticRegression

    vocab, matrix = feature_matrix(X)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=0).fit(matrix, y)
    w = model.coef_[0]
    weights = {f: round(float(w[i]), 4) for i, f in enumerate(vocab) if abs(w[i]) >= 1e-3}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    print(f"fitted {len(vocab)} features, {len(weights)} weights kept")
    return weights


RANK_CUE_THRESHOLD = 0.15  # the ranker sees cues well below the classifier's own cut-off


def rank_examples(docs: list[dict], parses: list[Doc], nlp: spacy.Language) -> tuple[list[list[str]], list[int]]:
    """Built attributions on train with their features, labelled 1 when they match a gold
    attribution the way the scorer matches them (content token F1 >= 0.5, greedy, one to one)."""
    from claimgraph.evaluate import _greedy, token_f1
    from claimgraph.extract.attribution import build
    from claimgraph.extract.ranking import rank_features

    cues_pipe = nlp.get_pipe("cues")
    cues_pipe.scorer.threshold = RANK_CUE_THRESHOLD
    X: list[list[str]] = []
    y: list[int] = []
    for d, doc in zip(docs, parses):
        doc = cues_pipe(doc)
        nlp.get_pipe("attribution")(doc)  # sets the per-doc indexes build() reads
        text, quotes = doc.text, doc.user_data["cg_quotes"]
        built = [(cue, build(doc, text, cue, quotes)) for cue in doc._.cues]
        built = [(c, a) for c, a in built if a is not None]
        gold = [g.get("content_text") or "" for g in d["attributions"]]
        pairs = [(token_f1(a.content.text, g), gi, pi) for pi, (_, a) in enumerate(built) for gi, g in enumerate(gold)]
        good = set(_greedy([p for p in pairs if p[0] >= 0.5]).values())
        for pi, (cue, att) in enumerate(built):
            X.append(rank_features(doc, cue, att))
            y.append(int(pi in good))
    return X, y


def train_cues(train: list[dict], parses: list[Doc]) -> None:
    """Lexicon, then the token-level cue classifier."""
    from claimgraph.extract.cues import MIN_RATE, load_lexicon

    lex = build_lexicon(train, parses)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    (MODEL_DIR / "cues.json").write_text(json.dumps(dict(sorted(lex.items())), indent=0))
    print(f"lexicon: {len(lex)} entries -> {MODEL_DIR / 'cues.json'}")
    rates = load_lexicon(str(MODEL_DIR / "cues.json"), MIN_RATE, 2)  # the candidates the extractor sees
    X, y = cue_examples(train, parses, rates)
    print(f"cue candidates: {len(X)}, positive {sum(y)}")
    weights = train_logistic(X, y)
    (MODEL_DIR / "cue_classifier.json").write_text(json.dumps(weights, sort_keys=True, separators=(",", ":")))
    print(f"classifier: {len(weights)} weights")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "polnear"))
    ap.add_argument("--cache", default="/tmp/claimgraph-cache5")
    ap.add_argument("--only-ranker", action="store_true", help="keep the cue model, retrain the ranker")
    args = ap.parse_args()
    from claimgraph.extract import build_nlp

    nlp = build_nlp()  # the same tokenisation and sentence starts as at run time
    corpus, cache = Path(args.corpus), Path(args.cache)
    train = load_corpus(corpus / "train.jsonl")
    parses = parsed(nlp, train, cache / "train.spacy")
    if not args.only_ranker:
        train_cues(train, parses)
    from claimgraph.extract.cues import load_lexicon, load_weights

    load_lexicon.cache_clear()
    load_weights.cache_clear()
    nlp = build_nlp()  # reload: the cue model may have changed
    X, y = rank_examples(train, parses, nlp)
    print(f"ranker examples: {len(X)}, positive {sum(y)}")
    ranker = train_logistic(X, y)
    (MODEL_DIR / "ranker.json").write_text(json.dumps(ranker, sort_keys=True, separators=(",", ":")))
    print(f"ranker: {len(ranker)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
