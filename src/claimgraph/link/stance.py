"""Pure stance rules: one attribution + what is known of its claim -> (stance, rule name).

Rules, first match wins:

``no_comment.type``/``no_comment.cue``  a no_comment attribution or cue ("declined to comment")
``no_comment.content``  a non-answer ("it was too early to assign blame", "had no information",
                        "we cannot tell who was directing them")
``denies.cue``          a denial verb ("denied", "rejected", "dismissed")
``denies.reported``     a denial the content reports ('his client "categorically rejects" the allegation')
``denies.lexicon``      denial words in the content ("groundless", "smearing", "baseless"); from a
                        side the claim does not name, that has not denied it: ``disputes.lexicon``
``disputes.contrast``   set against another's statement ("A said X, while B called it Y")
``asserts.founds``      the attribution founded the claim (its negations are its own proposition)
``<stance>.consistent`` the source already disputed or denied this claim and keeps to it
                        when it negates again (an accused party that negates denies)
``disputes.follow_up``  the source opposed the claim before and now negates nothing: it attacks
                        the case ("the investigation is politically motivated")
``asserts.own_claim``   the source already asserted this claim (a negation inside it is
                        rhetoric: "This is not a trade dispute")
``disputes.cue``        a dispute verb ("questioned", "cast doubt on", "contradicted")
``disputes.lexicon``    the content calls the claim unproven ("based on rumours")
``disputes.no_evidence`` negated content about evidence ("had not seen evidence")
``denies.accused``      an accused party (an actor of the claim) negates it
``denies.named``        another party the claim names, not the claimant's side, negates it
                        ("no Syldavian port took the cargo" from Syldavia)
``disputes.negated``    anyone else negates it ("We have not seen that")
``disputes.accused``    an accused party answers without negating ("its army relies on its own factories")
``disputes.named``      in a claim someone has denied, another party the claim names (not the
                        claimant's side, never its asserter) answers without negating: Russia's
                        "our industry relies on its own resources" on a claim of arms sent to Russia
``supports.agrees``     a new source agrees with a claim someone else made ("a similar conclusion",
                        "according to" data or officials, "the data shows"), its own camp included:
                        another official's evidence backs the claim rather than making it anew
``asserts``             otherwise

Before a claim is known, ``reaction_kind`` tells a reaction from a new proposition; a negation
that only sets up the speaker's own statement ("This is not a fishing shelter. A runway that
long is built for combat aircraft", ``is_correction``) is not a reaction.

Polarity is read on a content's lead clause (``lead_clause``): a second sentence or a concession
("talks go on, though nothing was decided") does not turn an assertion into a negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Stance

_NO_COMMENT = re.compile(
    r"declin\w* to comment|no (?:immediate )?comment|did not (?:immediately )?respond|"
    r"could not be reached|(?:would|did) not comment|refused to comment|not (?:immediately )?available for comment",
    re.IGNORECASE)
_NO_COMMENT_CONTENT = re.compile(
    r"\btoo early\b|\bnot yet possible\b|\bno information\b|\bnothing (?:is|was|has been) "
    r"(?:agreed|final|decided)|\bclosely (?:following|monitoring|watching)\b|\baware of the reports?\b|"
    r"\blet the investigators\b|\bwould not speculate\b|\bnot (?:going|able) to (?:comment|speculate)\b|"
    r"\bintelligence matters\b|\bwould not (?:say|discuss|be drawn)\b|\bnot in a position to (?:say|comment|confirm)\b|"
    r"\b(?:cannot|can't|can\u2019t|could not|couldn't|could\u2019t|(?:was|were|is|are) \W?unable to) (?:yet )?"
    r"(?:tell|say|confirm|establish|determine)\b[^.;]{0,40}?"
    r"\b(?:who|whether|what|which|why|how|when|where)\b", re.IGNORECASE)
_DENY_CUE = re.compile(r"\b(?:den(?:y|ies|ied|ying|ial)|reject\w*|dismiss\w*|refut\w*|rebuff\w*|repudiat\w*)\b",
                       re.IGNORECASE)
# a denial reported inside the content: 'his client "categorically rejects" the allegation'
_REPORTED_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|refut(?:es|ed))\W+(?:\w+\W+){0,2}?"
    r"(?:the|these|those|this|that|any|such|all)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:allegations?|claims?|accusations?|reports?|charges?|suggestions?|findings?)\b", re.IGNORECASE)
_DENY_WORDS = re.compile(
    r"\b(?:groundless|baseless|unfounded|fabricat\w*|smear\w*|slander\w*|(?:lies|lying)(?!\s+(?:in|within|on|at|near|off|between|beyond|outside|inside|along|across|just|some|north|south|east|west)\b)|false(?:hood)?s?|"
    r"nonsense|absurd|fake(?:\s+news)?(?=\s*(?:$|[.,;:!?\"'\u201d\u2019)]))|fantasy|fiction|hysteria)\b", re.IGNORECASE)
_DISPUTE_CUE = re.compile(
    r"\b(?:question\w*|disput\w*|doubt\w*|contradict\w*|challeng\w*|counter\w*|push\w* back|"
    r"skeptic\w*|sceptic\w*|cast\w* doubt)\b", re.IGNORECASE)
_DISPUTE_WORDS = re.compile(
    r"\b(?:rumou?rs?|speculat\w*|unverified|unsubstantiated|unproven|no proof|no evidence|"
    r"hearsay|conjecture|(?:nothing|none of (?:it|this|them)) (?:is|was|has been|had been|have been) "
    r"(?:proven|proved)|never (?:been )?(?:proven|proved)|"
    # what a statement is called: "the report was exaggerated", "that figure was far too high"
    r"(?:was|were|is|are|been|being) (?:\w+ )?(?:exaggerated|overstated)|"
    r"(?:figures?|numbers?|estimates?|counts?|tolls?|totals?) (?:was|were|is|are) (?:\w+ )?(?:too high|inflated))\b",
    re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nothing|neither|nor)\b|n't\b|n\u2019t\b", re.IGNORECASE)
_NOT_NEGATION = re.compile(r"\bnot rule out\b|\bno doubt\b|\bnot (?:only|just)\b|\bnot a coincidence\b",
                           re.IGNORECASE)
_EVIDENCE = re.compile(r"\b(?:evidence|proof|seen|confirm\w*|verif\w*|intelligence|documents?)\b",
                       re.IGNORECASE)
_AGREE = re.compile(
    r"\b(?:similar conclusion|same conclusion|agree\w*|confirm(?:s|ed)?|corroborat\w*|consistent with|echo\w*|"
    r"backs?|backed|shows?|showed|in line with|concerned|alarm\w*|pattern)\b", re.IGNORECASE)
# agreement with something said before, named only by reference: "may reach a similar conclusion"
_AGREES_WITH_CONTEXT = re.compile(r"\b(?:a similar|the same) (?:conclusions?|assessments?|findings?|view)\b",
                                  re.IGNORECASE)
_STRONG_AGREE = re.compile(r"\b(?:(?:a similar|the same) conclusions?|consistent with|corroborat\w*|in line with)\b",
                           re.IGNORECASE)
_AGREE_CUE = re.compile(r"\b(?:agree\w*|confirm\w*|echo\w*|back\w*|corroborat\w*|endors\w*)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StanceInput:
    """One attribution, as the rules see it."""

    content: str
    cue: str
    type: str
    source: str  # canonical source name ("" when unknown)
    side: str = ""  # the country or body the source speaks for
    negated: bool = False
    is_reference: bool = False
    founds: bool = False  # it founded the claim it belongs to
    previous: str = ""  # this source's latest stance on the claim, if any
    contrasts: bool = False  # set against another's statement: 'A said X, while B called it Y'


@dataclass(frozen=True, slots=True)
class ClaimContext:
    """What is known of the claim when the attribution is read."""

    actors: tuple[str, ...] = ()  # who the claim is about; the first is its agent (the accused)
    accused: frozenset[str] = frozenset()  # sides that have denied it (they speak as the accused)
    asserters: frozenset[str] = frozenset()  # sources (and cited sources) that asserted it
    founder_side: str = ""  # the side of whoever first asserted it


def _text(a: StanceInput) -> str:
    return a.content if not a.is_reference else ""


def is_accused(a: StanceInput, ctx: ClaimContext) -> bool:
    """The source, or the side it speaks for, is the claim's agent or has denied it before,
    and is not the side that made the claim."""
    mine = {x for x in (a.source, a.side) if x}
    accused = set(ctx.actors[:1]) | set(ctx.accused)
    return bool(mine & accused) and not (mine & ({ctx.founder_side} - {""}))


# where a content's lead clause ends: a second sentence, a concession, a second reported clause
_CLAUSE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018]?[A-Z])|;|,?\s+(?:though|although|but|while|whereas)\s+"
                         r"|\s+and\s+that\s+|,\s+and\s+", re.IGNORECASE)


def lead_clause(text: str) -> str:
    """The first clause of a content: its polarity is the stance's ("The marks are consistent with
    a cut. They are not consistent with fatigue" affirms; "talks go on, though no deal was made" too)."""
    return _CLAUSE_END.split(text, maxsplit=1)[0]


