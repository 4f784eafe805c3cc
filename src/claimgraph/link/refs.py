"""Pure rules for contents that point at another statement instead of restating it.

``reference_of(content)`` -> a ``Reference`` when the content is a noun phrase naming a
statement ("Shapps' assertion", "the British allegation", "the report"), or an anaphor
("We have not seen that"), else None. ``proposition_text(content)`` strips a leading
claim noun ("a British claim that X" -> "X") so that only the proposition is embedded.
``pick_target(ref, i, views)`` chooses which earlier attribution of the same article a
reference responds to: the owner's ("Voss's account"), else one whose cue matches the noun
("the accusation" -> "accused"), else the latest statement about the referring source
("Russia rejected the claim" -> a statement naming Russia), else the article's main claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CLAIM_NOUNS = {
    "assertion", "assertions", "claim", "claims", "accusation", "accusations", "allegation",
    "allegations", "assessment", "assessments", "report", "reports", "reporting", "charge", "charges",
    "statement", "statements", "remarks", "comments", "finding", "findings", "conclusion",
    "conclusions", "account", "suggestion", "story", "intelligence", "evidence", "accusal",
}
# noun -> cue stems of the statement it names ("the accusation" -> whoever "accused")
NOUN_CUES = {
    "accusation": ("accus",), "allegation": ("alleg",), "assertion": ("assert",), "claim": ("claim",),
    "report": ("report",), "reporting": ("report",), "assessment": ("assess",), "charge": ("charg",),
    "statement": ("statement",), "remarks": ("remark", "said"), "comments": ("comment", "said"),
}
_DETS = r"(?:the|a|an|that|this|these|those|such|its|their|his|her|our|any)"
_NP = re.compile(
    rf"^\s*(?:{_DETS}\s+)?(?P<owner>(?:[A-Z][\w.\-]*(?:'s|'|\u2019s|\u2019)?\s+){{0,3}})?"
    rf"(?P<mods>(?:[a-z][\w\-]*\s+){{0,2}})?(?P<noun>[a-z]+)\s*(?P<rest>.*)$", re.DOTALL)
_ANAPHOR = re.compile(
    r"\b(?:seen|confirmed?|verif(?:y|ied)|corroborated?|back(?:ed)?|believe|share|support(?:ed)?|"
    r"dispute[sd]?|den(?:y|ied)|reject(?:ed)?|contradict(?:ed)?|heard)\s+"
    r"(?:that|this|it|them|those|these|any(?:thing)? (?:like|of) that)\b"
    r"|\b(?:that|this|the) (?:claim|assertion|accusation|allegation|report)s? (?:is|was|were|are|has|had)\b",
    re.IGNORECASE)
_CLAIM_THAT = re.compile(
    rf"^\s*(?:{_DETS}\s+)?(?:[\w'\u2019.\-]+\s+){{0,3}}?(?:{'|'.join(sorted(CLAIM_NOUNS))})"
    r"\s+(?:that|of)\s+(?P<prop>.+)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Reference:
    """What a referring content points at: a statement noun, its owner, or an anaphor."""

    kind: str  # "noun" | "anaphor"
    noun: str = ""
    owner: str = ""  # possessor or adjective naming whose statement ("Shapps", "British")


@dataclass(frozen=True, slots=True)
class View:
    """What reference resolution needs to know of one earlier attribution."""

    source: str  # canonical source name
    mention: str
    side: str  # the country/organisation the source speaks for, when known
    cue: str
    is_wire: bool
    is_reference: bool
    paragraph: int
    actors: tuple[str, ...] = ()  # who the statement is about


def about(v: View, me: View) -> bool:
    """Statement ``v`` names the source of ``me`` (or the side it speaks for) as an actor."""
    return bool({x for x in (me.source, me.side) if x} & set(v.actors)) and v.source != me.source


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'\u2019.\-]+", text)


def reference_of(content: str) -> Reference | None:
    """Content -> the Reference it makes, or None when it states a proposition itself."""
    text = content.strip().strip('"').strip()
    if len(_words(text)) <= 6:
        m = _NP.match(text)
        if m and m.group("noun").lower() in CLAIM_NOUNS and not m.group("rest").strip(" .,;:\"'"):
            owner = (m.group("owner") or "").strip()
            owner = re.sub(r"(?:'s|'|\u2019s|\u2019)$", "", owner).strip()
            mods = (m.group("mods") or "").strip()
            return Reference("noun", m.group("noun").lower().rstrip("s") if m.group("noun").lower()
                             not in {"remarks", "comments", "reporting"} else m.group("noun").lower(),
                             owner or _adjective_owner(mods))
    first = re.split(r"(?<=[.!?])\s+", text)[0]
    if len(_words(first)) <= 9 and _ANAPHOR.search(first):
        return Reference("anaphor")
    return None


def _adjective_owner(mods: str) -> str:
    """"british" in "the british assessment" -> "british" (resolved later to a side)."""
    return mods.split()[0] if mods else ""


_FRAME_THAT = re.compile(
    r"^\s*(?:[\w'\u2019.\-]+\s+){1,4}?(?:could|can|would|did|does|do)\s+not\s+(?:rule\s+out|exclude)\s+"
    r"(?:the\s+possibility\s+)?that\s+(?P<prop>.+)$", re.IGNORECASE | re.DOTALL)


def proposition_text(content: str) -> str:
    """ "a British claim that it was supplying X" -> "it was supplying X"; "the government could
    not rule out that X" -> "X"; else unchanged."""
    for pattern in (_CLAIM_THAT, _FRAME_THAT):
        m = pattern.match(content)
        if m and len(_words(m.group("prop"))) >= 4:
            return m.group("prop").strip()
    return content


def _owner_matches(owner: str, v: View, owner_side: str) -> bool:
    o = owner.lower()
    if not o:
        return False
    names = f"{v.source} {v.mention}".lower()
    return bool(re.search(rf"\b{re.escape(o)}\b", names)) or bool(owner_side and owner_side == v.side)


def pick_target(ref: Reference, i: int, views: Sequence[View], owner_side: str = "",
                main: int | None = None) -> int | None:
    """Index of the earlier attribution ``ref`` (made by attribution ``i``) responds to."""
    earlier = [j for j in range(i) if not views[j].is_reference]
    if not earlier:
        return None
    me = views[i]
    if ref.kind == "noun" and ref.owner:
        owned = [j for j in earlier if _owner_matches(ref.owner, views[j], owner_side)]
        if owned:
            return owned[0]
    if ref.kind == "noun":
        stems = NOUN_CUES.get(ref.noun, ())
        cued = [j for j in earlier if any(s in views[j].cue.lower() for s in stems)]
        named = [j for j in earlier if about(views[j], me)]
        if not cued and named and not ref.noun.startswith("report"):
            return named[-1]  # "Russia rejected the claim": the latest statement about Russia
        if ref.noun.startswith("report"):
            cued = cued or [j for j in earlier if views[j].is_wire]
            return cued[-1] if cued else (main if main is not None and main < i else earlier[0])
        if cued:
            return cued[-1]
        return main if main is not None and main < i else earlier[0]
    others = [j for j in earlier if views[j].source != me.source]
    near = [j for j in others if me.paragraph - views[j].paragraph <= 1]
    return near[-1] if near else (main if main is not None and main < i else None)
