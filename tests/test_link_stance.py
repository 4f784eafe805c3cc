"""Stance rules, one test per rule, and the reference rules that stances lean on."""

from __future__ import annotations

import pytest

from claimgraph.link.refs import View, pick_target, proposition_text, reference_of
from claimgraph.link.stance import (
    ClaimContext,
    StanceInput,
    is_non_answer,
    reaction_kind,
    stance_of,
)

CTX = ClaimContext(actors=("Borduria", "Syldavia"), asserters=frozenset({"Ana Petrov"}), founder_side="Freedonia")


def rule(content: str, cue: str = "said", type_: str = "indirect", source: str = "X", side: str = "",
         ctx: ClaimContext = CTX, **kw: object) -> tuple[str, str]:
    return stance_of(StanceInput(content, cue, type_, source, side, **kw), ctx)  # type: ignore[arg-type]


@pytest.mark.parametrize("content,cue,type_,source,side,kw,expected", [
    ("the claims", "no immediate comment", "no_comment", "Syldavia", "", {}, ("no_comment", "no_comment.type")),
    ("the plan", "declined to comment on", "indirect", "Y", "", {}, ("no_comment", "no_comment.cue")),
    ("it was too early to assign blame", "said", "indirect", "Y", "", {}, ("no_comment", "no_comment.content")),
    ("the report", "denied", "indirect", "Borduria", "", {"is_reference": True}, ("denies", "denies.cue")),
    # a denial reported inside the content: the speaker conveys it
    ('the ferry company "firmly rejects" the allegation and that the ramp failed in a storm', "said", "mixed",
     "Ana Roth", "", {}, ("denies", "denies.reported")),
    ("the accusation \"groundless\"", "calling", "mixed", "Y", "", {}, ("denies", "denies.lexicon")),
    ("the accusation \"groundless\"", "calling", "mixed", "Ivo Kral", "Borduria", {}, ("denies", "denies.lexicon")),
    ("these reports are lies", "said", "direct", "Ivo Kral", "Borduria", {}, ("denies", "denies.lexicon")),
    ("the offer \"a fair price\"", "called", "mixed", "Y", "", {"contrasts": True}, ("disputes", "disputes.contrast")),
    ("the reef lies within its economic zone", "adding", "indirect", "Y", "", {}, ("asserts", "asserts")),
    # a third side, named nowhere in the claim, calling its case baseless disputes it
    ("that justification baseless", "called", "indirect", "Tom Hale", "Freedonia", {},
     ("disputes", "disputes.lexicon")),
    ("we are not hiding it", "said", "direct", "Ana Petrov", "", {"founds": True}, ("asserts", "asserts.founds")),
    ("the figures were based on rumours", "said", "indirect", "Y", "", {}, ("disputes", "disputes.lexicon")),
    # 'nothing is proven' calls the claim unproven, even from a side that denied it before
    ("we hear these accusations every week, and every time nothing is proven", "said", "direct", "Ivo Kral",
     "Borduria", {"previous": "denies"}, ("disputes", "disputes.lexicon")),
    ("Freedonia had not seen evidence of it", "said", "indirect", "Tom Hale", "", {},
     ("disputes", "disputes.no_evidence")),
    ("the trains carry grain", "said", "indirect", "Ivo Kral", "Borduria", {"previous": "denies"},
     ("disputes", "disputes.follow_up")),
    ("the trains never carried arms", "said", "indirect", "Ivo Kral", "Borduria", {"previous": "denies"},
     ("denies", "denies.consistent")),
    ("the trains carry grain, but no rails were laid", "said", "indirect", "Ivo Kral", "Borduria",
     {"previous": "disputes"}, ("disputes", "disputes.follow_up")),
    ("This is not a trade quarrel", "said", "direct", "Ana Petrov", "", {}, ("asserts", "asserts.own_claim")),
    ("Petrov's assertion", "questioned", "indirect", "Tom Hale", "", {"is_reference": True},
     ("disputes", "disputes.cue")),
    ("Borduria sends no weapons to anyone", "said", "direct", "Ivo Kral", "Borduria", {},
     ("denies", "denies.accused")),
    ("the shipments never happened", "said", "indirect", "Tom Hale", "Ruritania", {},
     ("disputes", "disputes.negated")),
    # a negation the speaker makes about its own deeds denies; one about what it has seen of others disputes
    ("We were never inside those waters, not for one minute", "said", "direct", "Tom Hale", "Ruritania", {},
     ("denies", "denies.own_deed")),
    ("We have not heard from the crew of those ships", "said", "direct", "Tom Hale", "Ruritania", {},
     ("disputes", "disputes.negated")),
    # a negation from the claimant's own side backs its claim: "We have nothing to hide"
    ("we have nothing to hide", "said", "direct", "Kai Holm", "Freedonia", {}, ("asserts", "asserts.own_side")),
    ("no Syldavian port took the cargo", "said", "indirect", "Port office", "Syldavia", {},
     ("denies", "denies.named")),
    ("We can see the ships. We cannot tell you, from what we hold, who sent them", "said", "direct", "Y", "", {},
     ("no_comment", "no_comment.content")),
    ("we are not in a position to say who fired first", "said", "direct", "Y", "", {},
     ("no_comment", "no_comment.content")),
    ('the mission was "unable to establish" which side had fired first', "said", "mixed", "Y", "", {},
     ("no_comment", "no_comment.content")),
    ("its army relies on its own factories", "said", "indirect", "Borduria", "", {},
     ("disputes", "disputes.accused")),
    ("the marks are consistent with the minister's account", "said", "indirect", "Lab", "", {},
     ("supports", "supports.agrees")),
    ("its own intelligence had reached the same conclusion as Freedonia", "said", "indirect", "Ruritania", "", {},
     ("supports", "supports.agrees")),
    # what a figure or a report is called disputes it; what a statement says someone exaggerated does not
    ("that figure was far too high", "said", "indirect", "Tom Hale", "", {}, ("disputes", "disputes.lexicon")),
    ("the report was greatly exaggerated", "said", "indirect", "Tom Hale", "", {}, ("disputes", "disputes.lexicon")),
    ("the photographs were altered to exaggerate the size of the sheds", "said", "indirect", "Tom Hale", "", {},
     ("asserts", "asserts")),
    ("customs data shows the wagons were full", "according to", "according_to", "Analyst", "", {},
     ("supports", "supports.agrees")),
    ("the trains left on Monday", "said", "indirect", "Reporter", "", {}, ("asserts", "asserts")),
])
def test_each_stance_rule(content: str, cue: str, type_: str, source: str, side: str,
                          kw: dict[str, object], expected: tuple[str, str]) -> None:
    assert rule(content, cue, type_, source, side, **kw) == expected


