"""Gold attributions -> the linker -> scores: claim linking measured apart from extraction.

``python -m claimgraph.link.evalgold GOLD_DIR [--embedder minilm] [--out pred.jsonl] [--per-story]``
builds ``Attribution`` records from the gold contents (sources, cues, types, via, cites as
annotated; entities as a perfect resolver would give them), runs ``ClaimLinker`` over the
articles in date order, writes the JSONL records the protocol's scorer reads and prints
claim-pair F1, stance accuracy and relations found (strict mode), plus ms per article.
``--per-story`` links each story (``<story>-<n>`` files) with a fresh linker and prints each
story's scores and their mean: how the linker does on one story it has not seen with others.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..ingest import iter_articles
from ..records import Article, ArticleResult, Attribution, Entity, Mention, Span
from ..settings import Settings
from . import ClaimLinker

# the protocol's reference scorer, in the shared folder beside the repository
SCORER = Path(os.environ.get("CLAIMGRAPH_SCORER", Path(__file__).resolve().parents[4] / "shared/eval/score.py"))


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def find_span(text: str, needle: str, after: int = 0) -> Span:
    """The span of ``needle`` in ``text`` (quote-insensitive, whitespace-tolerant); else empty."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in _norm(needle).split()))
    hay = _norm(text)  # same length as text: every replacement is one character for one
    m = pattern.search(hay, after) or pattern.search(hay)
    if m is None:
        return Span(0, 0, needle)
    return Span(m.start(), m.end(), text[m.start():m.end()])


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def gold_result(gold: dict[str, Any], article: Article) -> ArticleResult:
    """One gold annotation + its cleaned article -> an ArticleResult before linking."""
    text = article.text
    entities = [Entity(_key(e["name"]), e["name"], e.get("type", "unknown"), e.get("role"),
                       e.get("affiliation"), aliases=tuple(e.get("mentions", ())))
                for e in gold.get("entities", [])]
    atts, cursor = [], 0
    for g in gold["attributions"]:
        content = find_span(text, g["content"], cursor)
        cursor = max(cursor, content.start)
        src_name = g["source"].split(";")[0].strip()
        atts.append(Attribution(
            cue=find_span(text, g["cue"], max(0, content.start - 300)), content=content, type=g["type"],
            source=Span(0, 0, g["source_mention"]), hedged=g.get("hedged", False), via=g.get("via"),
            cites=g.get("cites"), source_name=g["source"], source_entity=_key(src_name),
            evidence=Span(0, 0, g["evidence"]) if g.get("evidence") else None))
    return ArticleResult(article, tuple(atts), tuple(entities), tuple(_mentions(text, entities)))


def _mentions(text: str, entities: list[Entity]) -> Iterator[Mention]:
    for e in entities:
        for alias in e.aliases:
            if len(alias) < 3 or alias.lower() in {"he", "she", "her", "him", "it", "they", "its"}:
                continue
            for m in re.finditer(rf"\b{re.escape(alias)}\b", text):
                yield Mention(Span(m.start(), m.end(), m.group(0)), e.key, rule="gold")


def load(gold_dir: Path) -> list[tuple[dict[str, Any], Article]]:
    """Gold files and their cleaned articles, in publication-date order."""
    pairs = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        art_path = (gold_dir.parent / gold["article"]).resolve()
        found = [a for a in iter_articles([str(art_path)], Settings()) if isinstance(a, Article)]
        if found:
            art = found[0]
            pub = art.published or gold.get("published")
            from dataclasses import replace
            pairs.append((gold, replace(art, published=pub, path=str(art_path))))
    return sorted(pairs, key=lambda p: (p[0].get("published") or "", p[0]["doc"]))


