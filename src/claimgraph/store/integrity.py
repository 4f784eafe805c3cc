"""Store -> integrity problems of the full-text indexes (a ``repository.CHECK_HOOKS`` hook).

``claimgraph check`` runs every hook inside one read transaction. On SQLite this one
verifies that ``articles_fts`` holds exactly one row per article with the article's own
title and text, that the external-content ``attributions_fts`` indexes exactly the rows
of ``attributions`` (through its ``_docsize`` shadow table, one row per indexed rowid).
Only reads: FTS5's own ``'integrity-check'`` command is an INSERT, which would take the
write lock and fail beside a running ingest. PostgreSQL's GIN indexes are expressions
over the rows and cannot drift; other dialects have no index.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from . import repository

_SQLITE_COUNTS = {
    "articles missing from the full-text index":
        "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM articles_fts)",
    "full-text index rows of articles that do not exist":
        "SELECT count(*) FROM articles_fts WHERE article_id NOT IN (SELECT id FROM articles)",
    "articles indexed more than once":
        "SELECT count(*) - count(DISTINCT article_id) FROM articles_fts",
    "articles whose full-text index row differs from their title or text":
        "SELECT count(*) FROM articles_fts f JOIN articles a ON a.id = f.article_id"
        " WHERE f.text IS NOT a.text OR f.title IS NOT a.title",
    "attributions missing from the full-text index":
        "SELECT count(*) FROM attributions WHERE id NOT IN (SELECT id FROM attributions_fts_docsize)",
    "full-text index rows of attributions that do not exist":
        "SELECT count(*) FROM attributions_fts_docsize WHERE id NOT IN (SELECT id FROM attributions)",
}


def fts_problems(conn: Connection, dialect: str) -> list[str]:
    """Problems of the SQLite FTS5 indexes; none elsewhere, or before migration 2 created them."""
    if dialect != "sqlite" or not _has_fts(conn):
        return []
    problems = []
    for label, sql in _SQLITE_COUNTS.items():
        n = int(conn.exec_driver_sql(sql).scalar() or 0)
        if n:
            problems.append(f"{n} {label}")
    return problems


def _has_fts(conn: Connection) -> bool:
    names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {"articles_fts", "attributions_fts", "attributions_fts_docsize"} <= names


if fts_problems not in repository.CHECK_HOOKS:
    repository.CHECK_HOOKS.append(fts_problems)