# a condition's polarity is not the statement's: 'ready to add names "if the flow does not stop"'
_CONDITION = re.compile(r"\b(?:if|unless)\b[^,;.]*", re.IGNORECASE)


def negated(a: StanceInput, *, lead: bool = True) -> bool:
    """The content (its lead clause, unless ``lead`` is false) or its cue is negated; a negation
    inside a condition ("if the flow does not stop") does not count."""
    text = _NOT_NEGATION.sub(" ", lead_clause(_text(a)) if lead else _text(a))
    text = _CONDITION.sub(" ", text)
    return a.negated or bool(_NEGATION.search(text))


# a content that states only the speaker's feeling about what is reported: "it was \"gravely concerned\""
_FEELING_ONLY = re.compile(
    r"^\W*(?:it|they|he|she|we|i|the \w+)\s+(?:was|were|is|are|had been|has been|remained|remains)\s+\W*"
    r"(?:\w+ly\s+)?(?:concerned|alarmed|worried|troubled|disturbed|dismayed|shocked|appalled)\W*"
    r"(?:(?:by|about|at|over)\s+(?:the|these|this|those)\s+\w+\W*)?$", re.IGNORECASE)


def is_feeling(content: str) -> bool:
    """The content is only the speaker's feeling about what is reported ("it was \"gravely concerned.\"")."""
    return bool(_FEELING_ONLY.search(content))