def test_a_party_the_claim_names_answering_a_denied_claim_disputes_it() -> None:
    """Borduria is said to send arms to Syldavia and has denied it; Syldavia's 'our industry
    relies on its own resources' sides with the denial. Before any denial it is no dispute."""
    denied = ClaimContext(actors=("Borduria", "Syldavia"), accused=frozenset({"Borduria"}),
                          asserters=frozenset({"Ana Petrov"}), founder_side="Freedonia")
    said = ("its industry relies on its own resources", "said", "indirect", "Syldavian ministry", "Syldavia")
    assert rule(*said, ctx=denied) == ("disputes", "disputes.named")
    assert rule(*said) == ("asserts", "asserts")


def test_evidence_from_the_claimants_own_camp_supports_but_the_claimant_repeating_itself_asserts() -> None:
    """Another Freedonian source's data backs Ana Petrov's claim; Petrov citing data again
    is still her own claim."""
    assert rule("data shows the wagons were full", type_="according_to", source="Freedonian customs",
                side="Freedonia") == ("supports", "supports.agrees")
    assert rule("data shows the wagons were full", type_="according_to", source="Ana Petrov",
                side="Freedonia") == ("asserts", "asserts.own_claim")


def test_a_proposition_with_fake_things_without_licences_or_a_negated_second_half_is_no_denial() -> None:
    """'fake' names a denial only as what the statement is called ("the report is fake", "fake
    news"), not as a kind of thing ("fake accounts"); 'without a licence' negates nothing; a
    negation in the second of two clauses joined by ", and" leaves the first one's polarity."""
    tom = {"source": "Tom Hale", "side": "Freedonia"}
    assert rule("Borduria ran thousands of fake accounts to sway the vote", **tom) == ("asserts", "asserts")
    assert rule("a ring of fake news sites had been paid from abroad", **tom) == ("asserts", "asserts")
    assert rule("the boat was fishing without a licence", **tom) == ("asserts", "asserts")
    assert rule("the boat was caught inside the limit, and it had no licence", **tom) == ("asserts", "asserts")
    ivo = {"source": "Ivo Kral", "side": "Borduria"}  # the accused side
    assert rule("the report is fake", **ivo) == ("denies", "denies.lexicon")
    assert rule('it was "fake news"', **ivo) == ("denies", "denies.lexicon")
    third = {"source": "Tom Hale", "side": "Ruritania"}  # neither the claimant's side nor one the claim names
    assert rule("the boat was never inside the limit, and it had a licence", **third) == ("disputes", "disputes.negated")
    assert reaction_kind("Borduria ran thousands of fake accounts", "said", "indirect") is None
    assert reaction_kind("the boat was fishing without a licence", "said", "indirect") is None


