"""The atheris harnesses in fuzz/ run for a bounded time and find nothing.

Each harness runs in its own subprocess (libFuzzer owns the process: it exits on the
first crash) over a fresh copy of its seed corpus: the shipped samples and ingest
fixtures, plus every input that once crashed it (``fuzz/regressions/<harness>/``, which
are also replayed on their own first). A crash, a per-input timeout or running out of
memory fails the test with the harness's report; the input is kept in the test's
temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
SEEDS = {
    "clean": [*(ROOT / "src/claimgraph/samples").glob("drone-engines-*"), *(ROOT / "tests/fixtures/ingest").glob("*")],
    "feed": [*(ROOT / "tests/fixtures/ingest").glob("feed.*")],
    "extract": [*(ROOT / "src/claimgraph/samples").glob("drone-engines-*.txt")],
}
# seconds of fuzzing per harness; about a minute in all (the extractor also loads spaCy)
BUDGET = {"clean": 15, "feed": 15, "extract": 25}
pytest.importorskip("atheris")


def run_harness(name: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(FUZZ / f"fuzz_{name}.py"), *args,
           "-timeout=60", "-rss_limit_mb=4096", f"-artifact_prefix={cwd}/", "-print_final_stats=1"]
    env = {**os.environ, "CLAIMGRAPH_EMBEDDER": "hash"}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=BUDGET[name] + 240,
                          check=False)


def report(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stdout + done.stderr).splitlines() if not line.startswith('"')]
    return "\n".join(lines[-60:])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUDGET))
def test_harness_finds_nothing(name: str, tmp_path: Path) -> None:
    regressions = sorted((FUZZ / "regressions" / name).glob("*"))
    if regressions:  # every input that once crashed this harness, replayed alone
        done = run_harness(name, [str(p) for p in regressions], tmp_path)
        assert done.returncode == 0, report(done)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in [*SEEDS[name], *regressions]:
        shutil.copy(seed, corpus / seed.name)
    # a fixed seed: CI replays the same mutation sequence, so a red run is reproducible
    done = run_harness(name, [str(corpus), f"-max_total_time={BUDGET[name]}", "-seed=1"], tmp_path)
    crashes = sorted(p.name for p in tmp_path.glob("*") if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert done.returncode == 0 and not crashes, f"{crashes}\n{report(done)}"
    assert "Done" in done.stdout + done.stderr, report(done)