def reaction_kind(content: str, cue: str, type_: str) -> str | None:
    """Before any claim is known: does this read as a response to a claim rather than a new
    proposition? "non_answer" ("declined to comment"), "feeling" ("gravely concerned"), "agrees"
    ("may reach a similar conclusion"), "opposes" (a denial or doubt), else None."""
    if is_non_answer(content, cue, type_):
        return "non_answer"
    if is_feeling(content):
        return "feeling"
    if _AGREES_WITH_CONTEXT.search(content):
        return "agrees"
    if (denial_cue(cue) or _DISPUTE_CUE.search(cue) or _DENY_WORDS.search(content)
            or _DISPUTE_WORDS.search(content) or _REPORTED_DENIAL.search(lead_clause(content))):
        return "opposes"
    if negated(StanceInput(content, cue, type_, ""), lead=False) and not is_correction(content):
        return "opposes"
    return None


# "This is not a fishing shelter. A runway of that length is built for combat aircraft": the
# negation only sets up the speaker's own, positive statement
_NOT_THIS = re.compile(r"^\W*(?:this|that|it)\s+(?:is|was)\s+not\s+(?:a|an|about)\b", re.IGNORECASE)


def is_correction(content: str) -> bool:
    """'This is not X. Y.': a negated identification followed by a positive statement."""
    lead = lead_clause(content)
    rest = content[len(lead):]
    return bool(_NOT_THIS.match(lead)) and bool(rest.strip()) and \
        not negated(StanceInput(rest, "", "", ""), lead=False)


