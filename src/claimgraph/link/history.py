"""Each claim's stance history: stances decided in publication order, whatever the ingest order.

A stance depends on what came before it on the same claim: the first assertion founds it,
a side that denied it speaks as the accused from then on, a source's next point follows its
last stance. ``Histories`` keeps each claim's running state, and each member attribution
with the ``Basis`` its stance was decided from and its article's place in publication
order (``Order``, the order the runner links a batch in) until the store has it
(``flush``). An article that comes after every known member is decided on the running
state. An article published before members already known (an archive ingested after
today's feed) loads the claim's history from the store and decides again the members that
follow it; a claim just merged with another decides all its members again. The stances
that changed are handed to the store (``take_updates``). So articles ingested one run at a
time, in any order, end with the stances that one run over all of them gives.

A member stored before bases were kept (``basis`` None) keeps its stored stance and
feeds the state with it. A claim of more than ``REPLAY_LIMIT`` members decides a late
report on its running state."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from itertools import groupby
from typing import Any

from .stance import ClaimContext, StanceInput, stance_of

__all__ = ["Basis", "Histories", "Loader", "Member", "Order", "article_order", "loader"]

Order = tuple[bool, str, str]  # (undated, published, content hash)

# a claim with more members than this decides a late report on its running state instead of
# deciding every member again (a claim thousands of reports strong, ingested out of order)
REPLAY_LIMIT = 2_000


def article_order(published: str | None, content_hash: str) -> Order:
    """Publication time first, undated last; ties by content, not by input order."""
    return (not published, published or "", content_hash)


@dataclass(frozen=True, slots=True)
class Basis:
    """What one attribution's stance is decided from, besides its claim's history."""

    content: str
    cue: str
    type: str
    source: str
    side: str = ""
    negated: bool = False
    ref: bool = False  # points at a statement ("the accusation") instead of stating one
    founds: bool = False  # founded a claim in its article: it founds this one if its article is the first
    contrasts: bool = False  # set against another's statement: 'A said X, while B called it Y'
    propositional: bool = False
    opens: bool = False  # a propositional assertion, not a reaction: the first one's side made the claim
    actors: tuple[str, ...] = ()  # who its content is about
    cites: str = ""

    # kept with the attribution already; the rest is stored with the stance
    _ON_ATTRIBUTION = ("content", "cue", "type", "negated")

    def to_json(self) -> str:
        return json.dumps({f.name: getattr(self, f.name) for f in fields(self)
                           if f.name not in self._ON_ATTRIBUTION}, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str, *, content: str, cue: str, type: str, negated: bool) -> Basis:
        data: dict[str, Any] = json.loads(raw)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known and k not in cls._ON_ATTRIBUTION}
        data["actors"] = tuple(data.get("actors") or ())
        return cls(content=content, cue=cue, type=type, negated=negated, **data)


@dataclass(slots=True)
class Member:
    """One attribution of a claim: where it stands in publication order and its stance."""

    order: Order
    article: str
    seq: int
    basis: Basis | None  # None: stored before bases were kept; its stance stays
    stance: str = ""
    rule: str = ""
    source: str = ""  # for a member without basis: who spoke
    cites: str = ""

    @property
    def key(self) -> tuple[Order, str, int]:
        return (self.order, self.article, self.seq)


@dataclass(slots=True)
class _State:
    """What the claim's earlier members make known to the next one."""

    actors: tuple[str, ...] = ()
    founder_side: str | None = None
    asserters: set[str] = field(default_factory=set)
    accused: set[str] = field(default_factory=set)
    last: dict[str, str] = field(default_factory=dict)
    stances: set[str] = field(default_factory=set)
    latest: tuple[Order, str, int] | None = None  # key of the last member decided
    size: int = 0  # members decided

    def decide_article(self, members: list[Member], *, known: bool = False) -> None:
        """One article's members, in article order. As clustering does, the article that
        comes first founds the claim: its founding content gives the claim its actors, a
        later member with none yet lends its own (its side left out), and the first
        propositional assertion gives the side that made the claim. ``known``: their
        stances were decided in order already (nothing before them changed); they only
        feed the state."""
        first = self.latest is None
        for m in members:
            b = m.basis
            if b is None:
                continue
            if b.propositional and not self.actors:
                self.actors = b.actors if first and b.founds else tuple(a for a in b.actors if a != b.side)
            if b.opens and self.founder_side is None:
                self.founder_side = b.side
        for m in sorted(members, key=lambda m: m.seq):
            m.stance, m.rule = self._decide(m, first, known)
            self.stances.add(m.stance)
        self.latest = max([m.key for m in members] + ([self.latest] if self.latest else []))
        self.size += len(members)

    def _decide(self, m: Member, first: bool, known: bool) -> tuple[str, str]:
        b = m.basis
        if b is None or known:
            stance, rule = m.stance, m.rule
            source, side, cites = (m.source, "", m.cites) if b is None else (b.source, b.side, b.cites)
        else:
            ctx = ClaimContext(self.actors, frozenset(self.accused), frozenset(self.asserters),
                               self.founder_side or "")
            stance, rule = stance_of(StanceInput(b.content, b.cue, b.type, b.source, b.side, b.negated, b.ref,
                                                 first and b.founds, self.last.get(b.source, ""), b.contrasts), ctx)
            source, side, cites = b.source, b.side, b.cites
        if stance in ("asserts", "supports"):
            self.asserters |= {x for x in (source, cites) if x}
        if stance == "denies":  # whoever denies speaks as the accused from now on
            self.accused |= {x for x in (side, source) if x}
        if source and stance != "no_comment":
            self.last[source] = stance
        return stance, rule


