"""The demo store the web and API tests read, plus tests of the full-text search it relies on.

``demo_store()`` builds, once per test session, a SQLite file from the four demo sample
articles through the real stages (``iter_articles`` -> ``analyse`` -> ``Linker``). Where a
later stage is not available yet (claim linking needs an embedding model), the claims and
stances come from the devset gold annotations of the same articles, matched to the
pipeline's attributions by overlapping content spans; if extraction itself fails, the
attributions are built from the gold too. A hand-made article whose title, text, source,
claim and outlet carry script payloads is added last (XSS tests).
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from claimgraph.ingest import iter_articles
from claimgraph.ingest.clean import article_id, content_hash
from claimgraph.records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from claimgraph.samples import sample_paths
from claimgraph.settings import Settings
from claimgraph.store import Repository
from claimgraph.store.fts import fts5_query, search_terms

DEVSET = Path(__file__).resolve().parents[1] / "devset"
PAYLOAD_TITLE = "Payload <script>window.__xss = 1</script> headline"
PAYLOAD_SOURCE = 'Mallory <img src=x onerror="window.__xss = 2">'
PAYLOAD_QUOTE = "the <script>window.__xss = 3</script> engines were never shipped"
PAYLOAD_CLAIM = "Claim <script>window.__xss = 4</script> about engines"
PAYLOAD_ENTITY = 'Mallory <img src=x onerror="window.__xss = 5">'


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"


def _find(text: str, needle: str | None, near: int = 0) -> tuple[int, int] | None:
    """The occurrence of ``needle`` in ``text`` closest to ``near`` (case-insensitive fallback)."""
    if not needle:
        return None
    for hay, pin in ((text, needle), (text.lower(), needle.lower())):
        starts = [m.start() for m in re.finditer(re.escape(pin), hay)]
        if starts:
            best = min(starts, key=lambda s: abs(s - near))
            return best, best + len(pin)
    return None


def _gold(article: Article) -> dict[str, Any] | None:
    stem = Path(article.path or "").stem
    path = DEVSET / "gold" / f"{stem}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def _claim_labels() -> dict[str, str]:
    data = json.loads((DEVSET / "claims.json").read_text("utf-8"))
    return {k: v["label"] for k, v in data.items()}


def _gold_spans(text: str, g: dict[str, Any]) -> dict[str, Any] | None:
    content = _find(text, g["content"]) or _find(text, g["content"].rstrip(".\"'”"))
    if content is None:
        return None
    return {"content": content, "source": _find(text, g.get("source_mention"), content[0]),
            "cue": _find(text, g.get("cue"), content[0]), "evidence": _find(text, g.get("evidence"), content[0])}


def _entities(gold: dict[str, Any]) -> dict[str, Entity]:
    out = {}
    for e in gold.get("entities", []):
        out[e["name"]] = Entity(key=_slug(e["name"]), name=e["name"], type=e.get("type", "unknown"),
                                role=e.get("role"), affiliation=e.get("affiliation"),
                                aliases=tuple(e.get("mentions", ())), trace=("devset gold annotation",))
    return out


def _from_gold(article: Article, gold: dict[str, Any]) -> ArticleResult:
    """Gold annotations of an article -> an ArticleResult with located spans (extraction unavailable)."""
    text, entities = article.text, _entities(gold)
    atts, mentions = [], []
    for g in gold["attributions"]:
        spans = _gold_spans(text, g)
        if spans is None or spans["cue"] is None:
            continue
        name = g["source"].split(";")[0].strip()
        ent = entities.setdefault(name, Entity(key=_slug(name), name=name, type="group", anonymous=True,
                                               aliases=(g["source_mention"],), trace=("devset gold annotation",)))
        src = Span.of(text, *spans["source"]) if spans["source"] else None
        if src:
            mentions.append(Mention(src, ent.key, rule="gold"))
        ev = Span.of(text, *spans["evidence"]) if spans["evidence"] else None
        atts.append(Attribution(cue=Span.of(text, *spans["cue"]), content=Span.of(text, *spans["content"]),
                                type=g["type"], source=src, hedged=bool(g.get("hedged")), evidence=ev,
                                source_name=ent.name, source_entity=ent.key))
    return ArticleResult(article, tuple(atts), tuple(entities.values()), tuple(mentions))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _with_gold_claims(result: ArticleResult, gold: dict[str, Any], first_seen: dict[str, str]) -> ArticleResult:
    """Claims and stances from the gold, given to the attributions whose content overlaps a gold content."""
    labels, text = _claim_labels(), result.article.text
    golds = [(g, s) for g in gold["attributions"] if g.get("claim") and (s := _gold_spans(text, g))]
    atts, used = [], set()
    for a in result.attributions:
        scored = [(_overlap((a.content.start, a.content.end), s["content"]), g) for g, s in golds]
        score, best = max(scored, key=lambda x: x[0], default=(0, None))
        if best is None or score == 0 or best["claim"] not in labels:
            atts.append(a)
            continue
        used.add(best["claim"])
        atts.append(a.with_(claim=best["claim"], stance=best["stance"]))
    claims = tuple(Claim(id=c, label=labels[c], first_seen=first_seen.get(c)) for c in sorted(used))
    return replace(result, attributions=tuple(atts), claims=claims)


def _first_seen(pairs: list[tuple[Article, dict[str, Any]]]) -> dict[str, str]:
    seen: dict[str, str] = {}
    for art, gold in pairs:
        for g in gold["attributions"]:
            if g.get("claim") and art.published:
                seen[g["claim"]] = min(seen.get(g["claim"], art.published), art.published)
    return seen


def _analysed(articles: list[Article]) -> list[ArticleResult] | None:
    try:
        from claimgraph.pipeline import analyse, load_nlp

        return list(analyse(load_nlp(Settings()), articles))
    except Exception as exc:  # noqa: BLE001 - another stage in progress must not hide the UI tests
        warnings.warn(f"extraction unavailable, demo store built from gold: {exc}", stacklevel=1)
        return None


def _linked(repo: Repository, results: list[ArticleResult]) -> list[ArticleResult] | None:
    try:
        from claimgraph.pipeline import Linker

        linker = Linker(repo)
        out = []
        for r in results:  # link then store one by one, as the CLI does
            out.append(linker.link(r))
            repo.add(out[-1])
        return out
    except Exception as exc:  # noqa: BLE001
        warnings.warn(f"claim linking unavailable, claims taken from gold: {exc}", stacklevel=1)
        return None


def payload_result() -> ArticleResult:
    """A hand-made article whose every displayed field carries a script payload."""
    text = (f"{PAYLOAD_TITLE}\n\n{PAYLOAD_SOURCE} said that {PAYLOAD_QUOTE}.\n\n"
            "Officials in Astana denied it.")
    digest = content_hash(text)
    art = Article(id=article_id(digest), text=text, content_hash=digest, title=PAYLOAD_TITLE,
                  published="2025-03-14", outlet="<b>Evil</b> Outlet", url="javascript:window.__xss = 6",
                  paragraphs=((0, len(PAYLOAD_TITLE)), (len(PAYLOAD_TITLE) + 2, text.index("\n\nOfficials")),
                              (text.index("Officials"), len(text))))
    mallory = Entity(key="mallory", name=PAYLOAD_ENTITY, type="person", role="<i>role</i>",
                     aliases=(PAYLOAD_SOURCE,), trace=("<script>window.__xss = 7</script>",))
    officials = Entity(key="astana-officials", name="Officials in Astana", type="group", anonymous=True)
    s0 = text.index(PAYLOAD_SOURCE)
    c0 = text.index(PAYLOAD_QUOTE)
    o0 = text.index("Officials")
    atts = (
        Attribution(cue=Span.of(text, text.index(" said", s0) + 1, text.index(" said", s0) + 5),
                    content=Span.of(text, c0, c0 + len(PAYLOAD_QUOTE)), type="indirect",
                    source=Span.of(text, s0, s0 + len(PAYLOAD_SOURCE)), source_name=PAYLOAD_ENTITY,
                    source_entity="mallory", claim="payload-claim", stance="asserts"),
        Attribution(cue=Span.of(text, text.index("denied"), text.index("denied") + 6),
                    content=Span.of(text, text.index("it.", o0), text.index("it.", o0) + 2), type="indirect",
                    source=Span.of(text, o0, o0 + len("Officials in Astana")), source_name="Officials in Astana",
                    source_entity="astana-officials", claim="payload-claim", stance="denies"),
    )
    claim = Claim(id="payload-claim", label=PAYLOAD_CLAIM, first_seen="2025-03-14")
    return ArticleResult(art, atts, (mallory, officials), (Mention(atts[0].source, "mallory"),), (claim,))  # type: ignore[arg-type]


@functools.cache
def demo_store() -> dict[str, Any]:
    """Build the demo store once per session -> {"url", "mode", "payload_article"}."""
    path = Path(tempfile.mkdtemp(prefix="claimgraph-web-")) / "demo.db"
    url = f"sqlite:///{path}"
    repo = Repository.open(url)
    articles = [a for a in iter_articles([str(p) for p in sample_paths()], Settings()) if isinstance(a, Article)]
    pairs = [(a, g) for a in articles if (g := _gold(a))]
    analysed = _analysed(articles)
    mode = "linked"
    linked = _linked(repo, analysed) if analysed is not None else None
    if linked is None or not any(r.claims for r in linked):
        mode = "analysed+gold claims" if analysed is not None else "gold"
        repo.close()  # a fresh file: linking may have stored part of the articles
        url = f"sqlite:///{path.with_name('demo-gold-claims.db')}"
        repo = Repository.open(url)
        first_seen = _first_seen(pairs)
        by_id = {r.article.id: r for r in analysed or []}
        for art, gold in pairs:
            base = by_id.get(art.id) or _from_gold(art, gold)
            repo.add(_with_gold_claims(base, gold, first_seen))
    payload = payload_result()
    repo.add(payload)
    repo.close()
    return {"url": url, "mode": mode, "payload_article": payload.article.id}


def main_claim() -> str:
    """The demo story's central claim: the contested claim with the most statements
    (claim ids are derived from content, so tests look it up rather than name it)."""
    repo = Repository.open(demo_store()["url"])
    try:
        return str(repo.claims(contested=True, limit=1)[0]["id"])
    finally:
        repo.close()


# --- tests of the search the web UI relies on -----------------------------------------------


def test_fts5_query_quotes_every_term() -> None:
    assert fts5_query('engines AND "Russia" NEAR(x*') == '"engines" "AND" "Russia" "NEAR" "x"'
    assert fts5_query("  ** ( ") is None
    assert search_terms("U.S. officials' view") == ["U.S", "officials", "view"]


@pytest.mark.parametrize("query", ['"', "AND", "a OR", "NEAR(a b)", "col:x", "^x", "x*", "'", "\\", "-x", "()"])
def test_search_never_raises_on_fts_syntax(repo: Repository, query: str) -> None:
    assert repo.search_articles(query) == [] or isinstance(repo.search_articles(query), list)
    assert isinstance(repo.search_attributions(query), list)


def test_search_finds_articles_and_attributions_and_follows_deletes(repo: Repository) -> None:
    result = payload_result()
    repo.add(result)
    hits = repo.search_articles("engines shipped")
    assert [h["id"] for h in hits] == [result.article.id]
    assert "\x02" in hits[0]["snippet"] or repo.dialect not in {"sqlite", "postgresql"}
    rows = repo.search_attributions("denied Astana")
    assert [r["seq"] for r in rows] == [1] and rows[0]["article_id"] == result.article.id
    assert repo.search_attributions("engines shipped")[0]["claim_id"] == "payload-claim"
    repo.delete_article(result.article.id)
    assert repo.search_articles("engines") == [] and repo.search_attributions("denied") == []


def _statement(i: int, words: str) -> ArticleResult:
    """Article ``i``: "Person i said that <words>." as its one attribution."""
    text = f"Person {i} said that {words}."
    digest = content_hash(text)
    art = Article(id=article_id(digest), text=text, content_hash=digest, title=f"Report {i}",
                  published=f"2025-01-{1 + i:02d}", paragraphs=((0, len(text)),))
    start = text.index("that")
    att = Attribution(cue=Span.of(text, text.index("said"), text.index("said") + 4),
                      content=Span.of(text, start, len(text) - 1), type="indirect",
                      source=Span.of(text, 0, text.index(" said")), source_name=f"Person {i}")
    return ArticleResult(art, (att,), (), (), ())


@pytest.mark.parametrize("what", ["articles", "attributions"])
def test_search_ranks_the_newest_matches_and_pages_reach_every_match(
        repo: Repository, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """Past RANK_WINDOW matches, the newest are ranked best first and older ones follow newest first."""
    if repo.dialect not in {"sqlite", "postgresql"}:
        pytest.skip("ranked search needs a full-text index")
    monkeypatch.setattr("claimgraph.store.repository.RANK_WINDOW", 3)
    stored = [_statement(i, "quorum quorum quorum" if i in (0, 5) else f"quorum and item{i}") for i in range(7)]
    for result in stored:
        repo.add(result)
    search = repo.search_articles if what == "articles" else repo.search_attributions
    key = "id" if what == "articles" else "article_id"
    found = [r[key] for offset in range(0, 8, 2) for r in search("quorum", limit=2, offset=offset)]
    ids = [r.article.id for r in stored]
    assert sorted(found) == sorted(ids)  # every match once
    assert found[0] == ids[5]  # the best of the three newest, not the newest
    assert set(found[:3]) == set(ids[4:]) and found[3:] == ids[3::-1]
    assert [r[key] for r in search("quorum", limit=10, offset=4)] == found[4:]


def test_migration_indexes_rows_stored_before_it(tmp_path: Path) -> None:
    """A v1 store (no search tables) gains searchable rows when migration 2 runs."""
    from claimgraph.store import schema

    url = f"sqlite:///{tmp_path / 'old.db'}"
    from claimgraph.store.engine import make_engine

    engine = make_engine(url)
    later = {v: schema.MIGRATIONS.pop(v) for v in sorted(schema.MIGRATIONS) if v > 1}
    try:
        schema.migrate(engine)
        Repository(engine).add(payload_result())
    finally:
        schema.MIGRATIONS.update(later)
    engine.dispose()
    repo = Repository.open(url)
    assert len(repo.search_articles("engines")) == 1
    assert len(repo.search_attributions("Astana")) == 1
    repo.close()


def test_demo_store_has_contested_claims() -> None:
    store = demo_store()
    repo = Repository.open(store["url"])
    try:
        contested = repo.claims(contested=True)
        assert contested, store["mode"]
        # the four samples and the payload article (browser tests may upload more into this store)
        stored = {a["id"] for a in repo.articles(limit=100)}
        assert store["payload_article"] in stored and len(stored) >= 5
    finally:
        repo.close()
