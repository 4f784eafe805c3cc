"""A dateline opening a paragraph ends a sentence of its own (extract/paragraphs.py), so the
parser does not take the place for the subject of the lead sentence."""

from __future__ import annotations

import pytest
import spacy

from claimgraph.extract.paragraphs import ParagraphSplitter, dateline_end


@pytest.fixture(scope="module")
def blank() -> spacy.Language:
    return spacy.blank("en")


@pytest.mark.parametrize("text, first", [
    ("PORTSMOUTH (Harbour Wire) — The board said so.", "The"),
    ("DOVER, Kent (AP) — The board said so.", "The"),
    ("NEW YORK, Dec. 22 (UPI) — Officials said so.", "Officials"),
    ("Dover (AFP) – The board said so.", "The"),
    ("ST. IVES - Councillors said so.", "Councillors"),
    ("WASHINGTON -- Officials said so.", "Officials"),
])
def test_a_dateline_ends_before_the_lead_sentence(blank: spacy.Language, text: str, first: str) -> None:
    doc = blank(text)
    end = dateline_end(doc, 0)
    assert end is not None and doc[end].text == first
    ParagraphSplitter()(doc)
    assert doc[end].is_sent_start


@pytest.mark.parametrize("text", [
    "Sen. Ada Moss (R-Kent) — who chairs the board — said so.",  # a party and state, not an agency
    "Dover - the port town - voted on Monday.",  # a place in running text, not in capitals
    "The board said on Monday - again - that fares would rise.",
    "NATO said the patrols would continue.",
])
def test_other_openings_are_no_dateline(blank: spacy.Language, text: str) -> None:
    assert dateline_end(blank(text), 0) is None
