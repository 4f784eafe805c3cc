"""Durability: SIGKILL at random points, and two writers at once, lose or duplicate nothing.

The real command line (``python -m claimgraph ingest``) runs in a subprocess over a
folder of 40 distinct articles made from the shipped samples (names, weekdays, URLs and
a serial number varied). It is killed with SIGKILL 20 times: first right after it stored
its first article, then each run at a random delay up to a little past that point, so
kills land in start-up (opening and migrating the store, skipping what is stored,
loading the model) and while it analyses, links or writes. Small write batches make
commits frequent, so kills land between and inside transactions. After each kill the
store's integrity check must pass and no article may be stored twice; a final run
completes the set, ``claimgraph check`` passes, and every article is stored exactly
once with all its attributions, once each.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "claimgraph" / "samples"
N_ARTICLES = 40
KILLS = 20
SURNAMES = ["Castellane", "Okonjo", "Marsh", "Dunmore", "Varga", "Iwu", "Lindqvist", "Moreau", "Tanaka", "Quispe"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
# Small batches: frequent commits for the kills to land between and inside. The hashing
# embedder: claim linking without loading torch, so each restart costs seconds, not tens.
FAST_ENV = {"CLAIMGRAPH_WRITE_BATCH": "2", "CLAIMGRAPH_BATCH_SIZE": "2", "CLAIMGRAPH_EMBEDDER": "hash"}


def make_articles(folder: Path, n: int = N_ARTICLES) -> list[Path]:
    """``n`` distinct articles from the four samples: other names, days, URLs and a serial number.

    Files already there are kept as they are (a later call with a larger ``n`` adds more).
    """
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(p for p in SAMPLES.iterdir() if p.name.startswith("drone-engines"))
    paths = []
    for i in range(n):
        src = samples[i % len(samples)]
        text = src.read_text(encoding="utf-8")
        text = text.replace(".example/", f".example/v{i}/")  # canonical and trailer URLs differ
        for old, new in (("Castellane", SURNAMES[i % 10]), ("Okonjo", SURNAMES[(i + 3) % 10]),
                         ("Tuesday", DAYS[i % 5]), ("Monday", DAYS[(i + 2) % 5])):
            text = text.replace(old, new)
        text = re.sub(r"(drone engines?)", rf"\1 (report {i + 1})", text, flags=re.IGNORECASE)
        path = folder / f"{i:03d}-{src.name}"
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def cli_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "claimgraph", "--db", str(db), *args]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", **FAST_ENV, **(extra or {})}
    env.pop("CLAIMGRAPH_DB", None)
    return env


def stored(db: Path) -> int:
    """Articles committed so far, read the way a second process would (WAL: never blocks the writer)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def check_store(db: Path) -> None:
    done = subprocess.run(cli_cmd(db, "check"), check=False, capture_output=True, text=True, env=cli_env(), timeout=120)
    assert done.returncode == 0, f"claimgraph check failed:\n{done.stdout}\n{done.stderr}"


def ingest(db: Path, folder: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_cmd(db, "ingest", "--no-progress", str(folder)), check=False, capture_output=True,
                          text=True,
                          env=cli_env(env), timeout=600)








