"""The evaluation protocol (../shared/eval/PROTOCOL.md): gold + export records -> scores.

Two kinds of gold:
- gold JSON folders (``score_gold``): one file per article, canonical sources; strict and
  lenient speaker matching, stance, relations, claim clustering -- as ``score.py``.
- span corpora in PolNeAR form (``score_spans``): content, source and cue agreement -- as
  ``score_spans.py``.
Both return the same dicts the reference scorers print with ``--json``; ``format_gold`` and
``format_spans`` give their plain-text lines. ``run_corpus`` and ``run_gold`` run the
extractor and return export-style records. Standard library only apart from the extractor.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from .records import Attribution, Span

Record = dict[str, Any]

STOP = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "but", "with", "by", "at", "from", "as", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "has", "have", "had", "will", "would", "can", "could", "may", "might", "do", "does", "did", "not", "no", "than", "then", "there", "here", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "about", "into", "over", "after", "before", "said", "says"]
)


def tokens(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return [t for t in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text) if t not in STOP]


def token_f1(a: str, b: str) -> float:
    """Token F1 between two texts after stop-word removal (a multiset overlap)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    counts: dict[str, int] = defaultdict(int)
    for t in tb:
        counts[t] += 1
    common = 0
    for t in ta:
        if counts[t] > 0:
            common += 1
            counts[t] -= 1
    if common == 0:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def norm_name(name: str | None) -> str:
    name = re.sub(r"[^a-z0-9 ]", " ", (name or "").lower().replace(".", ""))
    return " ".join(name.split())


def doc_key(value: object) -> str:
    """Documents are matched by file stem: 'articles/seed-000.txt' -> 'seed-000'."""
    stem = Path(str(value).split("?")[0].rstrip("/")).name
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def pred_doc(rec: Record) -> str:
    doc = rec.get("document")
    if isinstance(doc, dict):
        for k in ("path", "id", "url"):
            if doc.get(k):
                return doc_key(doc[k])
    return doc_key(doc or rec.get("doc") or "")


def pred_source(rec: Record) -> tuple[str, str]:
    src = rec.get("source")
    if isinstance(src, dict):
        return src.get("name") or "", src.get("mention") or ""
    return src or "", rec.get("source_mention") or ""


def pred_claim(rec: Record) -> Any:
    claim = rec.get("claim")
    return claim.get("id") if isinstance(claim, dict) else claim


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _greedy(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """Best content F1 first, one to one: gold index -> predicted index."""
    used_p: set[int] = set()
    matches: dict[int, int] = {}
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in matches and pi not in used_p:
            matches[gi] = pi
            used_p.add(pi)
    return matches


# ---- gold JSON folders (score.py) ----


def load_gold(paths: Iterable[str | Path]) -> list[Record]:
    docs: list[Record] = []
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        docs.extend(json.loads(f.read_text()) for f in files)
    return docs


def _surname_ok(cands: set[str], name: str) -> bool:
    n = norm_name(name)
    last = n.split()[-1] if n else ""
    return any(c and (c.endswith(" " + last) or c == last or n in c) for c in cands)


def speaker_ok(gold: Record, pred_name: str, pred_mention: str, aliases: dict[str, list[str]], strict: bool) -> bool:
    names = [n.strip() for n in gold["source"].split(";")]
    pn = norm_name(pred_name)
    if any(pn == norm_name(n) for n in names):
        return True
    if strict:
        return False
    cands = {pn, norm_name(pred_mention)}
    for n in names:
        if any(norm_name(alias) in cands for alias in aliases.get(norm_name(n), [])):
            return True
        if _surname_ok(cands, n):
            return True
    return False


def match_doc(gold: Record, preds: list[Record], strict: bool, min_f1: float) -> dict[int, int]:
    aliases = {norm_name(e["name"]): e.get("mentions", []) for e in gold.get("entities", [])}
    pairs = []
    for gi, g in enumerate(gold["attributions"]):
        for pi, p in enumerate(preds):
            if speaker_ok(g, *pred_source(p), aliases, strict):
                f1 = token_f1(p.get("content") or "", g["content"])
                if f1 >= min_f1:
                    pairs.append((f1, gi, pi))
    return _greedy(pairs)


def _relations(gold: Record, preds: list[Record], m: dict[int, int]) -> tuple[int, int]:
    ids = {g["id"]: i for i, g in enumerate(gold["attributions"])}
    ok = n = 0
    for rel in gold.get("relations", []):
        n += 1
        a, b = ids.get(rel["from"]), ids.get(rel["to"])
        if a in m and b in m:
            pa, pb = preds[m[a]], preds[m[b]]
            claim = pred_claim(pa)
            ok += pa.get("stance") == rel["type"] and claim is not None and claim == pred_claim(pb)
    return ok, n


def _claim_pair_f1(matched: list[tuple[Any, Any]]) -> float:
    tp = fp = fn = 0
    for (ga, pa), (gb, pb) in combinations(matched, 2):
        same_g, same_p = ga is not None and ga == gb, pa is not None and pa == pb
        tp += same_g and same_p
        fp += (not same_g) and same_p
        fn += same_g and not same_p
    cp = tp / (tp + fp) if tp + fp else 0.0
    cr = tp / (tp + fn) if tp + fn else 0.0
    return round(_f1(cp, cr), 3)


def _score_mode(gold_docs: list[Record], by_doc: dict[str, list[Record]], strict: bool, min_f1: float) -> Record:
    tp = fp = fn = stance_ok = stance_n = rel_ok = rel_n = 0
    matched: list[tuple[Any, Any]] = []
    for gold in gold_docs:
        ps = by_doc.get(doc_key(gold.get("article") or gold["doc"]), [])
        m = match_doc(gold, ps, strict, min_f1)
        atts = gold["attributions"]
        tp += len(m)
        fn += sum(1 for i, g in enumerate(atts) if not g.get("optional") and i not in m)
        fp += len(ps) - len(m)
        for gi, pi in m.items():
            if atts[gi].get("stance"):
                stance_n += 1
                stance_ok += ps[pi].get("stance") == atts[gi]["stance"]
        matched += [(atts[gi].get("claim"), pred_claim(ps[pi])) for gi, pi in m.items()]
        ok, n = _relations(gold, ps, m)
        rel_ok, rel_n = rel_ok + ok, rel_n + n
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(_f1(prec, rec), 3),
        "stance_accuracy": round(stance_ok / stance_n, 3) if stance_n else None,
        "relations_found": f"{rel_ok}/{rel_n}",
        "claim_pair_f1": _claim_pair_f1(matched),
    }  # fmt: skip


