"""Source spans on parses the model sometimes gives: built by hand, so the rule is tested
whatever today's parser does with the sentence."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from claimgraph.extract.grammar import source_range


def test_a_time_the_parser_hung_on_the_source_is_not_part_of_it() -> None:
    """'Norway on Thursday imposed fines ...' parsed with 'on Thursday' under 'Norway'."""
    words = ["Norway", "on", "Thursday", "imposed", "fines", "on", "Baltic", "firms"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[3, 0, 1, 3, 3, 4, 7, 5],
              deps=["nsubj", "prep", "pobj", "ROOT", "dobj", "prep", "compound", "pobj"])
    doc.ents = [Span(doc, 0, 1, label="GPE"), Span(doc, 2, 3, label="DATE")]
    assert source_range(doc[0]) == (0, 1)
    # a place after the source is still part of it: 'officials in Oslo'
    doc2 = Doc(spacy.blank("en").vocab, words=["officials", "in", "Oslo", "said"], heads=[3, 0, 1, 3],
               deps=["nsubj", "prep", "pobj", "ROOT"])
    doc2.ents = [Span(doc2, 2, 3, label="GPE")]
    assert source_range(doc2[0]) == (0, 3)
