"""Which gold ``claimgraph eval`` scores: a folder of gold files, or the protocol's
evaluation folder holding ``gold/``; a folder with neither is an error, never a silent 0.0."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.eval_run import gold_folder

DEVSET = Path(__file__).resolve().parents[1] / "devset"


def test_a_gold_folder_is_scored_as_given() -> None:
    assert gold_folder(str(DEVSET / "gold")) == str(DEVSET / "gold")


def test_an_evaluation_folder_is_scored_on_its_gold() -> None:
    assert gold_folder(str(DEVSET)) == str(DEVSET / "gold")


def test_a_folder_without_gold_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no gold here", encoding="utf-8")
    with pytest.raises(InputError, match="no gold JSON files"):
        gold_folder(str(tmp_path))