def denial_cue(cue: str) -> bool:
    """The cue itself denies ("denied", "rejected", "dismissed")."""
    return bool(_DENY_CUE.search(cue))


def is_non_answer(content: str, cue: str, type_: str) -> bool:
    """A reaction that takes no position ("declined to comment", "too early to assign blame")."""
    return type_ == "no_comment" or bool(_NO_COMMENT.search(cue) or _NO_COMMENT_CONTENT.search(content))


def stance_of(a: StanceInput, ctx: ClaimContext) -> tuple[Stance, str]:
    """One attribution and its claim's context -> (stance, name of the rule that decided)."""
    text = _text(a)
    if a.type == "no_comment":
        return "no_comment", "no_comment.type"
    if _NO_COMMENT.search(a.cue) or _NO_COMMENT.search(text[:80]):
        return "no_comment", "no_comment.cue"
    if denial_cue(a.cue):
        return "denies", "denies.cue"
    if _REPORTED_DENIAL.search(lead_clause(text)):
        return "denies", "denies.reported"
    if _DENY_WORDS.search(text) or _DENY_WORDS.search(a.cue):
        # "baseless" from the accused denies; from a side the claim does not name, it disputes
        if a.side and a.side not in ctx.actors and not is_accused(a, ctx) and a.previous != "denies":
            return "disputes", "disputes.lexicon"
        return "denies", "denies.lexicon"
    if _NO_COMMENT_CONTENT.search(text):
        return "no_comment", "no_comment.content"
    if a.contrasts:
        return "disputes", "disputes.contrast"
    if a.founds:
        return "asserts", "asserts.founds"
    if _DISPUTE_WORDS.search(text):
        return "disputes", "disputes.lexicon"
    if negated(a) and _EVIDENCE.search(text):
        return "disputes", "disputes.no_evidence"
    if a.previous in ("denies", "disputes") and not _DISPUTE_CUE.search(a.cue):
        if not negated(a):  # an opponent's next point that negates nothing attacks the case
            return "disputes", "disputes.follow_up"
        if a.previous == "disputes" and is_accused(a, ctx):
            return "denies", "denies.accused"
        return a.previous, f"{a.previous}.consistent"  # type: ignore[return-value]
    if a.source and a.source in ctx.asserters and not _DISPUTE_CUE.search(a.cue):
        return "asserts", "asserts.own_claim"
    if _DISPUTE_CUE.search(a.cue):
        return "disputes", "disputes.cue"
    return _by_content(a, ctx, text)


# a negation the speaker makes about itself, its own deeds or findings: "We were never inside ...",
# "Our investigation shows no removal ..."; not what it has or has not seen of others ("We have not seen that")
_OWN_DEED = re.compile(r"^\W*(?:we|our|i|my)\b(?!\s+(?:have|had|has)\s+(?:not|never)\s+(?:seen|heard|found|received))",
                       re.IGNORECASE)


def _by_content(a: StanceInput, ctx: ClaimContext, text: str) -> tuple[Stance, str]:
    accused = is_accused(a, ctx)
    others = ctx.asserters - {a.source}
    if not accused and others and _STRONG_AGREE.search(text):
        return "supports", "supports.agrees"
    if negated(a):
        if accused:
            return "denies", "denies.accused"
        if a.side and a.side in ctx.actors and a.side != ctx.founder_side:
            return "denies", "denies.named"
        if a.side and a.side == ctx.founder_side:  # "We have nothing to hide", said the claimant's own chief
            return "asserts", "asserts.own_side"
        if _OWN_DEED.search(lead_clause(text)):  # "We were never inside those waters": about itself
            return "denies", "denies.own_deed"
        return "disputes", "disputes.negated"
    if accused:
        return "disputes", "disputes.accused"
    if ctx.accused and a.side in ctx.actors and a.side != ctx.founder_side and a.source not in ctx.asserters:
        return "disputes", "disputes.named"
    agrees = _AGREE.search(text) or _AGREE_CUE.search(a.cue) or a.type == "according_to"
    if others and agrees:
        return "supports", "supports.agrees"
    return "asserts", "asserts"
