"""Unnamed sources -> typed, canonical group or person Refs.

"senior anonymous U.S. officials" -> ``Ref(kind="anon", name="anonymous U.S. officials",
type="group", affiliation="United States")``; "a British official briefed on the findings"
-> "anonymous British official" (person); "Analysts" -> "anonymous analysts";
"Western intelligence services" -> a collective group named as written (no article).
Names use the place's adjective from ``metonyms`` so that "U.K. officials" and "British
officials" become the same group across articles.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from . import metonyms
from .ref import Ref

ANON_NOUNS = frozenset(["official", "source", "diplomat", "analyst", "expert", "aide", "insider", "investigator", "observer", "spokesman", "spokeswoman", "spokesperson", "officer", "lawmaker", "minister", "person", "people", "resident", "witness", "negotiator", "adviser", "advisor"])
COLLECTIVE_NOUNS = frozenset(["service", "agency", "government", "force", "ministry", "intelligence"])
PLURAL_TAGS = ("NNS", "NNPS")


def _modifier_place(root: Token) -> metonyms.Place | None:
    for child in root.children:
        if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i < root.i:
            words = [t for t in child.subtree if not t.is_punct and t.lower_ != "'s"]
            for tok in [*words, child]:
                place = metonyms.lookup(tok.text)
                if place is not None:
                    return place
            whole = metonyms.lookup(" ".join(t.text for t in words))
            if whole is not None:
                return whole
    return None


_AFFILIATION_PREPS = frozenset(["from", "of", "at", "in", "with"])


def _prep_affiliation(root: Token) -> tuple[metonyms.Place | None, str | None]:
    """'officials from Finland' -> (Finland, None); 'lawmakers from the Greens' -> (None, 'Greens'):
    the place or the named body a group of unnamed people belongs to, given after the noun."""
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ not in _AFFILIATION_PREPS or prep.i < root.i:
            continue
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            words = [t for t in obj.subtree if not t.is_punct and t.pos_ != "DET"]
            place = metonyms.lookup(" ".join(t.text for t in words)) or metonyms.lookup(obj.text)
            if place is not None:
                return place, None
            if obj.pos_ == "PROPN" and obj.ent_type_ in ("ORG", "NORP") and all(t.pos_ == "PROPN" for t in words):
                return None, " ".join(t.text for t in words)
    return None, None


# unnamed people who speak for an authority, and the heads of the authorities they may speak for
_OFFICIAL_NOUNS = frozenset(["official", "source", "diplomat", "investigator", "officer", "spokesman", "spokeswoman",
                             "spokesperson"])
_AUTHORITY_HEADS = _OFFICIAL_NOUNS | COLLECTIVE_NOUNS | frozenset(["authority", "guard", "police", "ministry",
                                                                   "department", "prosecutor", "navy", "army"])


def _authority_before(span: Span) -> metonyms.Place | None:
    """'Finnish authorities detained a tanker ... The tanker is thought to belong to the shadow
    fleet, officials said': unnamed officials with no country of their own, in the sentence of
    or the one after a national authority ('Finnish authorities', 'the Finnish Coast Guard',
    'Finnish investigators'), are that authority's officials. Only the nearest one counts;
    none within reach, no guess."""
    doc = span.doc
    first_sent = span.sent.start
    if first_sent > 0:
        first_sent = doc[first_sent - 1].sent.start
    for tok in reversed(doc[first_sent:span.start]):
        if tok.lemma_.lower() in _AUTHORITY_HEADS and tok.pos_ in ("NOUN", "PROPN"):
            place = _modifier_place(tok)
            if place is not None:
                return metonyms.Place(place.name, place.type, f"{place.rule}, of the authority named before: {tok.text}")
    return None


def _has_name(span: Span) -> bool:
    """A person's name inside: "Moldovan" in "two Moldovan security officials", which the tagger
    may call a person, names a state, not a person."""
    return any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" and metonyms.lookup(t.text) is None for t in span)


def anon_name(noun: str, place: metonyms.Place | None) -> str:
    """('officials', United States) -> 'anonymous U.S. officials'."""
    return f"anonymous {metonyms.adjective(place.name)} {noun}" if place else f"anonymous {noun}"


def anonymous_ref(span: Span) -> Ref | None:
    """An unnamed official, source or analyst (or a group of them) -> anon Ref, else None."""
    root = span.root
    if root.lemma_.lower() == "one":  # "one of the officials": the group it belongs to
        of = [c for c in root.children if c.lower_ == "of"]
        objs = [g for c in of for g in c.children if g.dep_ == "pobj"]
        if objs and objs[0].lower_ in ("them", "those"):
            return Ref("pronoun", "they", number="plur", rule=f"member of a group '{span.text}'")
        if objs and objs[0].lemma_.lower() in ANON_NOUNS:
            return Ref("anaphor", objs[0].lower_, rule=f"member of a group '{span.text}'", number="plur")
        return None
    if root.lemma_.lower() not in ANON_NOUNS or _has_name(span):
        return None
    plural = root.tag_ in PLURAL_TAGS
    noun = root.lower_ if plural else root.lemma_.lower()
    place = _modifier_place(root)
    body = None
    if place is None:
        place, body = _prep_affiliation(root)
    definite = any(c.lower_ in ("the", "that", "this", "those", "these") for c in root.children if c.dep_ == "det")
    if place is None and body is None and not definite and root.lemma_.lower() in _OFFICIAL_NOUNS:
        place = _authority_before(span)
    if body is not None and plural:  # "lawmakers from the Greens": a party's bloc, named as written
        return Ref("group", f"{body} {noun}", "group", role=root.lemma_.lower(), affiliation=body,
                   number="plur", rule=f"group named by the body it belongs to: {body}")
    if definite and plural and place is None:  # "the officials": a group named before
        return Ref("anaphor", noun, rule=f"definite group '{span.text}'", number="plur")
    return Ref("anon", anon_name(noun, place), "group" if plural else "person", role=root.lemma_.lower(),
               affiliation=place.name if place else None, anonymous=True,
               number="plur" if plural else "sing",
               rule=("definite " if definite else "") + f"anonymous {'group' if plural else 'person'}: "
               + (place.rule if place else "no affiliation"))


def collective_ref(span: Span) -> Ref | None:
    """Plural unnamed bodies ("Western intelligence services") -> a group named as written."""
    root = span.root
    if root.lemma_.lower() not in COLLECTIVE_NOUNS or root.tag_ not in PLURAL_TAGS:
        return None
    words = [t for t in span if t.pos_ != "DET" and not t.is_punct]
    place = _modifier_place(root)
    name = " ".join(t.text for t in words)
    return Ref("group", name, "group", role=root.lemma_.lower(), affiliation=place.name if place else None,
               number="plur", rule="collective body named as written")