Loader = Callable[[Sequence[str]], dict[str, list[Member]]]


def loader(fetch: Callable[[Sequence[str]], dict[str, list[dict[str, Any]]]]) -> Loader:
    """``Repository.stance_history`` (claim id -> stored stance rows) -> a ``Loader``."""

    def load(claim_ids: Sequence[str]) -> dict[str, list[Member]]:
        out: dict[str, list[Member]] = {}
        for cid, rows in fetch(claim_ids).items():
            out[cid] = [_member(r) for r in rows]
        return out

    return load


def _member(r: dict[str, Any]) -> Member:
    basis = Basis.from_json(r["basis"], content=r["content_text"], cue=r["cue_text"], type=r["type"],
                            negated=bool(r["negated"])) if r["basis"] else None
    return Member(article_order(r["published"], r["content_hash"]), r["article_id"], int(r["seq"]), basis,
                  r["stance"], r["rule"] or "", r["source_name"] or r["source_text"] or "", r["cites"] or "")


@dataclass
class Histories:
    """Claim id -> its running state, and the members decided since the store last took
    them (``flush``); a claim's whole history is loaded from the store (``load``) only when
    it has to be decided again."""

    load: Loader | None = None
    _states: dict[str, _State] = field(default_factory=dict)  # absent: decide all again on next use
    _pending: dict[str, list[Member]] = field(default_factory=dict)  # decided, not yet stored
    _whole: dict[str, list[Member]] = field(default_factory=dict)  # whole histories, until ``flush``
    _updates: dict[tuple[str, int], tuple[str, str, str]] = field(default_factory=dict)
    _merged: set[str] = field(default_factory=set)  # decided apart until now: every member again
    late: set[str] = field(default_factory=set)  # articles published before members their claims had

    def _history(self, claim: str) -> list[Member]:
        """Every member of ``claim`` known: stored ones (loaded once until ``flush``) and pending ones."""
        if claim not in self._whole:
            stored = (self.load([claim]).get(claim, []) if self.load else [])
            keys = {m.key for m in stored}
            self._whole[claim] = sorted(stored + [m for m in self._pending.get(claim, []) if m.key not in keys],
                                        key=lambda m: m.key)
        return self._whole[claim]

    def start(self, claim: str) -> None:
        """``claim`` was founded just now: it has no stored members to load."""
        self._whole.setdefault(claim, [])
        self._states.setdefault(claim, _State())

    def merge(self, drop: str, keep: str) -> None:
        """``drop`` became part of ``keep``: one history, decided again in order."""
        both = sorted(self._history(keep) + self._history(drop), key=lambda m: m.key)
        self._whole[keep] = both
        self._pending[keep] = self._pending.get(keep, []) + self._pending.pop(drop, [])
        self._whole.pop(drop, None)
        self._states.pop(drop, None)
        self._states.pop(keep, None)
        self._merged.add(keep)

    def decide(self, claim: str, new: list[Member]) -> None:
        """Set the stance and rule of ``new`` (one article's members of ``claim``, in article
        order); members known before whose stance changes become updates."""
        state = self._states.get(claim)
        in_order = state is not None and (state.latest is None or state.latest < new[0].key)
        if state is not None and (in_order or state.size > REPLAY_LIMIT):
            if not in_order:
                self.late.add(new[0].article)
            state.decide_article(new)
            if claim in self._whole:
                whole = self._whole[claim] + new
                self._whole[claim] = whole if in_order else sorted(whole, key=lambda m: m.key)
        else:
            known = self._history(claim)
            if known and known[-1].key > new[0].key:
                self.late.add(new[0].article)
            members = sorted(known + new, key=lambda m: m.key)
            before = {m.key: (m.stance, m.rule) for m in known}
            # members before the new article were decided in order already, unless the claim
            # is two claims merged: only what follows the new article is decided again
            start = None if claim in self._merged else new[0].key
            self._merged.discard(claim)
            state = _State()
            for _, group in groupby(members, key=lambda m: (m.order, m.article)):
                part = list(group)
                state.decide_article(part, known=start is not None and part[0].key < start)
            for m in known:
                if m.basis is not None and (m.stance, m.rule) != before[m.key]:
                    self._updates[(m.article, m.seq)] = (claim, m.stance, m.rule)
            self._states[claim] = state
            self._whole[claim] = members
        self._pending.setdefault(claim, []).extend(new)

    def flush(self) -> None:
        """The store holds every member decided so far: keep only the running states."""
        if self.load is not None:
            self._pending.clear()
            self._whole.clear()

    def forget(self, claims: Iterable[str]) -> None:
        """The claims are gone (their articles are linked again)."""
        gone = set(claims)
        for cid in gone:
            self._states.pop(cid, None)
            self._pending.pop(cid, None)
            self._whole.pop(cid, None)
        self._merged -= gone
        self._updates = {k: v for k, v in self._updates.items() if v[0] not in gone}

    def stances(self, claim: str) -> set[str]:
        state = self._states.get(claim)
        return set(state.stances) if state else set()

    def take_updates(self) -> list[tuple[str, int, str, str, str]]:
        """(article id, seq, claim id, stance, rule) of stored or earlier members whose stance
        changed since the last call."""
        out = [(art, seq, cid, stance, rule) for (art, seq), (cid, stance, rule) in sorted(self._updates.items())]
        self._updates = {}
        return out