def score_gold(gold_paths: Iterable[str | Path], records: Iterable[Record], min_f1: float = 0.5) -> Record:
    """Gold JSON files or folders + export records -> {"strict": {...}, "lenient": {...}}."""
    gold_docs = load_gold(gold_paths)
    wanted = {doc_key(g.get("article") or g["doc"]) for g in gold_docs}
    by_doc: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        if pred_doc(rec) in wanted:
            by_doc[pred_doc(rec)].append(rec)
    return {mode: _score_mode(gold_docs, by_doc, mode == "strict", min_f1) for mode in ("strict", "lenient")}


def format_gold(result: Record) -> str:
    return "\n".join(
        f"{mode:8} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
        f"stance={r['stance_accuracy']} relations={r['relations_found']} claim_pair_f1={r['claim_pair_f1']}"
        for mode, r in result.items()
    )


# ---- span corpora (score_spans.py) ----


def _words(text: str | None) -> set[str]:
    """Cue words keep their stop-words: 'said' is the commonest cue."""
    return set(re.findall(r"[a-z]+", (text or "").lower()))


def source_ok(gold_source: str | None, pred_name: str, pred_mention: str) -> bool:
    g = set(tokens(gold_source or ""))
    p = set(tokens(pred_mention or "")) | set(tokens(pred_name or ""))
    return bool(g & p) if g else not p


