"""The command line as a user runs it: help for every command, each command on real
articles written for the project, and bad input that must not lose anything."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimgraph.export.record import schema

COMMANDS = ["ingest", "delete", "articles", "attributions", "show", "export", "eval", "demo", "serve",
            "entities", "entity", "claims", "claim", "source", "check"]

ARTICLE = """Harbour Authority Plans New Ferry Terminal

March 3, 2026

The harbour authority will build a second ferry terminal by 2028, its chair Lena Okoro said on Tuesday.

"We have the money and we have the permits," Okoro told reporters at the quay.

The fishermen's union rejected the plan, saying the terminal would close the northern moorings.
"""


@pytest.fixture
def article_dir(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    return d


def test_top_level_help_lists_every_command(cli: Any) -> None:
    res = cli("--help")
    assert res.returncode == 0
    for cmd in COMMANDS:
        assert cmd in res.stdout, cmd


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help(cli: Any, cmd: str) -> None:
    res = cli(cmd, "--help")
    assert res.returncode == 0, res.stderr
    assert "Usage" in res.stdout
    # a one-line description, not an empty help page
    assert len([ln for ln in res.stdout.splitlines() if ln.strip()]) >= 3


def test_ingest_query_show_and_export(cli: Any, tmp_path: Path, article_dir: Path) -> None:
    db = tmp_path / "s.db"
    res = cli("ingest", str(article_dir), db=db)
    assert res.returncode == 0, res.stderr
    assert "1 added" in res.stdout
    again = cli("ingest", str(article_dir / "ferry.txt"), db=db)
    assert again.returncode == 0 and "0 added, 1 skipped" in again.stdout

    listing = cli("articles", db=db)
    assert "Harbour Authority Plans New Ferry Terminal" in listing.stdout
    art_id = _first_id(cli, db)

    atts = cli("attributions", "--source", "Okoro", db=db)
    assert atts.returncode == 0 and "Okoro" in atts.stdout

    shown = cli("show", art_id[:8], db=db)
    assert shown.returncode == 0 and "ferry terminal" in shown.stdout
    assert cli("show", "nope", db=db).returncode != 0

    exported = cli("export", "--format", "jsonl", db=db)
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert records, exported.stderr
    for rec in records:
        jsonschema.validate(rec, schema())
    assert any("Okoro" in (r["source"] or {}).get("name", "") for r in records)

    out = tmp_path / "x.csv"
    assert cli("export", "--format", "csv", "-o", str(out), db=db).returncode == 0
    header = out.read_text().splitlines()[0]
    assert header.startswith("id,document_id") and "claim_id" in header
    assert cli("export", "--format", "nope", db=db).returncode != 0


def _first_id(cli: Any, db: Path) -> str:
    exported = cli("export", db=db)
    return str(json.loads(exported.stdout.splitlines()[0])["document"]["id"])


def test_seed_export_validates_with_url_title_date(cli: Any, tmp_path: Path, shared_dir: Path) -> None:
    db = tmp_path / "seed.db"
    assert cli("ingest", str(shared_dir / "eval/articles/seed-000.txt"), db=db).returncode == 0
    res = cli("export", "--format", "jsonl", db=db)
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert records
    gold = json.loads((shared_dir / "eval/gold/seed-000.json").read_text())
    for rec in records:
        jsonschema.validate(rec, schema())
        assert rec["document"]["url"] == gold["url"]
        assert rec["document"]["title"] == gold["title"]
        assert rec["document"]["published"] == gold["published"]


# --- bad input: a one-line error naming the input; non-zero only when nothing was ingested


def test_bad_inputs_name_the_input_and_keep_the_store(cli: Any, tmp_path: Path, article_dir: Path) -> None:
    db = tmp_path / "s.db"
    assert cli("ingest", str(article_dir), db=db).returncode == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (bad / "latin.txt").write_bytes(b"\xff\xfe\xfa not utf-8 \x81\x8d")
    missing = tmp_path / "missing.txt"
    for path in (bad / "empty.txt", bad / "binary.txt", missing):
        res = cli("ingest", str(path), db=db)
        assert res.returncode != 0, path
        errors = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert len(errors) == 1 and path.name in errors[0], res.stderr
    assert cli("articles", db=db).stdout.count("Harbour") == 1  # the store is intact


def test_partial_success_exits_zero(cli: Any, tmp_path: Path, article_dir: Path) -> None:
    db = tmp_path / "s.db"
    (article_dir / "empty.md").write_text("   \n")
    res = cli("ingest", str(article_dir), db=db)
    assert res.returncode == 0
    assert "1 added" in res.stdout and "1 failed" in res.stdout
    assert "empty.md" in res.stderr


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            body = ("<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>"
                    + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[2:]) + "</article></body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_ingest_url_and_dead_url(cli: Any, tmp_path: Path, server: str) -> None:
    db = tmp_path / "s.db"
    res = cli("ingest", f"{server}/article", db=db)
    assert res.returncode == 0, res.stderr
    assert "1 added" in res.stdout
    dead = cli("ingest", f"{server}/gone", db=db)
    assert dead.returncode != 0
    assert "/gone" in dead.stderr and "404" in dead.stderr


def test_demo_prints_who_said_what(cli: Any, tmp_path: Path) -> None:
    res = cli("demo", "--store", str(tmp_path / "demo.db"))
    assert res.returncode == 0, res.stderr
    assert "added" in res.stdout and "0 failed" in res.stdout
    assert res.stdout.count("•") >= 8  # attributions from every sample article


def test_eval_prints_what_the_reference_scorer_prints(cli: Any, tmp_path: Path, shared_dir: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "seed.db"
    assert cli("ingest", str(shared_dir / "eval/articles/seed-000.txt"), db=db).returncode == 0
    export = tmp_path / "seed.jsonl"
    assert cli("export", "-o", str(export), db=db).returncode == 0
    ours = cli("eval", str(shared_dir / "eval/gold"), "--pred", str(export), "--json")
    ref = subprocess.run([sys.executable, str(shared_dir / "eval/score.py"), str(shared_dir / "eval/gold"),
                          "--pred", str(export), "--json"], capture_output=True, text=True, check=True)
    assert json.loads(ours.stdout)["gold"] == json.loads(ref.stdout)


def test_claim_timeline_says_what_a_denial_answers(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "sale.txt").write_text(
        "Authority Denies Ferry Sale\n\nMarch 4, 2026\n\nThe harbour authority has sold the old ferry to a "
        "scrap dealer, the Coast Ledger reported on Tuesday.\n\nThe authority denied the report, saying the "
        "ferry was still in service.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert cli("ingest", str(d), db=db).returncode == 0
    records = [json.loads(line) for line in cli("export", db=db).stdout.splitlines()]
    denial = next(r for r in records if r["cue"] == "denied")
    assert denial["stance"] == "denies" and denial["responds_to"] == records[0]["id"]
    shown = cli("claim", denial["claim"]["id"], db=db)
    assert shown.returncode == 0, shown.stderr
    assert "in answer to Coast Ledger: The harbour authority has sold" in shown.stdout


def test_delete_removes_an_article_and_names_unknown_ids(cli: Any, tmp_path: Path, article_dir: Path) -> None:
    (article_dir / "sale.txt").write_text(
        "Authority Denies Ferry Sale\n\nMarch 4, 2026\n\nThe harbour authority has sold the old ferry to a "
        "scrap dealer, the Coast Ledger reported on Tuesday.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert cli("ingest", str(article_dir), db=db).returncode == 0
    ids = {(doc := json.loads(line)["document"])["id"]: doc["title"] for line in cli("export", db=db).stdout.splitlines()}
    sale = next(i for i, title in ids.items() if title == "Authority Denies Ferry Sale")
    res = cli("delete", sale, "missing-id", db=db)
    assert res.returncode == 1
    assert "1 deleted, 1 not found" in res.stdout and "no stored article has the id missing-id" in res.stderr
    listed = cli("articles", db=db).stdout
    assert "Ferry Terminal" in listed and "Ferry Sale" not in listed
    assert "scrap dealer" not in cli("claims", db=db).stdout
    assert cli("check", db=db).returncode == 0
    again = cli("delete", sale, db=db)  # already gone: said so, nothing else changes
    assert again.returncode == 1 and "0 deleted, 1 not found" in again.stdout

