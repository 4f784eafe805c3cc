"""Sentence and paragraph bounds (extract/paragraphs.py): a dateline opening a paragraph ends a
sentence of its own, so the parser does not take the place for the subject of the lead
sentence; sentences start only where a line or a sentence may start, and end before the
paragraph break."""

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


def test_no_sentence_starts_between_two_words_on_one_line(nlp) -> None:
    """The parser may open a sentence at an object-gap relative clause ('jokes Tarrant had
    told'); a sentence cannot start right after a word on the same line, so the cue's content
    runs on to the end of the real sentence."""
    doc = nlp("At the harbour meeting, Delia Frane mentioned cruel jokes Owen Tarrant had told "
              "about Imelda Quarrie as examples of his scorn for women.")
    assert len(list(doc.sents)) == 1
    said = [a for a in doc._.attributions if a.source is not None and a.source.text == "Delia Frane"]
    assert len(said) == 1 and said[0].content.text.endswith("his scorn for women")


def test_a_new_line_may_still_start_a_sentence(blank: spacy.Language) -> None:
    doc = ParagraphSplitter()(blank("Ferry fares rise\nThe board voted. Fares rise."))
    starts = {t.text: t.is_sent_start for t in doc}
    assert starts["The"] is True  # a new line
    assert starts["board"] is False and starts["voted"] is False  # after a word on the same line
    assert starts["Fares"] is None  # after a full stop the parser decides


def test_no_sentence_starts_right_after_a_number_word(nlp) -> None:
    """'the 13th Amendment': a sentence cannot start after '13th' on the same line either, so
    the reported clause is not cut at the ordinal."""
    doc = nlp("The skipper said she felt the 13th Amendment was worth examining because few people know it.")
    assert len(list(doc.sents)) == 1
    said = [a for a in doc._.attributions if a.cue.text == "said"]
    assert len(said) == 1 and said[0].content.text.endswith("few people know it")


def test_a_lower_case_word_starts_no_sentence(blank: spacy.Language) -> None:
    """'“Is the pier safe?” the inspector asked': the question mark inside the quotation does not
    end the sentence the speech verb belongs to."""
    doc = ParagraphSplitter()(blank("“Is the pier safe?” the inspector asked.\nthe end"))
    after_quote = next(t for t in doc if t.i > 0 and doc[t.i - 1].text == "”")
    last = doc[-2]
    assert after_quote.text == "the" and after_quote.is_sent_start is False
    assert last.is_sent_start  # a new line still may


def test_a_sentence_ends_before_the_paragraph_break(blank: spacy.Language) -> None:
    """The blank lines after a paragraph's last sentence are not part of it, so that rules
    reading 'the rest of the sentence' never reach into the next paragraph."""
    from claimgraph.extract.grammar import sentence_ends

    doc = ParagraphSplitter()(blank("The captain said so.\n\n“Never,” the mate said."))
    ends = sentence_ends(doc)
    stop = next(t.i for t in doc if t.text == ".")
    assert ends[0] == stop + 1 and doc[stop + 1].is_space
    assert ends[len(doc) - 1] == len(doc)
