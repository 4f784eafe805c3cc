"""Source spans on parses the model sometimes gives: built by hand, so the rule is tested
whatever today's parser does with the sentence."""

from __future__ import annotations

from typing import Any

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
    # a comma or closing quotation mark the parser hung on the name is not part of it
    doc3 = Doc(spacy.blank("en").vocab, words=["“", "No", ",", "”", "Tarrant", "said"], heads=[1, 5, 4, 4, 5, 5],
               deps=["punct", "ccomp", "punct", "punct", "nsubj", "ROOT"])
    assert source_range(doc3[4]) == (4, 5)
    # an opening mark may belong to a quoted name
    doc4 = Doc(spacy.blank("en").vocab, words=["'", "Stoic", "'", "driver", "said"], heads=[3, 3, 3, 4, 4],
               deps=["punct", "amod", "punct", "nsubj", "ROOT"])
    assert source_range(doc4[3]) == (0, 4)


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str], pos: list[str], lemmas: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)


def test_a_report_verb_the_parser_hung_on_the_noun_before_it_is_still_the_cue() -> None:
    """'Ferries will stop, the agency reported on Friday.' parsed as 'the agency [that was]
    reported on Friday': the verb is still the report, and the clause before the comma its content."""
    from claimgraph.extract import build_nlp

    words = ["Ferries", "will", "stop", ",", "the", "agency", "reported", "on", "Friday", "."]
    doc = _parsed(words, heads=[2, 2, 2, 2, 5, 2, 5, 6, 7, 2],
                  deps=["nsubj", "aux", "ROOT", "punct", "det", "npadvmod", "acl", "prep", "pobj", "punct"],
                  tags=["NNS", "MD", "VB", ",", "DT", "NN", "VBN", "IN", "NNP", "."],
                  pos=["NOUN", "AUX", "VERB", "PUNCT", "DET", "NOUN", "VERB", "ADP", "PROPN", "PUNCT"],
                  lemmas=["ferry", "will", "stop", ",", "the", "agency", "report", "on", "Friday", "."])
    nlp = build_nlp()
    doc = nlp.get_pipe("attribution")(nlp.get_pipe("cues")(doc))
    cue = next(c for c in doc._.cues if doc[c.head].text == "reported")
    assert cue.vouched
    [att] = doc._.attributions
    assert (att.cue.text, att.source.text if att.source else None, att.content.text) == ("reported", "the agency", "Ferries will stop")


