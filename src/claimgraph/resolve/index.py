"""Across articles: each article's entities -> the global entities they are the same as.

``EntityIndex.from_entities(store.all_entities())`` holds what is known;
``canonicalize(result)`` rewrites the result's entity keys and names (in entities,
attributions and mentions) to the known entity when it is the same actor, and learns the
article's new entities. People match on their full name, or, for a name given alone
("Shapps", "Xi"), on the one known person with that family name whose affiliation does not
conflict; different first names or conflicting affiliations keep people apart, and a key
already used by a different person gets a deterministic disambiguator (``~affiliation``).
Other entities match on key, then on name whatever their type.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..records import ArticleResult, Attribution, Entity, Mention
from . import metonyms
from .keys import slug

# words of a description that name no office: 'Washington's top trade negotiator' -> trade, negotiator
_NOT_OFFICE_WORDS = frozenset(["top", "the", "a", "s", "senior", "official", "officials", "chief", "most",
                               "country", "nation", "government", "administration"])


def _tokens(name: str) -> list[str]:
    return slug(name).split("-")


def compatible(a: Entity, b: Entity) -> bool:
    """Two person records may be one person: no conflicting affiliation or first name."""
    if a.affiliation and b.affiliation and a.affiliation != b.affiliation:
        return False
    ta, tb = _tokens(a.name), _tokens(b.name)
    return not (len(ta) > 1 and len(tb) > 1 and ta != tb)


def merged(old: Entity, new: Entity) -> Entity:
    """Known entity + a new sighting -> one record (fuller name, first role, all aliases)."""
    fuller = len(_tokens(new.name)) > len(_tokens(old.name)) and old.type == "person" and not new.anonymous
    name = new.name if fuller else old.name
    return replace(old, name=name, type=old.type if old.type != "unknown" else new.type,
                   role=old.role or new.role, affiliation=old.affiliation or new.affiliation,
                   aliases=tuple(dict.fromkeys([*old.aliases, *new.aliases])),
                   trace=tuple(dict.fromkeys([*old.trace, *new.trace]))[-50:])


@dataclass
class EntityIndex:
    """Global entities by key, with a family-name index for people."""

    known: dict[str, Entity] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_entities(cls, entities: list[Entity]) -> EntityIndex:
        index = cls()
        for e in sorted(entities, key=lambda e: e.key):
            index.learn(e)
        return index

    def learn(self, e: Entity) -> None:
        self.known[e.key] = e
        words = _tokens(e.name)
        for w in {words[0], words[-1], slug(e.name)}:
            self.by_name.setdefault(w, set()).add(e.key)

    def match(self, e: Entity) -> Entity | None:
        """The known entity this one is, or None when it is new."""
        if e.type == "person":
            return self._office_holder(e) or self._person(e)
        same = self.known.get(e.key)
        if same is not None:
            return same
        named = [self.known[k] for k in sorted(self.by_name.get(slug(e.name), ()))
                 if slug(self.known[k].name) == slug(e.name) and self.known[k].type != "person"]
        return named[0] if named else self._placed(e) or self._described_body(e)

    def _described_body(self, e: Entity) -> Entity | None:
        """'the coast guard', in an article that never names it, is the one known 'Argentine Coast
        Guard': a description in lower case whose words end exactly one known organisation's
        name. Two such organisations known (another state's coast guard): neither is assumed."""
        words = e.name.split()
        if e.type != "unknown" or not 1 <= len(words) <= 3 or e.name != e.name.lower():
            return None
        found = [old for k in sorted(self.by_name.get(_tokens(e.name)[-1], ()))
                 if (old := self.known[k]).type == "organization" and len(old.name.split()) > len(words)
                 and old.name.lower().split()[-len(words):] == words]
        return found[0] if len(found) == 1 else None

    def _placed(self, e: Entity) -> Entity | None:
        """'Office of the Trade Representative' is the one known 'Office of the U.S. Trade
        Representative': the same name with a place word added, when exactly one such is known
        and the affiliations agree."""
        words = e.name.split()
        if len(words) < 2:
            return None
        found = []
        for k in sorted(self.by_name.get(_tokens(e.name)[0], ())):
            old = self.known[k]
            extra = _inserted(old.name.split(), words)
            if old.type != "person" and extra and metonyms.lookup(extra) is not None \
                    and (not e.affiliation or e.affiliation == old.affiliation):
                found.append(old)
        return found[0] if len(found) == 1 else None

    def _office_holder(self, e: Entity) -> Entity | None:
        """"Washington's top trade negotiator" is no anonymous source: 'top' names the one
        holder of an office, the one known named person of the same affiliation whose role
        shares a word with the description ('U.S. Trade Representative Harlan Voss')."""
        if not e.anonymous or not e.affiliation:
            return None
        said = next((a for a in e.aliases if "top" in _tokens(a)), None)
        if said is None:
            return None
        words = set(_tokens(said)) - _NOT_OFFICE_WORDS
        found = [c for c in self.known.values() if c.type == "person" and not c.anonymous and c.role
                 and c.affiliation == e.affiliation and words & set(_tokens(c.role))]
        if len(found) != 1:
            return None
        why = f"'{said}': the top office holder of {e.affiliation} whose role is {found[0].role}"
        return replace(found[0], trace=(*found[0].trace, why))

    def _person(self, e: Entity) -> Entity | None:
        words = _tokens(e.name)
        cands = [self.known[k] for k in sorted(self.by_name.get(words[-1], set()) | self.by_name.get(words[0], set()))]
        cands = [c for c in cands if c.type == "person" and compatible(c, e)]
        if len(words) > 1:
            full = [c for c in cands if _tokens(c.name) == words]
            alone = [c for c in cands if len(_tokens(c.name)) == 1 and c.name.lower() in (e.name.lower().split())]
            found = full or alone
            return found[0] if found else None
        if len(cands) > 1:
            cands = [c for c in cands if c.affiliation and c.affiliation == e.affiliation] or cands
        return cands[0] if len(cands) == 1 else None

    def _free_key(self, e: Entity) -> str:
        if e.key not in self.known:
            return e.key
        tail = slug(e.affiliation or e.role or "2")
        key = f"{e.key}~{tail}"
        n = 2
        while key in self.known:
            key, n = f"{e.key}~{tail}-{n}", n + 1
        return key

    def canonicalize(self, result: ArticleResult) -> ArticleResult:
        """Article result -> the same result with global entity keys and names."""
        final: dict[str, Entity] = {}
        for e in result.entities:
            old = self.match(e)
            g = merged(old, e) if old is not None else replace(e, key=self._free_key(e))
            final[e.key] = g
            self.learn(g)
        atts = tuple(_attribution(a, final) for a in result.attributions)
        mentions = tuple(Mention(m.span, final[m.entity_key].key, m.rule) if m.entity_key in final else m
                         for m in result.mentions)
        entities = tuple({g.key: g for g in final.values()}.values())
        return replace(result, attributions=atts, entities=entities, mentions=mentions)


def _inserted(longer: list[str], shorter: list[str]) -> str:
    """The words ``longer`` has in one run on top of ``shorter`` ('U.S.'), else ''."""
    n = len(longer) - len(shorter)
    if n < 1 or n > 2:
        return ""
    for i in range(len(shorter) + 1):
        if longer[:i] == shorter[:i] and longer[i + n:] == shorter[i:]:
            return " ".join(longer[i:i + n])
    return ""


def _attribution(a: Attribution, final: dict[str, Entity]) -> Attribution:
    g = final.get(a.source_entity or "")
    if g is None:
        return a
    joint = a.source_name is not None and ";" in a.source_name  # keep "A; B" of joint statements
    return a.with_(source_entity=g.key, source_name=a.source_name if joint else g.name)