def start_ingest(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cli_cmd(db, "ingest", "--no-progress", str(folder)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=cli_env())


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*/stat") if Path("/proc").is_dir() else ():
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            out.append(int(entry.parent.name))
    return out


def orphans_gone(pids: list[int], within: float = 20.0) -> bool:
    """Whether every process in ``pids`` has exited within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def _alive(pid: int) -> bool:
    """Running, not exited (an exited orphan may linger as a zombie until init reaps it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def first_store_time(db: Path, folder: Path) -> float:
    """Start an ingest, wait for its first stored article, SIGKILL it at once: the seconds it took."""
    began = time.monotonic()
    proc = start_ingest(db, folder)
    try:
        while stored(db) == 0 and proc.poll() is None and time.monotonic() - began < 300:
            time.sleep(0.05)
        return time.monotonic() - began
    finally:
        kill(proc)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    made = len(make_articles(folder))
    db = tmp_path / "killed.db"
    url = f"sqlite:///{db}"
    rng = random.Random(int(os.environ.get("CLAIMGRAPH_TEST_SEED", "20261128")))
    # Kill 1: right after the first article is stored. Then each run is killed at a random
    # delay up to a little past that point, so kills land in start-up (open, migrate, skip
    # what is stored, load the model) and in analysis, linking and the write transactions.
    window = first_store_time(db, folder) + 1.5
    assert stored(db) >= 1
    kills, history = 1, [stored(db)]
    while kills < KILLS:
        if stored(db) == made:  # all stored before enough kills: give the next runs more to do
            made += len(make_articles(folder, made + 10)) - made
        proc = start_ingest(db, folder)
        try:
            time.sleep(rng.uniform(0.2, window))
        finally:
            kill(proc)
        kills += 1
        history.append(stored(db))
        (total, hashes, paths), _, problems = db_snapshot(url)
        assert problems == [], f"inconsistent after kill {kills}: {problems}"
        assert total == hashes == paths, f"an article was stored twice after kill {kills}"
    check_store(db)  # the real command, once, on the killed store
    final = ingest(db, folder)
    assert final.returncode == 0, final.stderr
    assert " 0 failed" in final.stdout + final.stderr, final.stdout + final.stderr
    check_store(db)
    counted, seqs, _ = db_snapshot(url)
    assert counted == (made, made, made), history
    for name, seq in seqs.items():  # each article whole: its attributions, once each
        assert seq, f"{name} was stored without its attributions"
        assert seq == list(range(len(seq))), f"{name}: attributions lost or repeated"
    assert len(history) >= KILLS and history[0] < made, history


@pytest.mark.slow
def test_two_processes_ingest_into_one_sqlite_file(tmp_path: Path) -> None:
    paths = make_articles(tmp_path / "all", 24)
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, chosen in ((first, paths[:16]), (second, paths[8:])):  # 8 articles in both
        folder.mkdir()
        for p in chosen:
            (folder / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "shared.db"
    procs = [subprocess.Popen(cli_cmd(db, "ingest", "--no-progress", str(folder)), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=cli_env()) for folder in (first, second)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in (out + err).lower() and "failed:" not in err, err
    check_store(db)
    assert db_snapshot(f"sqlite:///{db}")[0] == (24, 24, 24)


def db_snapshot(url: str) -> tuple[tuple[int, int, int], dict[str, list[int]], list[str]]:
    """(articles, distinct hashes, distinct paths), path -> attribution seqs, integrity problems."""
    from sqlalchemy import text

    from claimgraph.store import Repository

    repo = Repository.open(url)
    try:
        with repo.engine.connect() as conn:
            total, hashes, paths = conn.execute(text(
                "SELECT count(*), count(DISTINCT content_hash), count(DISTINCT path) FROM articles")).one()
            rows = conn.execute(text("SELECT a.path, t.seq FROM articles a LEFT JOIN attributions t"
                                     " ON t.article_id = a.id ORDER BY a.path, t.seq")).all()
        seqs: dict[str, list[int]] = {}
        for path, seq in rows:
            seqs.setdefault(Path(path).name, [])
            if seq is not None:
                seqs[Path(path).name].append(int(seq))
        return (int(total), int(hashes), int(paths)), seqs, repo.check()
    finally:
        repo.close()


@pytest.mark.slow
def test_sigkill_with_two_workers_resumes_exactly_once(db_url: str, tmp_path: Path) -> None:
    """``ingest --workers 2`` on either store, SIGKILLed mid-run several times, then run to
    the end: every article stored exactly once, whole, and the store consistent."""
    folder = tmp_path / "articles"
    made = len(make_articles(folder, 24))
    cmd = [sys.executable, "-m", "claimgraph", "--db", db_url, "ingest", "--no-progress", "--workers", "2",
           str(folder)]
    rng = random.Random(int(os.environ.get("CLAIMGRAPH_TEST_SEED", "20261129")))
    progress = [0]
    for _ in range(4):  # each run is killed soon after it stores something new
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env())
        began = time.monotonic()
        while proc.poll() is None and time.monotonic() - began < 300:
            time.sleep(0.25)
            if db_snapshot(db_url)[0][0] > progress[-1]:
                time.sleep(rng.uniform(0.0, 1.5))
                break
        workers = children(proc.pid)
        kill(proc)
        assert orphans_gone(workers), f"worker processes outlived their killed client: {workers}"
        (total, hashes, paths), _, problems = db_snapshot(db_url)
        assert problems == [], problems
        assert total == hashes == paths, "an article was stored twice"
        progress.append(total)
    final = subprocess.run(cmd, check=False, capture_output=True, text=True, env=cli_env(), timeout=600)
    assert final.returncode == 0, final.stderr
    assert " 0 failed" in final.stdout + final.stderr, final.stdout + final.stderr
    counted, seqs, problems = db_snapshot(db_url)
    assert problems == []
    assert counted == (made, made, made), progress
    for name, seq in seqs.items():
        assert seq and seq == list(range(len(seq))), f"{name}: attributions lost or repeated"
    assert progress[1] < made, progress  # the first kill landed before the end