def records(result: ArticleResult, gold: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for a in result.attributions:
        yield {"document": {"path": gold["article"], "id": gold["doc"]},
               "source": {"name": a.source_name, "mention": a.source.text if a.source else None},
               "content": a.content.text, "stance": a.stance, "claim": {"id": a.claim},
               "stance_rule": a.stance_rule, "target": a.stance_target}


def run(pairs: list[tuple[dict[str, Any], Article]], linker: ClaimLinker) -> tuple[list[dict[str, Any]], float]:
    """Link every article in order -> (prediction records with merged ids resolved, ms/article)."""
    results = [gold_result(g, a) for g, a in pairs]
    linker.embedder.encode(["warm up"])
    t0 = time.perf_counter()
    linked = [linker.link(r) for r in results]
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(linked))
    recs, at = [], {}
    for (g, _), r in zip(pairs, linked, strict=True):
        for k, rec in enumerate(records(r, g)):
            recs.append(rec)
            at[r.article.id, k] = rec
    # stances decided again after their article was linked (claims merged later), as the store applies them
    for art, seq, _cid, stance, rule in linker.take_updates():
        if (art, seq) in at:
            at[art, seq].update(stance=stance, stance_rule=rule)
    for rec in recs:
        if rec["claim"]["id"]:
            rec["claim"]["id"] = linker.resolve(rec["claim"]["id"])
    return recs, ms


def score(gold_dir: Path, recs: list[dict[str, Any]], docs: set[str] | None = None) -> dict[str, Any]:
    """Strict scores of ``recs`` against the gold files of ``gold_dir`` (only ``docs``, if given)."""
    if not SCORER.exists():
        raise FileNotFoundError(f"the protocol's scorer is not at {SCORER}; set CLAIMGRAPH_SCORER")
    spec = importlib.util.spec_from_file_location("cg_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    golds = [g for g in mod.load_gold([str(gold_dir)]) if docs is None or g["doc"] in docs]
    return dict(mod.score(golds, recs)["strict"])


def story_of(doc: str) -> str:
    """'cable-anchor-3' -> 'cable-anchor': the sets name each article <story>-<n>."""
    return doc.rsplit("-", 1)[0]


def per_story(pairs: list[tuple[dict[str, Any], Article]], gold_dir: Path, *, embedder: str | None = None,
              use_ner: bool = True) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Each story linked alone, by a fresh linker -> (story -> its scores, all records). What a
    linker does with one unseen story, without other stories' claims to join or avoid."""
    stories: dict[str, list[tuple[dict[str, Any], Article]]] = {}
    for g, a in pairs:
        stories.setdefault(story_of(g["doc"]), []).append((g, a))
    scores, recs = {}, []
    for name, group in sorted(stories.items()):
        got, _ms = run(group, ClaimLinker.from_claims([], embedder=embedder, use_ner=use_ner))
        scores[name] = score(gold_dir, got, {g["doc"] for g, _ in group})
        recs += got
    return scores, recs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--embedder", default=None)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--per-story", action="store_true",
                    help="link each story alone and print its scores, then the mean claim-pair F1")
    args = ap.parse_args(argv)
    if args.per_story:
        scores, _ = per_story(load(args.gold), args.gold, embedder=args.embedder, use_ner=not args.no_ner)
        for name, res in scores.items():
            print(json.dumps({"story": name, **{k: res[k] for k in ("claim_pair_f1", "stance_accuracy", "relations_found")}}))
        mean = sum(r["claim_pair_f1"] for r in scores.values()) / max(1, len(scores))
        print(json.dumps({"stories": len(scores), "mean_claim_pair_f1": round(mean, 3)}))
        return 0
    linker = ClaimLinker.from_claims([], embedder=args.embedder, use_ner=not args.no_ner)
    recs, ms = run(load(args.gold), linker)
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in recs))
    res = score(args.gold, recs)
    print(json.dumps({"embedder": linker.embedder.name, "ms_per_article": round(ms, 1),
                      **{k: res[k] for k in ("claim_pair_f1", "stance_accuracy", "relations_found")}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
