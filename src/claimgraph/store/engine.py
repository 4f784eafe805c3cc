"""Database URL -> a configured SQLAlchemy Engine (SQLite pragmas, PostgreSQL pool).

SQLite gets WAL, foreign keys, a busy timeout and explicit transactions: a write
transaction starts with ``BEGIN IMMEDIATE`` so two ingesting processes queue for the
lock instead of failing half-way; a read starts a deferred ``BEGIN`` and never blocks
a writer under WAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from ..errors import StoreError

WRITE = {"claimgraph_write": True}
BUSY_TIMEOUT_MS = 60_000
MMAP_BYTES = 256 * 2**20
CACHE_KIB = 32 * 2**10  # per pooled connection


def make_engine(url: str, *, serving: bool = False) -> Engine:
    """``serving``: tuned for many reads of a large store (SQLite maps the file into memory)."""
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url, serving)
        return create_engine(url, pool_pre_ping=True, future=True)
    except Exception as exc:  # bad URL, missing driver: one line for the user
        raise StoreError(f"cannot open database {url!r}: {exc}") from exc


def _sqlite_engine(url: str, serving: bool) -> Engine:
    memory = url in {"sqlite://", "sqlite:///:memory:"}
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, else each one is a new empty db
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see below)
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # a page once read stays in the connection's cache (the default is 2 MiB)
            cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            if serving:
                # reads of a large store: pages come from the OS cache without a read() call
                # each. Not for ingest: every page a writer touches would stay mapped, and its
                # resident memory would grow with the store up to the whole map
                cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("claimgraph_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` on SQLite, a plain one elsewhere."""
    with engine.connect() as conn:
        conn.execution_options(**WRITE)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn
