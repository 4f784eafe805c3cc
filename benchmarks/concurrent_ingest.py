"""Two ``claimgraph ingest`` processes at once into one store, beside one process alone.

    python benchmarks/concurrent_ingest.py [--articles 80] [--db URL]

Generates distinct articles from the bundled samples (one story, dates out of order), then
ingests them (a) with one process into a fresh store and (b) with two processes at once,
each taking every other file, into another fresh store. ``--db`` names the store for (b)
(a PostgreSQL URL: its tables are dropped first); the default is a SQLite file. Prints the
wall time of each, how many writes each process had refused and linked again because the
other had changed claims meanwhile, and how many of (b)'s claims differ from (a)'s, with
their members and stances. (The generated articles repeat the samples' sentences many
times over, so a source's role or affiliation learnt from one article decides stances in
many; which articles were linked before it is learnt still depends on timing.)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.scale.synthetic import write_corpus
from claimgraph.store import Repository


def start(db: str, files: list[Path], batch: int) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "claimgraph", "--db", db, "ingest", "--no-progress", *map(str, files)]
    env = {k: v for k, v in os.environ.items() if k != "CLAIMGRAPH_DB"}
    env["CLAIMGRAPH_WRITE_BATCH"] = str(batch)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    outs = []
    for p in procs:
        out = p.communicate()[0]
        if p.returncode:
            raise SystemExit(f"ingest failed:\n{out}")
        outs.append(out.strip().splitlines()[-1])
    return outs


def stored(db: str) -> set[tuple[frozenset[tuple[str, str, str]], str]]:
    """Each claim as (its members as (article title, content, stance), its label)."""
    repo = Repository.open(db)
    try:
        groups: dict[str, set[tuple[str, str, str]]] = {}
        for row in repo.iter_attribution_rows():
            groups.setdefault(row["claim_label"] or "-", set()).add(
                (row["article_title"], row["content_text"], row["stance"] or "-"))
        problems = repo.check()
        if problems:
            raise SystemExit(f"{db}: {problems}")
        return {(frozenset(m), label) for label, m in groups.items()}
    finally:
        repo.close()


def fresh(db: str) -> None:
    if db.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(db)
        with engine.begin() as conn:
            names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
            for name in list(names):
                conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
        engine.dispose()
    Repository.open(db).close()  # migrated once, before the processes start


def refused(summary: str) -> int:
    m = re.search(r"(\d+) writes linked again", summary)
    return int(m.group(1)) if m else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=80)
    ap.add_argument("--batch", type=int, default=4, help="articles per write transaction")
    ap.add_argument("--db", help="store for the two processes (default: a SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(write_corpus(Path(tmp) / "corpus", args.articles))
        alone = f"sqlite:///{Path(tmp) / 'alone.db'}"
        shared = args.db or f"sqlite:///{Path(tmp) / 'shared.db'}"
        fresh(alone)
        t = time.perf_counter()
        (one,) = finish([start(alone, files, args.batch)])
        t_one = time.perf_counter() - t
        fresh(shared)
        t = time.perf_counter()
        outs = finish([start(shared, files[0::2], args.batch), start(shared, files[1::2], args.batch)])
        t_two = time.perf_counter() - t
        one_claims, two_claims = stored(alone), stored(shared)
    kind = "PostgreSQL" if shared.startswith("postgresql") else "SQLite"
    print(f"articles: {len(files)}, {args.batch} a write; model start-up included")
    print(f"one process          : {t_one:6.1f} s   {one}")
    for i, out in enumerate(outs, 1):
        print(f"process {i} of 2 ({kind}): {out}")
    print(f"two processes at once: {t_two:6.1f} s   writes refused and linked again: "
          f"{refused(outs[0])} + {refused(outs[1])}")
    differ = len({label for _m, label in one_claims ^ two_claims})
    print(f"claims (with their members and stances) unlike one process's: {differ} of {len(one_claims)}")


if __name__ == "__main__":
    main()
