"""Sort every gold attribution and every prediction of a PolNeAR split into one error category.

usage: python scripts/error_categories.py [--split dev] [--corpus ../shared/corpora/polnear] [--cache DIR]

Predictions are matched to gold as the span scorer matches them (content token F1 >= 0.5,
greedy, one to one). A matched gold is ``ok`` or ``matched, wrong source``. An unmatched
gold is traced back through the extractor to the first step that lost it: its cue head is
not a candidate lemma, the classifier scored it below its cut-off, the cue built no
content, the ranker dropped the built attribution (its content good or bad), the cue's
attribution matched another gold or has the wrong content, or dedupe removed it. An
unmatched prediction is ``false, right cue wrong content`` when its cue overlaps a gold
cue, else ``false, no gold cue``. Prints a Markdown table. Never run by the tests.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spacy.language import Language
from spacy.tokens import Doc
from train_extractor import parsed, span_root

from claimgraph.evaluate import _greedy, export_record, load_corpus, source_ok, token_f1
from claimgraph.extract import build_nlp, ranking
from claimgraph.extract.attribution import build
from claimgraph.extract.cues import Cue

COMPONENTS = ("cues", "attribution", "hedging", "evidence", "article")


def cue_chars(doc: Doc, cue: Cue) -> tuple[int, int]:
    last = doc[cue.end - 1]
    return doc[cue.start].idx, last.idx + len(last.text)


def categorise(nlp: Language, gold: dict, doc: Doc, out: Counter[str]) -> None:
    """Add one article's categories to ``out``; ``doc`` has been through the components."""
    atts, golds = doc._.attributions, gold["attributions"]
    recs = [export_record(gold["doc_id"], a) for a in atts]
    pairs = [(token_f1(a.content.text, g.get("content_text") or ""), gi, pi)
             for gi, g in enumerate(golds) for pi, a in enumerate(atts)]
    g2p = _greedy([p for p in pairs if p[0] >= 0.5])
    used = set(g2p.values())
    scorer, ranker = nlp.get_pipe("cues").scorer, nlp.get_pipe("attribution")
    for gi, g in enumerate(golds):
        if gi in g2p:
            r = recs[g2p[gi]]
            out["ok" if source_ok(g.get("source_text"), r["source"]["name"], r["source"]["mention"])
                else "matched, wrong source"] += 1
            continue
        if not g.get("cue_frags"):
            out["missed, no gold cue"] += 1
            continue
        s, e = g["cue_frags"][0]
        cue = next((c for c in doc._.cues if cue_chars(doc, c)[0] < e and s < cue_chars(doc, c)[1]), None)
        if cue is None:
            i = span_root(doc, s, e)
            known = i is not None and scorer.lexicon.get(f"{doc[i].lemma_.lower()}|{doc[i].pos_}") is not None
            out["cue below threshold" if known else "cue not a candidate"] += 1
            continue
        own = [pi for pi, a in enumerate(atts) if a.cue.start == cue_chars(doc, cue)[0]]
        if own:
            out["cue used by another gold" if any(pi in used for pi in own) else "missed, wrong content"] += 1
            continue
        built = build(doc, doc.text, cue, doc.user_data["cg_quotes"])
        if built is None:
            out["cue found, no content"] += 1
            continue
        p = ranking.rank(ranker.ranker, ranking.rank_features(doc, cue, built)) if ranker.ranker else 1.0
        if p < ranker.threshold and not (cue.kind == "no_comment" or cue.vouched):
            good = token_f1(built.content.text, g.get("content_text") or "") >= 0.5
            out["ranker dropped, good span" if good else "ranker dropped, bad span"] += 1
        else:
            out["dedupe / other"] += 1
    for pi, a in enumerate(atts):
        if pi not in used:
            on_gold = any(s < a.cue.end and a.cue.start < e for g in golds for s, e in g.get("cue_frags") or ())
            out["false, right cue wrong content" if on_gold else "false, no gold cue"] += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/corpora/polnear"))
    ap.add_argument("--cache", default="/tmp/claimgraph-cache5")
    args = ap.parse_args()
    nlp = build_nlp()
    mine = [proc for name, proc in nlp.pipeline if name in COMPONENTS]
    golds = load_corpus(Path(args.corpus) / f"{args.split}.jsonl")
    out: Counter[str] = Counter()
    for gold, doc in zip(golds, parsed(nlp, golds, Path(args.cache) / f"{args.split}.spacy"), strict=True):
        for proc in mine:
            doc = proc(doc)
        categorise(nlp, gold, doc, out)
    print("| category | count |\n|---|---|")
    for name, n in out.most_common():
        print(f"| {name} | {n} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