def test_reaction_detection() -> None:
    assert reaction_kind("We have not seen that", "said", "direct") is not None
    assert reaction_kind("Borduria is sending shells", "said", "indirect") is None
    assert reaction_kind('it was "deeply alarmed."', "said", "indirect") == "feeling"  # about what was reported
    assert reaction_kind("the report", "declined to comment on", "indirect") == "non_answer"
    assert reaction_kind("the report", "denied", "indirect") == "opposes"
    assert reaction_kind("its analysts had reached a similar conclusion", "said", "indirect") == "agrees"
    assert reaction_kind("the marks are consistent with a cutting tool", "said", "indirect") is None
    assert reaction_kind("it was alarmed that Borduria was sending shells", "said", "indirect") is None
    # a negated condition is not a negated statement; a negated main clause still is
    assert reaction_kind('Syldavia would expand the blacklist "if the trade does not stop"', "said", "indirect") is None
    assert reaction_kind("Syldavia would not expand the blacklist if the trade stops", "said", "indirect") == "opposes"
    # "This is not X. Y": the negation only sets up the speaker's own statement
    assert reaction_kind("This is not a grain depot. Silos that size are built to hide missiles", "said",
                         "direct") is None
    assert reaction_kind("This is not a grain depot", "said", "direct") == "opposes"
    assert reaction_kind("the company rejects the accusation and that the ramp failed", "said", "indirect") == "opposes"
    assert reaction_kind("the company rejected three bids for the ferry line", "said", "indirect") is None
    assert reaction_kind("This is not a grain depot. No grain has been stored there", "said", "direct") == "opposes"


def test_non_answers_take_no_position() -> None:
    assert is_non_answer("it was too early to assign blame", "said", "indirect")
    assert is_non_answer("the report", "declined to comment on", "no_comment")
    assert not is_non_answer("its ports were being used to move chips", "denied", "indirect")
    assert not is_non_answer("We have not seen that", "said", "direct")


@pytest.mark.parametrize("content,kind,owner", [
    ("Shapps' assertion", "noun", "Shapps"),
    ("the British assessment", "noun", "British"),
    ("the report", "noun", ""),
    ("the accusation", "noun", ""),
    ("We have not seen that. We will ask our partners", "anaphor", ""),
])
def test_references_are_recognised(content: str, kind: str, owner: str) -> None:
    ref = reference_of(content)
    assert ref is not None and ref.kind == kind and ref.owner == owner


def test_propositions_are_not_references() -> None:
    assert reference_of("Borduria is sending shells to Syldavia by rail") is None
    assert proposition_text("a Freedonian claim that it was sending shells by rail") == "it was sending shells by rail"
    # a hedge that only refuses to exclude a proposition: the proposition is what is linked
    assert proposition_text("the ministry could not rule out that the blaze was set on purpose") == \
        "the blaze was set on purpose"
    assert proposition_text("police did not exclude the possibility that the fire spread from the depot") == \
        "the fire spread from the depot"
    assert proposition_text("the ministry could not rule out an arson attack") == \
        "the ministry could not rule out an arson attack"


def _view(source: str, cue: str = "said", wire: bool = False, ref: bool = False, p: int = 0, side: str = "") -> View:
    return View(source, source, side, cue, wire, ref, p)


def test_reference_targets() -> None:
    views = [_view("Ana Petrov", side="Freedonia"), _view("Kestrel Wire", "reported", wire=True, p=1),
             _view("Tom Hale", "accused", p=2), _view("Ivo Kral", p=3, ref=True)]
    assert pick_target(reference_of("Petrov's assertion"), 3, views) == 0  # type: ignore[arg-type]
    assert pick_target(reference_of("the report"), 3, views) == 1  # type: ignore[arg-type]
    assert pick_target(reference_of("the accusation"), 3, views) == 2  # type: ignore[arg-type]
    assert pick_target(reference_of("the Freedonian assessment"), 3, views, "Freedonia") == 0  # type: ignore[arg-type]
