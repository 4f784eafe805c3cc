"""Full-text search indexes (schema migration 2) and the user-query -> FTS5 query quoting.

SQLite: two FTS5 tables kept in step with the base tables by triggers.
``attributions_fts`` is an external-content index on ``attributions`` (its INTEGER
PRIMARY KEY is the rowid, stable across VACUUM). ``articles_fts`` stores its own copy
of title and text keyed by the article id, because ``articles`` has a text primary key
and its implicit rowid may be renumbered by VACUUM, which would silently break an
external-content index.

PostgreSQL: GIN expression indexes on ``to_tsvector('english', ...)``; the repository's
search queries use the very same expressions (``ARTICLE_TSV``/``ATTRIBUTION_TSV``) so
the planner can use them. Other dialects get no index and a LIKE fallback.

``RANKED_SEARCH`` and ``ARTICLE_PAGE`` hold the search queries the repository runs: a
search ranks its ``RANK_WINDOW`` newest matches by relevance, then lists older ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from .schema import register_migration

TOKENIZE = "porter unicode61 remove_diacritics 2"

ARTICLE_TSV = "to_tsvector('english', coalesce(articles.title, '') || ' ' || articles.text)"
ATTRIBUTION_TSV = ("to_tsvector('english', attributions.content_text || ' ' || coalesce(attributions.source_name, '')"
                   " || ' ' || coalesce(attributions.source_text, '') || ' ' || attributions.cue_text)")

_SQLITE_DDL = (
    (f"CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    f"article_id UNINDEXED, title, text, tokenize='{TOKENIZE}')"),
    (f"CREATE VIRTUAL TABLE IF NOT EXISTS attributions_fts USING fts5("
    f"content_text, source_name, source_text, cue_text, content='attributions', content_rowid='id', "
    f"tokenize='{TOKENIZE}')"),
    """CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN
         INSERT INTO articles_fts(article_id, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN
         DELETE FROM articles_fts WHERE article_id = old.id;
       END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
         DELETE FROM articles_fts WHERE article_id = old.id;
         INSERT INTO articles_fts(article_id, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS attributions_fts_ai AFTER INSERT ON attributions BEGIN
         INSERT INTO attributions_fts(rowid, content_text, source_name, source_text, cue_text)
         VALUES (new.id, new.content_text, new.source_name, new.source_text, new.cue_text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS attributions_fts_ad AFTER DELETE ON attributions BEGIN
         INSERT INTO attributions_fts(attributions_fts, rowid, content_text, source_name, source_text, cue_text)
         VALUES ('delete', old.id, old.content_text, old.source_name, old.source_text, old.cue_text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS attributions_fts_au AFTER UPDATE ON attributions BEGIN
         INSERT INTO attributions_fts(attributions_fts, rowid, content_text, source_name, source_text, cue_text)
         VALUES ('delete', old.id, old.content_text, old.source_name, old.source_text, old.cue_text);
         INSERT INTO attributions_fts(rowid, content_text, source_name, source_text, cue_text)
         VALUES (new.id, new.content_text, new.source_name, new.source_text, new.cue_text);
       END""",
    # a store migrated from v1 already holds rows: index them
    "INSERT INTO articles_fts(article_id, title, text) SELECT id, title, text FROM articles",
    "INSERT INTO attributions_fts(attributions_fts) VALUES ('rebuild')",
)

_POSTGRES_DDL = (
    f"CREATE INDEX IF NOT EXISTS ix_articles_tsv ON articles USING GIN ({ARTICLE_TSV})",
    f"CREATE INDEX IF NOT EXISTS ix_attributions_tsv ON attributions USING GIN ({ATTRIBUTION_TSV})",
)


@register_migration(2)
def _v2_full_text_search(conn: Connection) -> None:
    """Create the dialect's full-text indexes; other dialects search with LIKE, unindexed."""
    ddl = {"sqlite": _SQLITE_DDL, "postgresql": _POSTGRES_DDL}.get(conn.dialect.name, ())
    for statement in ddl:
        conn.exec_driver_sql(statement)


_WORD = re.compile(r"\w+(?:['’.-]\w+)*", re.UNICODE)
MAX_TERMS = 16


def search_terms(query: str) -> list[str]:
    """A user's search string -> its words (at most MAX_TERMS), operators and punctuation dropped."""
    return _WORD.findall(query)[:MAX_TERMS]


def fts5_query(query: str) -> str | None:
    """A user's search string -> an FTS5 MATCH expression: every word quoted, all required.

    Quoting makes FTS5 syntax in user input (AND, NEAR, ``*``, ``:``, ``^``, quotes)
    plain text, so no input can raise a syntax error. None when there is no word.
    """
    terms = search_terms(query)
    if not terms:
        return None
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


# Migration 3 (PostgreSQL): the search vectors become stored generated columns. Ranking
# with ts_rank() on the expression recomputed to_tsvector for every matching row (1.5 s
# for a common word at 100,000 articles); a stored vector is read, not recomputed.
_POSTGRES_STORED = (
    ("ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS"
    " (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"),
    ("ALTER TABLE attributions ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS"
    " (to_tsvector('english', content_text || ' ' || coalesce(source_name, '') || ' '"
    " || coalesce(source_text, '') || ' ' || cue_text)) STORED"),
    "CREATE INDEX IF NOT EXISTS ix_articles_search_tsv ON articles USING GIN (search_tsv)",
    "CREATE INDEX IF NOT EXISTS ix_attributions_search_tsv ON attributions USING GIN (search_tsv)",
    "DROP INDEX IF EXISTS ix_articles_tsv",
    "DROP INDEX IF EXISTS ix_attributions_tsv",
)


@register_migration(3)
def _v3_stored_search_vectors(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for statement in _POSTGRES_STORED:
            conn.exec_driver_sql(statement)


# --- ranked search queries (run by the repository) ---------------------------------------
#
# Ranking costs a relevance score per match (bm25 reads each match's column sizes; ts_rank
# reads each match's vector): ~40 ms for a word in 7,000 of a million attributions. Counting
# matches or walking them in key order costs almost nothing. So a search ranks only its
# RANK_WINDOW newest matches (key order = ingest order) by relevance; older matches follow,
# newest first, so paging still reaches every match.

RANK_WINDOW = 1000


@dataclass(frozen=True, slots=True)
class RankedSearch:
    """One table's search queries in one dialect; a key is a match's place in ingest order.

    Parameters: ``:q`` the match text; ``:w`` a window size; ``:floor`` a key;
    ``:limit``/``:offset`` a page.
    """

    floor: str  # the key of the (w+1)-th newest match
    ranked: str  # keys of the w newest matches, best first
    tail: str  # keys of matches at or below the floor, newest first
    count: str  # how many matches are newer than the floor


def _ranked_search(source: str, key: str, match: str, rank: str, cut: str | None = None) -> RankedSearch:
    """``cut`` is the key as the window's bound compares it: PostgreSQL gets ``key + 0`` so that
    it filters the full-text matches instead of AND-ing them with a scan of the key's index."""
    base = f"SELECT {key} FROM {source} WHERE {match}"
    floor = f"{base} ORDER BY {key} DESC LIMIT 1 OFFSET :w"
    cut = cut or key
    return RankedSearch(
        floor=floor,
        ranked=f"{base} AND {cut} > coalesce(({floor}), -1) ORDER BY {rank}, {key} LIMIT :limit OFFSET :offset",
        tail=f"{base} AND {cut} <= :floor ORDER BY {key} DESC LIMIT :limit OFFSET :offset",
        count=f"SELECT count(*) FROM {source} WHERE {match} AND {cut} > :floor",
    )


_PG_QUERY = "plainto_tsquery('english', :q) AS q"
RANKED_SEARCH = {
    ("sqlite", "articles"): _ranked_search("articles_fts", "rowid", "articles_fts MATCH :q", "bm25(articles_fts)"),
    ("sqlite", "attributions"): _ranked_search("attributions_fts", "rowid", "attributions_fts MATCH :q",
                                               "bm25(attributions_fts)"),
    ("postgresql", "articles"): _ranked_search(f"articles, {_PG_QUERY}", "articles.seq",
                                               "articles.search_tsv @@ q", "ts_rank(articles.search_tsv, q) DESC",
                                               "articles.seq + 0"),
    ("postgresql", "attributions"): _ranked_search(f"attributions, {_PG_QUERY}", "attributions.id",
                                                   "attributions.search_tsv @@ q",
                                                   "ts_rank(attributions.search_tsv, q) DESC", "attributions.id + 0"),
}

# Keys of one page -> its article rows with a snippet, hits between \x02 and \x03 (``:keys``
# expands to the list, ``:lo``/``:hi`` are its smallest and largest). Snippets are built for
# the page only. FTS5 walks the matches between lo and hi once; a plain ``rowid IN`` would
# rerun the full-text query for every key (three times the cost).
ARTICLE_PAGE = {
    "sqlite": (
        "SELECT articles_fts.rowid AS key, a.id, a.title, a.outlet, a.published, a.url,"
        " snippet(articles_fts, 2, char(2), char(3), '…', 24) AS snippet"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id"
        " WHERE articles_fts MATCH :q AND articles_fts.rowid BETWEEN :lo AND :hi"
        " AND +articles_fts.rowid IN :keys"
    ),
    "postgresql": (
        "SELECT a.seq AS key, a.id, a.title, a.outlet, a.published, a.url,"
        " ts_headline('english', a.text, q,"
        " 'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=35, MinWords=15') AS snippet"
        f" FROM articles a, {_PG_QUERY} WHERE a.seq BETWEEN :lo AND :hi AND a.seq IN :keys"
    ),
}


def match_text(dialect: str, terms: list[str]) -> str | None:
    """Search terms -> the dialect's ``:q``: an FTS5 expression, or words for plainto_tsquery."""
    return fts5_query(" ".join(terms)) if dialect == "sqlite" else " ".join(terms)
