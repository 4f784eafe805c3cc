"""``claimgraph check`` sees full-text indexes that drifted from their tables (store/integrity.py).

Damage is done with plain sqlite3, outside claimgraph, as a crash or a hand edit would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from claimgraph.ingest import article_from_text
from claimgraph.records import ArticleResult, Attribution, Span
from claimgraph.store import Repository

TEXT = "Port Closed\n\nThe port was closed on Monday, the harbour master said.\n\nTraders said prices rose."


def store(tmp_path: Path) -> tuple[Path, Repository]:
    db = tmp_path / "store.db"
    repo = Repository.open(f"sqlite:///{db}")
    art = article_from_text(TEXT)
    t = art.text
    att = Attribution(cue=Span.of(t, t.index("said"), t.index("said") + 4),
                      content=Span.of(t, t.index("The port"), t.index(", the harbour")), type="indirect",
                      source=Span.of(t, t.index("the harbour"), t.index(" said")))
    assert repo.add_many([ArticleResult(article=art, attributions=(att,))])[0].outcome == "added"
    return db, repo


def damage(db: Path, sql: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(sql)


def test_a_consistent_store_has_no_problems(tmp_path: Path) -> None:
    _, repo = store(tmp_path)
    assert repo.check() == []


def test_article_index_rows_missing_changed_or_orphaned(tmp_path: Path) -> None:
    db, repo = store(tmp_path)
    damage(db, "UPDATE articles_fts SET text = 'something else'")
    assert repo.check() == ["1 articles whose full-text index row differs from their title or text"]
    damage(db, "INSERT INTO articles_fts(article_id, title, text) VALUES ('nope', 'x', 'y')")
    assert "1 full-text index rows of articles that do not exist" in repo.check()
    damage(db, "DELETE FROM articles_fts")
    assert repo.check() == ["1 articles missing from the full-text index"]


def test_attribution_index_rows_missing(tmp_path: Path) -> None:
    db, repo = store(tmp_path)
    damage(db, "INSERT INTO attributions_fts(attributions_fts, rowid, content_text, source_name, source_text,"
               " cue_text) SELECT 'delete', id, content_text, source_name, source_text, cue_text FROM attributions")
    assert repo.check() == ["1 attributions missing from the full-text index"]


def test_cli_check_fails_on_a_drifted_index(tmp_path: Path, cli: object) -> None:
    db, repo = store(tmp_path)
    repo.close()
    damage(db, "DELETE FROM articles_fts")
    done = cli("check", db=db)  # type: ignore[operator]
    assert done.returncode != 0 and "missing from the full-text index" in done.stdout + done.stderr