def load_corpus(corpus_path: str | Path) -> list[Record]:
    lines = Path(corpus_path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _span_doc(gold: list[Record], ps: list[Record], min_f1: float) -> tuple[int, int, int]:
    """Matched pairs in one document: (matched, right source, right cue)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(ps):
            f1 = token_f1(p.get("content") or "", g.get("content_text") or "")
            if f1 >= min_f1:
                pairs.append((f1, gi, pi))
    m = _greedy(pairs)
    src = sum(source_ok(gold[gi].get("source_text"), *pred_source(ps[pi])) for gi, pi in m.items())
    cue = sum(bool(_words(ps[pi].get("cue")) & _words(gold[gi].get("cue_text"))) for gi, pi in m.items())
    return len(m), src, cue


def score_spans(corpus_path: str | Path, records: Iterable[Record], min_f1: float = 0.5) -> Record:
    """A PolNeAR-style JSON Lines corpus + export records -> the score_spans.py dict."""
    docs = load_corpus(corpus_path)
    wanted = {d["doc_id"] for d in docs}
    by_doc: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if pred_doc(r) in wanted:
            by_doc[pred_doc(r)].append(r)
    tp = fp = fn = src_ok = cue_ok = 0
    for doc in docs:
        ps = by_doc.get(doc["doc_id"], [])
        m, s, c = _span_doc(doc["attributions"], ps, min_f1)
        tp, src_ok, cue_ok = tp + m, src_ok + s, cue_ok + c
        fn += len(doc["attributions"]) - m
        fp += len(ps) - m
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    whole_p = src_ok / (tp + fp) if tp + fp else 0.0
    whole_r = src_ok / (tp + fn) if tp + fn else 0.0
    return {
        "documents": len(docs), "gold": tp + fn, "predicted": tp + fp, "matched": tp,
        "content_precision": round(prec, 3), "content_recall": round(rec, 3), "content_f1": round(_f1(prec, rec), 3),
        "source_accuracy": round(src_ok / tp, 3) if tp else 0.0,
        "cue_accuracy": round(cue_ok / tp, 3) if tp else 0.0,
        "attribution_f1": round(_f1(whole_p, whole_r), 3),
    }  # fmt: skip


def format_spans(result: Record) -> str:
    return " ".join(f"{k}={v}" for k, v in result.items())


# ---- running the extractor ----


def _span(s: Span | None) -> Record | None:
    return None if s is None else {"start": s.start, "end": s.end, "text": s.text, "fragments": list(s.fragments)}


def export_record(doc_id: str, att: Attribution) -> Record:
    """One attribution in the JSONL export shape; before resolution the name is the mention."""
    mention = att.source.text if att.source else None
    return {
        "document": {"id": doc_id, "path": doc_id + ".txt"},
        "source": {"name": att.source_name or mention, "mention": mention},
        "cue": att.cue.text, "type": att.type, "content": att.content.text,
        "hedged": att.hedged, "hedge": att.hedge, "negated": att.negated,
        "evidence": att.evidence.text if att.evidence else None, "no_evidence": att.no_evidence,
        "via": att.via, "cites": att.cites, "confidence": att.confidence,
        "stance": att.stance, "claim": {"id": att.claim} if att.claim else None,
        "offsets": {"cue": _span(att.cue), "content": _span(att.content), "source": _span(att.source)},
    }  # fmt: skip


def run_corpus(nlp: Any, corpus_path: str | Path, batch_size: int = 16) -> Iterator[Record]:
    """Extract over a PolNeAR-style JSON Lines corpus; yields export records."""
    from .extract import extract_many

    docs = load_corpus(corpus_path)
    texts = (d["text"] for d in docs)
    for d, atts in zip(docs, extract_many(nlp, texts, batch_size=batch_size)):
        for att in atts:
            yield export_record(d["doc_id"], att)


_MARKUP = re.compile(r"</?u>")
_CAPTION = re.compile(r"\s*\*\*[^*\n]+\*\*")
_BROKEN = re.compile(r"(?<=[a-z,])\n\s*\n(?=[a-z])")  # a hard wrap inside a sentence


def clean_article(raw: str, path: str | None = None) -> tuple[str, Any]:
    """(cleaned text, Article or None): the project's cleaner when present, else the
    minimal cleaning the gold assumes (markup and bold captions out, hard wraps joined)."""
    try:
        from .ingest.clean import article_from_html, article_from_text
    except ImportError:
        text = _CAPTION.sub("", _MARKUP.sub("", raw))
        return _BROKEN.sub(" ", text).strip(), None
    is_html = path is not None and Path(path).suffix.lower() in (".html", ".htm")
    article = article_from_html(raw, path=path) if is_html else article_from_text(raw, path=path)
    return article.text, article


def _gold_files(gold_paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in map(Path, gold_paths):
        yield from (sorted(path.glob("*.json")) if path.is_dir() else [path])


def run_gold(nlp: Any, gold_paths: Iterable[str | Path], resolve: bool = False) -> list[Record]:
    """Extract over the articles the gold files name (paths relative to the gold folder's parent).

    With ``resolve`` the resolution stage (when installed) sets canonical source names.
    """
    out: list[Record] = []
    for f in _gold_files(gold_paths):
        gold = json.loads(f.read_text())
        path = f.parent.parent / gold["article"]
        text, article = clean_article(path.read_text(encoding="utf-8"), str(path))
        doc = nlp(text)
        atts = list(doc._.attributions or [])
        if resolve and article is not None:
            from .resolve import resolve_document

            atts = list(resolve_document(doc, atts, article)[0])
        out.extend(export_record(doc_key(gold["article"]), a) for a in atts)
    return out