def test_a_participle_with_its_own_agent_is_not_a_report() -> None:
    """'..., the figures reported by the agency': the figures were reported, nobody reports here."""
    from claimgraph.extract.cues import construction_cue

    words = ["Fares", "rose", ",", "the", "figures", "reported", "by", "the", "agency", "show", "."]
    doc = _parsed(words, heads=[1, 9, 9, 4, 9, 4, 5, 8, 6, 9, 9],
                  deps=["nsubj", "ccomp", "punct", "det", "nsubj", "acl", "agent", "det", "pobj", "ROOT", "punct"],
                  tags=["NNS", "VBD", ",", "DT", "NNS", "VBN", "IN", "DT", "NN", "VBP", "."],
                  pos=["NOUN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "VERB", "PUNCT"],
                  lemmas=["fare", "rise", ",", "the", "figure", "report", "by", "the", "agency", "show", "."])
    assert construction_cue(doc[5]) is None


def test_a_noun_cue_takes_its_of_object_and_the_person_it_describes(nlp: Any) -> None:
    """'X, a fierce critic of Y, ...': whether the classifier keeps such a noun is its own
    call; once it is a cue, its content is the 'of' object and its source the person."""
    from claimgraph.extract.attribution import build
    from claimgraph.extract.cues import Cue

    doc = nlp("Councillor Ines Marlow, a fierce critic of the ferry subsidy, left the meeting early.")
    head = next(t.i for t in doc if t.lower_ == "critic")
    att = build(doc, doc.text, Cue(head, head, head + 1, "noun", score=0.5), doc.user_data["cg_quotes"])
    assert att is not None
    assert (att.source.text if att.source else None, att.content.text) == ("Councillor Ines Marlow", "the ferry subsidy")


def test_a_gerund_under_an_adverb_takes_the_verb_s_subject() -> None:
    """'Moss stopped short of calling for a vote': 'of calling' hangs on the adverb 'short',
    and the speaker is still the subject of 'stopped'."""
    from claimgraph.extract.grammar import subject_of

    words = ["Moss", "stopped", "short", "of", "calling", "for", "a", "vote", "."]
    doc = _parsed(words, heads=[1, 1, 1, 2, 3, 4, 7, 5, 1],
                  deps=["nsubj", "ROOT", "advmod", "prep", "pcomp", "prep", "det", "pobj", "punct"],
                  tags=["NNP", "VBD", "RB", "IN", "VBG", "IN", "DT", "NN", "."],
                  pos=["PROPN", "VERB", "ADV", "ADP", "VERB", "ADP", "DET", "NOUN", "PUNCT"],
                  lemmas=["Moss", "stop", "short", "of", "call", "for", "a", "vote", "."])
    speaker = subject_of(doc[4])
    assert speaker is not None and speaker.text == "Moss"


def test_a_relative_word_beside_a_named_subject_is_not_the_speaker() -> None:
    """'the reasons that Lind refuses to publish': a parse giving both 'that' and 'Lind' the
    subject's label; the relative word stands for 'reasons', and Lind is the one refusing."""
    from claimgraph.extract.grammar import subject_of

    words = ["the", "reasons", "that", "Lind", "refuses", "to", "publish", "accounts"]
    doc = _parsed(words, heads=[1, 1, 4, 4, 1, 6, 4, 6],
                  deps=["det", "ROOT", "nsubj", "nsubj", "relcl", "aux", "xcomp", "dobj"],
                  tags=["DT", "NNS", "WDT", "NNP", "VBZ", "TO", "VB", "NNS"],
                  pos=["DET", "NOUN", "PRON", "PROPN", "VERB", "PART", "VERB", "NOUN"],
                  lemmas=["the", "reason", "that", "Lind", "refuse", "to", "publish", "account"])
    speaker = subject_of(doc[4])
    assert speaker is not None and speaker.text == "Lind"


def test_a_verb_joined_to_a_that_clause_parsed_as_adverbial_is_the_speaker_s_next_act() -> None:
    """'Lind posted that Ferrand was reckless and urged voters to leave', with the 'that' clause
    hung as an adverbial: urging is Lind's next act, not Ferrand's."""
    from claimgraph.extract.grammar import subject_of

    words = ["Lind", "posted", "that", "Ferrand", "was", "reckless", "and", "urged", "voters", "to", "leave"]
    doc = _parsed(words, heads=[1, 1, 4, 4, 1, 4, 4, 4, 7, 10, 7],
                  deps=["nsubj", "ROOT", "advmod", "nsubj", "advcl", "acomp", "cc", "conj", "dobj", "aux", "xcomp"],
                  tags=["NNP", "VBD", "WDT", "NNP", "VBD", "JJ", "CC", "VBD", "NNS", "TO", "VB"],
                  pos=["PROPN", "VERB", "PRON", "PROPN", "AUX", "ADJ", "CCONJ", "VERB", "NOUN", "PART", "VERB"],
                  lemmas=["Lind", "post", "that", "Ferrand", "be", "reckless", "and", "urge", "voter", "to", "leave"])
    speaker = subject_of(doc[7])
    assert speaker is not None and speaker.text == "Lind"


def test_an_infinitive_on_a_ranked_noun_after_a_copula_takes_the_copula_s_subject() -> None:
    """'Ferrand was the first councillor to endorse the plan': Ferrand endorses. Without the
    rank ('the hole in the plan is the ability to agree') the noun names no one."""
    from claimgraph.extract.grammar import subject_of

    def parse(det: str, adj: str) -> Doc:
        words = ["Ferrand", "was", det, adj, "councillor", "to", "endorse", "the", "plan"]
        return _parsed(words, heads=[1, 1, 4, 4, 1, 6, 4, 8, 6],
                       deps=["nsubj", "ROOT", "det", "amod", "attr", "aux", "relcl", "det", "dobj"],
                       tags=["NNP", "VBD", "DT", "JJ", "NN", "TO", "VB", "DT", "NN"],
                       pos=["PROPN", "AUX", "DET", "ADJ", "NOUN", "PART", "VERB", "DET", "NOUN"],
                       lemmas=["Ferrand", "be", det, adj, "councillor", "to", "endorse", "the", "plan"])

    speaker = subject_of(parse("the", "first")[6])
    assert speaker is not None and speaker.text == "Ferrand"
    assert subject_of(parse("a", "young")[6]) is None


def test_a_participle_after_a_speech_tag_continues_the_tagged_speaker() -> None:
    """'“…,” Voss said, going on to say that voters want change, young people most': the
    parser hung 'going' on the clause after it; the speaker is still Voss."""
    from claimgraph.extract.grammar import subject_of

    words = ["Voss", "said", ",", "going", "on", "to", "say", "young", "people", "want", "change"]
    doc = _parsed(words, heads=[1, 9, 9, 9, 3, 6, 3, 8, 9, 9, 9],
                  deps=["nsubj", "parataxis", "punct", "advcl", "prt", "aux", "xcomp", "amod", "nsubj", "ROOT", "dobj"],
                  tags=["NNP", "VBD", ",", "VBG", "RP", "TO", "VB", "JJ", "NNS", "VBP", "NN"],
                  pos=["PROPN", "VERB", "PUNCT", "VERB", "ADP", "PART", "VERB", "ADJ", "NOUN", "VERB", "NOUN"],
                  lemmas=["Voss", "say", ",", "go", "on", "to", "say", "young", "people", "want", "change"])
    speaker = subject_of(doc[3])
    assert speaker is not None and speaker.text == "Voss"


def test_a_report_inside_a_relative_clause_is_the_gap_clause_and_stops_at_the_main_verb(nlp: Any) -> None:
    """'seized a trawler that it said had been fishing illegally ..., and escorted the vessel':
    the classifier doubts a 'said' inside a relative clause, but with a speaker of its own and a
    reported clause whose subject is the relative word it is a report; the parser joins the
    main clause's next verb to the reported participle, and the content stops before it."""
    text = ("Argentina's coast guard on Monday seized a Spanish-flagged trawler that it said had been fishing "
            "illegally inside the country's exclusive economic zone off Patagonia, and escorted the vessel toward "
            "the port of Puerto Madryn.")
    (att,) = [a for a in nlp(text)._.attributions if a.cue.text == "said"]
    assert att.source is not None and att.source.text == "it"
    assert att.content.text == ("had been fishing illegally inside the country's exclusive economic zone off "
                                "Patagonia")
