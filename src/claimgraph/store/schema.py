"""Tables and migrations: SQLAlchemy Core metadata -> a versioned database.

``migrate(engine)`` brings any database (SQLite or PostgreSQL) to ``SCHEMA_VERSION``,
one transaction per step, recording each step in ``schema_version``. Steps are
additive; a database newer than this code is refused rather than touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    false,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection

from ..errors import StoreError
from .engine import write_tx

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("url", Text),
    Column("path", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", String(40)),
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False, default=list),
    Column("ingested_at", String(40), nullable=False),
    Column("seq", Integer, nullable=False, default=0),  # ingest order, for stable listings
)
Index("ix_articles_url", articles.c.url)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_seq", articles.c.seq)
Index("ix_articles_outlet", articles.c.outlet)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("type", String(20), nullable=False, default="unknown"),
    Column("role", Text),
    Column("affiliation", Text),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("aliases", JSON, nullable=False, default=list),
    Column("trace", JSON, nullable=False, default=list),
)
Index("ix_entities_name", entities.c.name)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("rule", Text, nullable=False, default=""),
)
Index("ix_mentions_article", mentions.c.article_id)
Index("ix_mentions_entity", mentions.c.entity_id)

claims = Table(
    "claims",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("label", Text, nullable=False),
    Column("actors", JSON, nullable=False, default=list),
    Column("first_seen", String(40)),
    Column("contested", Boolean, nullable=False, default=False),
    # the linker's centroid of the claim, float32 little-endian (migration 8; a JSON list before)
    Column("centroid", LargeBinary),
    Column("size", Integer, nullable=False, default=0),
    # stances on the claim, kept by the repository on every write (migration 4)
    Column("n_attributions", Integer, nullable=False, default=0, server_default="0"),
    # actors its assertions are about, so that later articles keep other actors apart (migration 5)
    Column("subjects", JSON, nullable=False, default=list, server_default="[]"),
    # the rest of the linker's state of the claim (migration 7): contents averaged into the
    # vector, labelled by a reaction, sources with a stance on it
    Column("weight", Integer),
    Column("weak_label", Boolean, nullable=False, default=False, server_default=false()),
    Column("sources", JSON, nullable=False, default=list, server_default="[]"),
)
Index("ix_claims_contested", claims.c.contested)
# the claims board's order: contested first, then most statements
ix_claims_board = Index("ix_claims_board", claims.c.contested.desc(), claims.c.n_attributions.desc(),
                        claims.c.first_seen, claims.c.id)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(20), nullable=False),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("source_text", Text),
    Column("source_name", Text),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("cue_start", Integer, nullable=False),
    Column("cue_end", Integer, nullable=False),
    Column("cue_text", Text, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content_text", Text, nullable=False),
    Column("content_fragments", JSON, nullable=False, default=list),
    Column("hedged", Boolean, nullable=False, default=False),
    Column("hedge", Text),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("evidence_text", Text),
    Column("no_evidence", Boolean, nullable=False, default=False),
    Column("via", Text),
    Column("cites", Text),
    Column("negated", Boolean, nullable=False, default=False),
    Column("confidence", Float, nullable=False, default=1.0),
    UniqueConstraint("article_id", "seq", name="uq_attributions_article_seq"),
)
Index("ix_attributions_article", attributions.c.article_id)
Index("ix_attributions_entity", attributions.c.entity_id)
Index("ix_attributions_source_name", attributions.c.source_name)

stances = Table(
    "stances",
    metadata,
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", String(64), ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("stance", String(20), nullable=False),
    Column("target_attribution_id", Integer, ForeignKey("attributions.id", ondelete="SET NULL")),
    Column("rule", Text, nullable=False, default=""),
    # what the stance was decided from (JSON), to decide it again in publication order (migration 6)
    Column("basis", Text),
)
Index("ix_stances_claim", stances.c.claim_id)

# articles whose story is to be linked again in publication order: written in the transaction
# that stores a report published before articles stored earlier, removed in the one that links
# the story again, so that a run stopped in between leaves the work for the next (migration 7)
relinks = Table(
    "relinks",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("noted_at", String(40), nullable=False),
)

# one row: how many writes have changed claims or stances. A linker reads it with the claims it
# loads; a write that expects another value was linked against claims another process has
# changed since, and is refused (migration 7)
link_state = Table(
    "link_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("generation", Integer, nullable=False),
)

# --- migrations -------------------------------------------------------------------------

Step = Callable[[Connection], None]


def _v1_create_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t for t in metadata.sorted_tables if t is not schema_version])


MIGRATIONS: dict[int, Step] = {1: _v1_create_tables}


def register_migration(version: int) -> Callable[[Step], Step]:
    """Decorator for later modules that add a step (full-text search, say)."""

    def wrap(step: Step) -> Step:
        if version in MIGRATIONS:
            raise ValueError(f"migration {version} is registered twice")
        MIGRATIONS[version] = step
        return step

    return wrap


def schema_target() -> int:
    return max(MIGRATIONS)


def current_version(conn: Connection) -> int:
    schema_version.create(conn, checkfirst=True)
    found = conn.execute(select(func.max(schema_version.c.version))).scalar()
    return int(found or 0)


def migrate(engine: Engine) -> int:
    """Apply every pending step; returns the version reached."""
    from datetime import UTC, datetime

    with write_tx(engine) as conn:
        version = current_version(conn)
    target = schema_target()
    if version > target:
        raise StoreError(f"database schema v{version} is newer than this claimgraph (v{target})")
    for step_version in range(version + 1, target + 1):
        with write_tx(engine) as conn:
            if engine.dialect.name == "postgresql":
                # one migrator at a time when several processes open a fresh database
                conn.execute(text("SELECT pg_advisory_xact_lock(7261)"))
            if current_version(conn) >= step_version:
                continue
            MIGRATIONS[step_version](conn)
            conn.execute(
                schema_version.insert().values(
                    version=step_version, applied_at=datetime.now(UTC).isoformat(timespec="seconds")
                )
            )
    return target


def _has_column(conn: Connection, table: str, name: str) -> bool:
    return name in {c["name"] for c in inspect(conn).get_columns(table)}


def _add_column(conn: Connection, table: str, name: str, ddl: str) -> None:
    """``ALTER TABLE table ADD COLUMN name ddl``, unless the table has it (created at v1 by this code)."""
    if not _has_column(conn, table, name):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


@register_migration(4)
def _v4_claim_statement_counts(conn: Connection) -> None:
    """claims.n_attributions and the board's index: counting every claim's stances to order
    the board took 0.6 s at 20,000 claims. (A store created at v1 by this code has both.)"""
    _add_column(conn, "claims", "n_attributions", "INTEGER NOT NULL DEFAULT 0")
    conn.execute(text("UPDATE claims SET n_attributions ="
                      " (SELECT count(*) FROM stances WHERE stances.claim_id = claims.id)"))
    ix_claims_board.create(conn, checkfirst=True)


@register_migration(5)
def _v5_claim_subjects(conn: Connection) -> None:
    """claims.subjects: the actors a claim's assertions have as grammatical subject, which the
    linker compares across articles. Claims stored before start with none: they stay open to
    any proposition close enough, as before. (A store created at v1 by this code has it.)"""
    _add_column(conn, "claims", "subjects", "JSON NOT NULL DEFAULT '[]'")


@register_migration(6)
def _v6_stance_bases(conn: Connection) -> None:
    """stances.basis: what each stance was decided from, so that a claim's stances can be
    decided again in publication order when an earlier report arrives later. Stances stored
    before have none and keep their stance. (A store created at v1 by this code has it.)"""
    _add_column(conn, "stances", "basis", "TEXT")


@register_migration(7)
def _v7_linking_bookkeeping(conn: Connection) -> None:
    """relinks: the stories waiting to be linked again in publication order, kept in the store
    so that a run stopped before it linked them leaves them to the next run; link_state: the
    count of writes that changed claims, so that two processes linking into one store see each
    other's claims; claims.weight, weak_label and sources: the rest of the linker's state of a
    claim, so that a later run goes on as one run would (claims stored before have no weight
    and count their statements instead, as before). (A store created at v1 by this code has
    the tables and columns, not the row.)"""
    relinks.create(conn, checkfirst=True)
    link_state.create(conn, checkfirst=True)
    _add_column(conn, "claims", "weight", "INTEGER")
    _add_column(conn, "claims", "weak_label", "BOOLEAN NOT NULL DEFAULT FALSE")
    _add_column(conn, "claims", "sources", "JSON NOT NULL DEFAULT '[]'")
    if conn.execute(select(link_state.c.id)).first() is None:
        conn.execute(link_state.insert().values(id=1, generation=0))


@register_migration(8)
def _v8_binary_centroids(conn: Connection) -> None:
    """claims.centroid: the linker's centroid as float32 bytes (1.5 kB for 384 dimensions) in
    place of claims.vector, a JSON list of decimals (about 3.5 kB), whose parsing was most of
    the time a linker took to load a large store's claims. Stored vectors are converted, the
    same float32 values, 1,000 claims at a time, and emptied; the old column stays, unused,
    since dropping a column needs SQLite 3.35. (A store created at v1 by this code has the
    new column only.)"""
    _add_column(conn, "claims", "centroid", "BYTEA" if conn.dialect.name == "postgresql" else "BLOB")
    if not _has_column(conn, "claims", "vector"):
        return
    page = text("SELECT id, vector FROM claims WHERE vector IS NOT NULL AND id > :after ORDER BY id LIMIT 1000")
    set_centroid = text("UPDATE claims SET centroid = :centroid WHERE id = :id").bindparams(
        bindparam("centroid", type_=LargeBinary))
    after = ""
    while rows := conn.execute(page, {"after": after}).all():
        conn.execute(set_centroid, [{"id": cid, "centroid": pack_vector(json.loads(v) if isinstance(v, str) else v)}
                                    for cid, v in rows])
        after = rows[-1][0]
    conn.execute(text("UPDATE claims SET vector = NULL"))


def pack_vector(values: Sequence[float]) -> bytes | None:
    """A centroid -> the bytes the store keeps (float32, little-endian); None for none."""
    return np.asarray(values, dtype="<f4").tobytes() if len(values) else None


def unpack_vector(raw: bytes | None) -> tuple[float, ...]:
    return tuple(np.frombuffer(raw, dtype="<f4").tolist()) if raw else ()
