"""Shared fixtures: the real spaCy pipeline (loaded once), stores on SQLite and PostgreSQL,
the shared evaluation folder (tests needing it skip cleanly when it is absent), and a
way to run the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval" / "PROTOCOL.md").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def nlp() -> Any:
    from claimgraph.extract import build_nlp

    return build_nlp()


def in_process_analyzer(nlp: Any, timeout: float = 0.0) -> Any:
    """The run's analysis step in this process, with a model already loaded."""
    from claimgraph.runner import analyse_guarded, chunks

    def analyse(articles: Any) -> Iterator[Any]:
        for batch in chunks(articles, 4):
            yield from analyse_guarded(nlp, batch, 4, timeout=timeout)

    return analyse


def _pg_url() -> str | None:
    return os.environ.get("CLAIMGRAPH_TEST_PG")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind; PostgreSQL only when a server is configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = _pg_url()
    if not base:
        pytest.skip("no PostgreSQL server configured (CLAIMGRAPH_TEST_PG)")
    yield from _fresh_pg_schema(base)


def _fresh_pg_schema(base: str) -> Iterator[str]:
    """A throw-away schema on the configured server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


@pytest.fixture
def repo(db_url: str) -> Iterator[Any]:
    from claimgraph.store import Repository

    r = Repository.open(db_url)
    yield r
    r.close()


@pytest.fixture
def sqlite_repo() -> Iterator[Any]:
    from claimgraph.store import Repository

    r = Repository.open("sqlite://")
    yield r
    r.close()


def run_cli(*args: str, db: Path | str | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess, as a user runs it."""
    cmd = [sys.executable, "-m", "claimgraph"]
    if db is not None:
        cmd += ["--db", str(db)]
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("CLAIMGRAPH_DB", None)
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=cwd, env=full_env, check=False,
                          timeout=timeout)


@pytest.fixture
def cli() -> Any:
    return run_cli
