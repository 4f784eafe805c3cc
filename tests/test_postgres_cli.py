"""Every command works against a shared PostgreSQL store (skipped when no server is configured)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import _fresh_pg_schema

ARTICLE = """Council Backs Tram Extension

April 2, 2026

The city council approved the tram extension on Monday, deputy mayor Rosa Imrie said.

"The line will carry forty thousand people a day," Imrie told reporters.

The taxi drivers' association denied that the extension would reduce traffic.
"""


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("CLAIMGRAPH_TEST_PG")
    if not base:
        pytest.skip("no PostgreSQL server configured (CLAIMGRAPH_TEST_PG)")
    yield from _fresh_pg_schema(base)


def test_commands_on_postgresql(cli: Any, pg_url: str, tmp_path: Path) -> None:
    src = tmp_path / "tram.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    res = cli("ingest", str(src), db=pg_url)
    assert res.returncode == 0, res.stderr
    assert "1 added" in res.stdout
    assert "1 skipped" in cli("ingest", str(src), db=pg_url).stdout
    records = [json.loads(x) for x in cli("export", db=pg_url).stdout.splitlines()]
    assert records and any("Imrie" in (r["source"] or {}).get("name", "") for r in records)
    for cmd in (["articles"], ["attributions", "--source", "Imrie"], ["entities"], ["claims"], ["check"]):
        out = cli(*cmd, db=pg_url)
        assert out.returncode == 0, (cmd, out.stderr)
    assert "Tram" in cli("articles", db=pg_url).stdout
    assert "consistent" in cli("check", db=pg_url).stdout
