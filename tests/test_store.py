"""The store on SQLite and PostgreSQL: migrations, one transaction per article, duplicates."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from claimgraph.errors import StoreError
from claimgraph.records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from claimgraph.store import Repository, schema

TEXT = "Mayor Ana Ruiz said the bridge will reopen in May. Her deputy denied that the budget was cut."


def make_result(text_: str = TEXT, *, article_id: str = "a1", h: str = "h1", url: str | None = "https://x.example/1",
                claim: str = "bridge-reopens") -> ArticleResult:
    art = Article(id=article_id, text=text_, content_hash=h, title="Bridge", published="2026-03-01",
                  outlet="x.example", url=url, path=f"{article_id}.txt", paragraphs=((0, len(text_)),))
    def at(part: str) -> Span:
        start = text_.index(part)
        return Span.of(text_, start, start + len(part))

    said = Attribution(cue=at("said"), content=at("the bridge will reopen in May"), type="indirect",
                       source=at("Mayor Ana Ruiz"), source_name="Ana Ruiz", source_entity="ana-ruiz",
                       claim=claim, stance="asserts")
    denied = Attribution(cue=at("denied"), content=at("that the budget was cut"), type="indirect",
                         source=at("Her deputy"), source_name="Her deputy", claim=claim, stance="denies",
                         stance_target=0)
    ent = Entity(key="ana-ruiz", name="Ana Ruiz", type="person", role="Mayor", aliases=("Mayor Ana Ruiz",))
    return ArticleResult(article=art, attributions=(said, denied), entities=(ent,),
                         mentions=(Mention(at("Mayor Ana Ruiz"), "ana-ruiz", "apposition"),),
                         claims=(Claim(id=claim, label="the bridge will reopen in May", first_seen="2026-03-01"),))


def test_add_stores_everything_and_marks_contested(repo: Any) -> None:
    assert repo.add(make_result()).outcome == "added"
    assert repo.counts() == {"articles": 1, "attributions": 2, "entities": 1, "mentions": 1, "claims": 1,
                             "stances": 2}
    rows = repo.attribution_rows()
    assert [r["stance"] for r in rows] == ["asserts", "denies"]
    assert rows[1]["target_attribution_id"] == rows[0]["id"]
    assert repo.claim("bridge-reopens")["contested"] is True  # asserted and denied
    assert repo.claims(contested=True)[0]["id"] == "bridge-reopens"


def test_rows_of_several_claims_match_one_query_per_claim(repo: Any) -> None:
    repo.add(make_result())
    repo.add(make_result(TEXT + " Again.", article_id="a2", h="h2", url=None, claim="budget-cut"))
    by_claim = repo.attribution_rows_of_claims(["budget-cut", "bridge-reopens", "unknown"])
    assert list(by_claim) == ["budget-cut", "bridge-reopens", "unknown"] and by_claim["unknown"] == []
    for cid in ("bridge-reopens", "budget-cut"):
        assert by_claim[cid] == repo.attribution_rows(claim_id=cid) and len(by_claim[cid]) == 2
    assert repo.attribution_rows_of_claims([]) == {}


def test_same_hash_or_same_url_is_a_duplicate(repo: Any) -> None:
    repo.add(make_result())
    assert repo.add(make_result()).outcome == "duplicate"
    other_text = make_result(TEXT + " More.", article_id="a2", h="h2")  # same URL, new text
    assert repo.add(other_text).outcome == "duplicate"
    assert repo.counts()["articles"] == 1


def test_failed_write_leaves_nothing_behind(repo: Any) -> None:
    bad = make_result()
    broken = bad.attributions[0].with_(type=None)  # NOT NULL column: the insert fails mid-article
    with pytest.raises(StoreError):
        repo.add(ArticleResult(article=bad.article, attributions=(broken,), entities=bad.entities,
                               claims=bad.claims))
    assert repo.counts() == {k: 0 for k in ("articles", "attributions", "entities", "mentions", "claims", "stances")}
    assert repo.add(make_result()).outcome == "added"  # and the store still works


def test_entities_merge_aliases_across_articles(repo: Any) -> None:
    repo.add(make_result())
    second = make_result(TEXT + " Traffic was light.", article_id="a2", h="h2", url=None)
    ent = Entity(key="ana-ruiz", name="Ana Ruiz", type="person", aliases=("Ruiz",))
    repo.add(ArticleResult(article=second.article, attributions=second.attributions, entities=(ent,)))
    e = repo.entity("Ana Ruiz")
    assert e["aliases"] == ["Mayor Ana Ruiz", "Ruiz"]
    assert e["role"] == "Mayor"  # kept: the second article did not know it
    assert repo.entities()[0]["attributions"] == 2


def test_migrations_are_idempotent_and_versioned(db_url: str) -> None:
    first = Repository.open(db_url)
    first.add(make_result())
    again = Repository.open(db_url)  # re-running a command re-opens the store: nothing changes
    assert again.counts()["articles"] == 1
    with again.engine.begin() as conn:
        versions = [r[0] for r in conn.execute(text("SELECT version FROM schema_version ORDER BY version"))]
    assert versions == list(range(1, schema.schema_target() + 1))


def test_claim_statement_counts_follow_writes(repo: Any) -> None:
    repo.add(make_result())
    repo.add(make_result(TEXT + " Again.", article_id="a2", h="h2", url=None, claim="budget-cut"))
    assert [(c["id"], c["attributions"]) for c in repo.claims()] == [("bridge-reopens", 2), ("budget-cut", 2)]
    repo.merge_claims([("budget-cut", "bridge-reopens")])
    assert [(c["id"], c["attributions"]) for c in repo.claims()] == [("bridge-reopens", 4)]
    repo.delete_article("a1")
    assert repo.claims()[0]["attributions"] == 2 and repo.check() == []


def test_migration_4_counts_the_statements_of_stored_claims(db_url: str) -> None:
    repo = Repository.open(db_url)
    repo.add(make_result())
    repo.add(make_result(TEXT + " Again.", article_id="a2", h="h2", url=None, claim="budget-cut"))
    with repo.engine.begin() as conn:  # back to a v3 store: no count column, no board index
        conn.execute(text("DROP INDEX ix_claims_board"))
        conn.execute(text("ALTER TABLE claims DROP COLUMN n_attributions"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 4"))
    repo.close()
    repo = Repository.open(db_url)
    assert [(c["id"], c["attributions"]) for c in repo.claims()] == [("bridge-reopens", 2), ("budget-cut", 2)]
    assert repo.check() == []
    repo.close()


def test_claim_subjects_round_trip_and_migration_5_adds_them(db_url: str) -> None:
    """The linker's subjects of a claim are stored with it; a store from before migration 5
    gains the column, its claims with no subjects."""
    repo = Repository.open(db_url)
    result = make_result()
    claim = Claim(id="bridge-reopens", label="the bridge will reopen in May", first_seen="2026-03-01",
                  subjects=("Ana Ruiz",))
    repo.add(ArticleResult(result.article, result.attributions, result.entities, result.mentions,
                           claims=(claim,)))
    assert repo.all_claims()[0].subjects == ("Ana Ruiz",)
    assert "subjects" not in repo.claim("bridge-reopens")  # linker state, not shown to users
    with repo.engine.begin() as conn:  # back to a v4 store
        conn.execute(text("ALTER TABLE claims DROP COLUMN subjects"))
        conn.execute(text("ALTER TABLE stances DROP COLUMN basis"))
        for column in ("weight", "weak_label", "sources"):
            conn.execute(text(f"ALTER TABLE claims DROP COLUMN {column}"))
        conn.execute(text("DROP TABLE relinks"))
        conn.execute(text("DROP TABLE link_state"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 5"))
    repo.close()
    repo = Repository.open(db_url)
    assert repo.all_claims()[0].subjects == () and repo.check() == []
    # migration 6 too: the stances gain a basis column, empty for those stored before
    assert [r["basis"] for r in repo.stance_history(["bridge-reopens"])["bridge-reopens"]] == [None, None]
    # and 7: nothing waits to be linked again, writes are counted from 0, and a claim has no
    # weight of its own (a linker counts its statements instead), no weak label, no sources
    assert repo.pending_relinks() == [] and repo.link_generation() == 0
    (old,) = repo.all_claims()
    assert (old.weight, old.weak_label, old.sources) == (None, False, ())
    repo.add(make_result(TEXT + " Two.", article_id="a2", h="h2", url=None), relink={"a2"}, expect=0)
    assert repo.pending_relinks() == ["a2"] and repo.link_generation() == 1
    repo.close()


def test_centroids_round_trip_as_float32_and_migration_8_converts_json_vectors(db_url: str) -> None:
    """A claim's centroid is stored as float32 bytes and read back as the same values; a store
    from before migration 8, which kept it as a JSON list of decimals, has it converted and
    the old column emptied."""
    vec = tuple(float(np.float32(x)) for x in (0.1, -0.25, 1 / 3, 2e-7))
    repo = Repository.open(db_url)
    result = make_result()
    claim = Claim(id="bridge-reopens", label="the bridge will reopen in May", first_seen="2026-03-01", vector=vec)
    repo.add(ArticleResult(result.article, result.attributions, result.entities, result.mentions, claims=(claim,)))
    assert repo.all_claims()[0].vector == vec
    with repo.engine.begin() as conn:  # back to a v7 store, the centroid as JSON
        conn.execute(text("ALTER TABLE claims ADD COLUMN vector JSON"))
        conn.execute(text("UPDATE claims SET vector = :v"), {"v": json.dumps([float(str(np.float32(x))) for x in vec])})
        conn.execute(text("ALTER TABLE claims DROP COLUMN centroid"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 8"))
    repo.close()
    repo = Repository.open(db_url)
    assert repo.all_claims()[0].vector == vec
    with repo.engine.begin() as conn:  # the old column stays, emptied
        assert conn.execute(text("SELECT count(*) FROM claims WHERE vector IS NOT NULL")).scalar() == 0
    assert repo.check() == []
    repo.close()


def test_a_newer_schema_is_refused(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    repo = Repository.open(url)
    with repo.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (999, 'later')"))
    with pytest.raises(StoreError, match="newer"):
        Repository.open(url)


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        Repository.open("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")


def test_delete_article_recomputes_contested(repo: Any) -> None:
    repo.add(make_result())
    only_assert = make_result(article_id="a2", h="h2", url=None)
    repo.add(ArticleResult(article=only_assert.article, attributions=only_assert.attributions[:1],
                           claims=only_assert.claims))
    assert repo.delete_article("a1")
    assert repo.claim("bridge-reopens")["contested"] is False
    assert repo.counts()["attributions"] == 1


def test_delete_article_takes_what_only_it_held_and_notes_its_story(repo: Any) -> None:
    """The shared claim keeps the other article's statements; the claim and the entity only the
    deleted article had go; the article it shared a claim with waits to be linked again."""
    first = make_result()
    own = first.attributions[1].with_(claim="budget-cut")
    ruiz = Entity(key="ana-ruiz", name="Ana Ruiz", type="person", role="Mayor", aliases=("Mayor Ana Ruiz",))
    deputy = Entity(key="the-deputy", name="The deputy", type="person")
    repo.add(ArticleResult(article=first.article, attributions=(first.attributions[0], own),
                           entities=(ruiz, deputy),
                           mentions=(*first.mentions, Mention(own.source, "the-deputy", "title")),
                           claims=(*first.claims, Claim(id="budget-cut", label="the budget was cut"))))
    second = make_result(TEXT + " Again.", article_id="a2", h="h2", url=None)
    repo.add(ArticleResult(article=second.article, attributions=second.attributions[:1], entities=second.entities,
                           mentions=second.mentions, claims=second.claims))
    third = make_result(TEXT + " Elsewhere.", article_id="a3", h="h3", url=None, claim="ferry-sold")
    repo.add(third)
    assert repo.pending_relinks() == []
    generation = repo.link_generation()

    assert repo.delete_article("a1") is True
    assert [(c["id"], c["attributions"]) for c in repo.claims()] == [("ferry-sold", 2), ("bridge-reopens", 1)]
    assert {e.key for e in repo.all_entities()} == {"ana-ruiz"}  # the deputy was named only in a1
    assert repo.pending_relinks() == ["a2"]  # a3 shared no claim with it
    assert repo.link_generation() == generation + 1  # a linker loaded before sees the change
    assert repo.check() == []
    assert repo.delete_article("a1") is False and repo.delete_article("nope") is False
    assert repo.link_generation() == generation + 1


def test_export_rows_stream_in_ingest_order(repo: Any) -> None:
    for i in range(5):
        r = make_result(article_id=f"a{i}", h=f"h{i}", url=None)
        repo.add(r)
    ids = [r["article_id"] for r in repo.iter_attribution_rows(batch=2)]
    assert ids == [f"a{i}" for i in range(5) for _ in range(2)]


def test_check_reports_orphans(tmp_path: Any) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'c.db'}")
    repo.add(make_result())
    assert repo.check() == []
    raw = sqlite3.connect(tmp_path / "c.db")  # simulate damage done outside claimgraph
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("DELETE FROM articles")
    raw.commit()
    raw.close()
    problems = repo.check()
    assert any("attributions without their article" in p for p in problems)
    assert any("foreign key" in p for p in problems)


def test_a_batch_keeps_good_articles_when_one_fails(repo: Any) -> None:
    good1 = make_result(article_id="g1", h="g1", url=None)
    bad = make_result(article_id="b1", h="b1", url=None)
    bad = ArticleResult(article=bad.article, attributions=(bad.attributions[0].with_(type=None),))
    good2 = make_result(article_id="g2", h="g2", url=None)
    outcomes = repo.add_many([good1, bad, good2, good1])
    assert [o.outcome for o in outcomes] == ["added", "failed", "added", "duplicate"]
    assert "cannot store" in (outcomes[1].error or "")
    assert {r["id"] for r in repo.articles()} == {"g1", "g2"}
    assert repo.check() == []


def test_only_a_serving_store_maps_the_sqlite_file(tmp_path: Path) -> None:
    """A writer's resident memory must not grow with the store: mapping is for servers."""
    url = f"sqlite:///{tmp_path / 'mapped.db'}"
    for serving, expected in ((False, 0), (True, 256 * 2**20)):
        repo = Repository.open(url, serving=serving)
        try:
            with repo.engine.connect() as conn:
                assert conn.execute(text("PRAGMA mmap_size")).scalar() == expected
        finally:
            repo.close()
