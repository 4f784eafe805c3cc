"""Negated cues: a negated act of doing attributes nothing; a negated verb of saying, or one
that takes a statement or a clause, still does. Sentences written for the project."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("sentence", [
    "Minister Ada Kerrow said the barges carried grain. She did not release any of the shipping records.",
    "Officials in Varnholm have not condemned the blockade of the port.",
])
def test_a_negated_act_of_doing_is_no_attribution(nlp: Any, sentence: str) -> None:
    cues = [a.cue.text for a in nlp(sentence)._.attributions]
    assert not any(c.startswith(("did not", "have not")) for c in cues), cues


@pytest.mark.parametrize(("sentence", "cue"), [
    ("The port authority did not deny the report that the barges carried grain.", "deny"),
    ("The harbour master did not say whether the barges had left.", "say"),
    ("The ministry has not confirmed that the barges carried grain.", "confirmed"),
])
def test_a_negated_verb_of_saying_still_attributes(nlp: Any, sentence: str, cue: str) -> None:
    atts = nlp(sentence)._.attributions
    assert any(cue in a.cue.text for a in atts), [(a.cue.text, a.content.text) for a in atts]


@pytest.mark.parametrize("sentence", [
    "The harbour master did not say whether the barges had left.",
    "Lawmakers have not said when they would take up the ferry bill.",  # the question parsed as a time
])
def test_an_unanswered_question_is_withheld(nlp: Any, sentence: str) -> None:
    atts = nlp(sentence)._.attributions
    assert [(a.type, a.content.text.split()[0]) for a in atts] in ([("no_comment", "whether")], [("no_comment", "when")])
