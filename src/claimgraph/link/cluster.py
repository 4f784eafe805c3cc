"""Pure clustering logic: content vectors + actors -> claims, incrementally, by nearest centroid.

A claim is held as a ``ClaimState`` (a running centroid of its members' unit vectors, its
actors, the sources asserting it). ``score(vec, actors, state)`` is the cosine to the
centroid plus a bonus for shared actors; a content joins the best claim scoring at least
``Thresholds.attach``, else founds a new claim whose id is a hash of its normalised
content (``claim_id``), so the same founding text always yields the same id.
``merge_pairs`` finds claims whose centroids have come within ``Thresholds.merge`` of each
other; ``merge`` folds one into the other (the larger, ties to the smaller id survives), so
the partition does not hinge on which of two bridging articles arrived first.
``CentroidIndex`` holds the claims' unit centroids in one matrix, so that finding the stored
claims within reach of a content costs one matrix product, not a Python loop over them all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..records import Claim

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Thresholds:
    attach: float = 0.5  # score needed to join an existing claim rather than found one
    attach_known: float = 0.65  # score needed to join a claim known from other articles
    merge: float = 0.80  # centroid cosine at which two claims are one
    actor_bonus: float = 0.0  # added for full actor overlap (Jaccard-weighted)
    actor_penalty: float = 0.05  # taken off when both sides name actors and share none, and
    # when an assertion opens with an actor the claim's statements never named
    detail_penalty: float = 0.4  # taken off when the claim's founder names a country the content leaves out
    source_bonus: float = 0.0  # the source already took a stance on the claim
    adjacent_bonus: float = 0.2  # the same source's previous statement, a paragraph away at most
    paragraph_bonus: float = 0.07  # another statement of the same paragraph is about the claim
    context_weight: float = 0.3  # share of the paragraph's vector in a content's vector
    dependent_bonus: float = 0.0  # more for contents that lean on context ("We have photographs")
    elaboration: float = 0.0  # cosine a context-dependent statement needs to its source's last claim
    reaction_relief: float = 0.25  # lower bar for denials, doubts and non-answers: they answer a claim
    subject_penalty: float = 0.2  # taken off when an assertion's grammatical subject is an actor no
    # statement of the claim has as its subject (or agent): a proposition about another actor


@dataclass
class ClaimState:
    """A claim while linking: mutable, turned into a frozen ``Claim`` for the store."""

    id: str
    label: str
    vector: Vector
    size: int = 0
    weight: int = 0  # members that contributed to the centroid
    actors: tuple[str, ...] = ()
    first_seen: str | None = None
    contested: bool = False
    sources: set[str] = field(default_factory=set)  # every source with a stance on it
    weak_label: bool = False  # labelled by a reaction ("the report"); the first assertion relabels it
    subjects: set[str] = field(default_factory=set)  # actors its assertions have as grammatical subject

    @classmethod
    def from_claim(cls, c: Claim) -> ClaimState:
        vec = np.asarray(c.vector, dtype=np.float32) if c.vector else np.zeros(0, dtype=np.float32)
        weight = c.weight if c.weight is not None else max(c.size, 1)  # a claim stored before weights were
        return cls(c.id, c.label, vec, c.size, weight if c.vector else 0, c.actors, c.first_seen, c.contested,
                   set(c.sources), c.weak_label, set(c.subjects))

    def to_claim(self) -> Claim:
        # each float32 as the shortest decimal that reads back as the same float32
        vec = tuple(float(str(x)) for x in self.vector.astype(np.float32))
        return Claim(self.id, self.label, self.actors, self.first_seen, self.contested, vec, self.size,
                     tuple(sorted(self.subjects)), self.weight, self.weak_label, tuple(sorted(self.sources)))

    def unit(self) -> Vector:
        n = float(np.linalg.norm(self.vector)) if self.vector.size else 0.0
        return self.vector / n if n else self.vector

    def add_vector(self, vec: Vector) -> None:
        """Running mean of member vectors (each a unit vector)."""
        if self.weight == 0 or self.vector.size != vec.size:
            self.vector, self.weight = vec.astype(np.float32).copy(), 1
            return
        self.vector = ((self.vector * self.weight + vec) / (self.weight + 1)).astype(np.float32)
        self.weight += 1


# -- ids and labels ---------------------------------------------------------------------

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_LEAD = re.compile(r"^(?:that|whether|if)\s+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lowercase words only: the form claim ids are hashed from."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().translate(_QUOTES)))


def claim_id(text: str) -> str:
    """Founding content -> a stable claim id ("c-" + 12 hex digits)."""
    return "c-" + hashlib.sha1(normalise(text).encode()).hexdigest()[:12]


_SUBJECT_PRONOUN = re.compile(r"^(?:it|he|she|they)\b(?=\s+\w)", re.IGNORECASE)


# what an accusation's content reads as in a label: "accused X of shelling Y" -> "X shelling Y";
# "blamed X for Y" -> "X responsible for Y"
_ACCUSED_OF = re.compile(r"^(.+?)\s+of\s+(?=\w+ing\b)")
_BLAMED_FOR = re.compile(r"^(.+?)\s+for\s+")


def make_label(text: str, max_words: int = 16, source: str = "", cue: str = "") -> str:
    """Content -> a short label: quotes and a leading "that" dropped, first letter capital; a
    leading "it"/"he"/"she"/"they" of reported speech is the source ("NATO would step up patrols");
    an accusation's "X of doing Y" (``cue`` "accused", "charged", "suspected") reads "X doing Y",
    a blame's "X for Y" reads "X responsible for Y"."""
    t = " ".join(text.translate(_QUOTES).replace('"', "").split())
    t = _LEAD.sub("", t).strip(" ,;:.")
    verb = cue.lower().split()[-1] if cue.strip() else ""
    if verb.startswith(("accus", "charg", "suspect")):
        t = _ACCUSED_OF.sub(r"\1 ", t, count=1)
    elif verb.startswith("blam"):
        t = _BLAMED_FOR.sub(r"\1 responsible for ", t, count=1)
    if source and not _SUBJECT_PRONOUN.match(source):
        t = _SUBJECT_PRONOUN.sub(source, t, count=1)
    words = t.split()
    if len(words) > max_words:
        t = " ".join(words[:max_words]).rstrip(",;:") + " ..."
    return t[:1].upper() + t[1:] if t else t


# -- scoring and attachment ---------------------------------------------------------------


def actor_overlap(a: tuple[str, ...] | set[str], b: tuple[str, ...] | set[str]) -> float | None:
    """Jaccard overlap of two actor sets; None when either is empty."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return None
    return len(sa & sb) / len(sa | sb)


def score(vec: Vector, actors: tuple[str, ...], state: ClaimState, th: Thresholds,
          source: str = "", extra: float = 0.0) -> float:
    """Similarity of one content to a claim: cosine to the centroid, adjusted by shared
    actors, by the source having spoken on the claim before, and by ``extra`` (discourse hints)."""
    if state.vector.size != vec.size or state.weight == 0:
        return -1.0
    s = float(np.dot(vec, state.unit())) + extra
    ov = actor_overlap(actors, state.actors)
    if ov is not None:
        s += th.actor_bonus * ov if ov > 0 else -th.actor_penalty
    if source and source in state.sources:
        s += th.source_bonus
    return s


def nearest(vec: Vector, actors: tuple[str, ...], states: list[ClaimState], th: Thresholds,
            source: str = "", hints: dict[str, float] | None = None) -> tuple[ClaimState | None, float]:
    """The best-scoring claim and its score; ties broken by claim id for determinism."""
    best: ClaimState | None = None
    best_s = -2.0
    hints = hints or {}
    for st in sorted(states, key=lambda s: s.id):
        s = score(vec, actors, st, th, source, hints.get(st.id, 0.0))
        if s > best_s + 1e-9:
            best, best_s = st, s
    return best, best_s


def found(text: str, vec: Vector, actors: tuple[str, ...], date: str | None, source: str = "",
          cue: str = "") -> ClaimState:
    """A new claim founded by one content (``source`` names its speaker and ``cue`` is its
    reporting verb, both for the label)."""
    return ClaimState(claim_id(text), make_label(text, source=source, cue=cue), vec.astype(np.float32).copy(),
                      0, 1, actors, date)


def add_member(state: ClaimState, vec: Vector | None, actors: tuple[str, ...],
               date: str | None) -> None:
    """Count one more attribution in ``state``; a propositional one also moves the centroid."""
    state.size += 1
    if vec is not None:
        state.add_vector(vec)
        if not state.actors:  # the founder's actors define the claim; borrow the first found
            state.actors = actors
    if date and (state.first_seen is None or date < state.first_seen):
        state.first_seen = date


# -- merging ----------------------------------------------------------------------------


def about_others(a: ClaimState, b: ClaimState) -> bool:
    """Both claims' assertions have actors as subjects and share none: each states something
    about a different actor ("the United States would lift tariffs", "the EU would buy gas")."""
    return bool(a.subjects) and bool(b.subjects) and not a.subjects & b.subjects


def merge_pairs(states: Mapping[str, ClaimState] | Iterable[ClaimState], touched: set[str], th: Thresholds,
                index: CentroidIndex | None = None) -> list[tuple[str, str]]:
    """(absorbed id, surviving id) for touched claims whose centroids reach ``th.merge``,
    unless their assertions are about different actors (``about_others``). With ``index``
    (holding every state's current centroid), only the claims it finds within reach are
    compared; the pairs are the same."""
    by_id = states if isinstance(states, Mapping) else {s.id: s for s in states}
    out: list[tuple[str, str]] = []
    gone: set[str] = set()
    order = sorted(c for c in touched if c in by_id and by_id[c].weight)
    near = index.near_each([by_id[c] for c in order], th.merge) if index is not None else [by_id] * len(order)
    for aid, reach in zip(order, near, strict=True):
        a = by_id[aid]
        if aid in gone:
            continue
        for bid in sorted(reach):
            b = by_id.get(bid)
            if b is None or not b.weight or bid == aid or bid in gone or aid in gone \
                    or b.vector.size != a.vector.size:
                continue
            if float(np.dot(a.unit(), b.unit())) >= th.merge and not about_others(a, b):
                keep, drop = survivor(a, b)
                out.append((drop.id, keep.id))
                gone.add(drop.id)
    return out


def survivor(a: ClaimState, b: ClaimState) -> tuple[ClaimState, ClaimState]:
    """(kept, absorbed): the larger claim survives; on a tie the smaller id does."""
    if (a.size, b.id) > (b.size, a.id) or (a.size == b.size and a.id < b.id):
        return a, b
    return b, a


def merge(keep: ClaimState, drop: ClaimState) -> None:
    """Fold ``drop`` into ``keep``: weighted centroid, union of sources and subjects."""
    w = keep.weight + drop.weight
    if w and keep.vector.size == drop.vector.size:
        keep.vector = ((keep.vector * keep.weight + drop.vector * drop.weight) / w).astype(np.float32)
    keep.weight, keep.size = w, keep.size + drop.size
    keep.sources |= drop.sources
    keep.subjects |= drop.subjects
    keep.contested = keep.contested or drop.contested
    earlier = drop.first_seen and (keep.first_seen is None or drop.first_seen < keep.first_seen)
    if earlier:
        keep.first_seen = drop.first_seen
    # the label of the earlier claim, unless only a reaction named it ("the report")
    if (earlier and not drop.weak_label) or (keep.weak_label and not drop.weak_label):
        keep.label, keep.weak_label = drop.label, False


# -- the centroid index -------------------------------------------------------------------


class _Block:
    """Unit centroids of one dimension, a row per claim; a dropped row takes the last one's place."""

    def __init__(self, ids: list[str], units: npt.NDArray[np.float32]) -> None:
        self.mat = units
        self.ids = ids
        self.row = {cid: r for r, cid in enumerate(ids)}

    def put(self, cid: str, unit: Vector) -> None:
        r = self.row.get(cid)
        if r is None:
            r = len(self.ids)
            if r == len(self.mat):  # grow by a quarter: a large store's matrix is never held twice over
                grown = np.zeros((max(64, r + r // 4), self.mat.shape[1]), dtype=np.float32)
                grown[:r] = self.mat
                self.mat = grown
            self.ids.append(cid)
            self.row[cid] = r
        self.mat[r] = unit

    def drop(self, cid: str) -> None:
        r = self.row.pop(cid)
        last = len(self.ids) - 1
        if r != last:
            moved = self.ids[last]
            self.mat[r], self.ids[r], self.row[moved] = self.mat[last], moved, r
        self.ids.pop()

    def near(self, vecs: npt.NDArray[np.float32], floor: float) -> list[list[str]]:
        sims = vecs @ self.mat[:len(self.ids)].T
        return [[self.ids[i] for i in np.flatnonzero(row >= floor)] for row in sims]


class CentroidIndex:
    """The unit centroids of claims (those with a vector), one matrix per dimension.

    ``near(vec, floor)`` lists the claims whose centroid cosine to ``vec`` reaches ``floor``
    with one matrix product, so that placing an article among N stored claims costs no N
    Python-level scores. It finds candidates only; callers score them exactly. The product
    sums in another order than ``np.dot`` and may differ in the last bits, so ``near`` reaches
    ``SLACK`` below the floor and never misses a claim the exact score would keep. Its owner
    calls ``put`` for every claim whose centroid changed and ``drop`` for every claim gone."""

    SLACK = 1e-4

    def __init__(self, states: Iterable[ClaimState] = ()) -> None:
        self._blocks: dict[int, _Block] = {}
        self._dim: dict[str, int] = {}
        by_dim: dict[int, list[ClaimState]] = {}
        for st in states:
            if st.weight and st.vector.size:
                by_dim.setdefault(st.vector.size, []).append(st)
        for dim, group in by_dim.items():  # each matrix in one allocation
            units = np.zeros((len(group), dim), dtype=np.float32)
            for r, st in enumerate(group):
                units[r] = st.unit()
            self._blocks[dim] = _Block([st.id for st in group], units)
            self._dim.update((st.id, dim) for st in group)

    def __len__(self) -> int:
        return len(self._dim)

    def __contains__(self, cid: object) -> bool:
        return cid in self._dim

    def put(self, st: ClaimState) -> None:
        """Index ``st``'s current centroid (nothing while it has none)."""
        if st.weight == 0 or st.vector.size == 0:
            self.drop(st.id)
            return
        dim = st.vector.size
        if self._dim.get(st.id, dim) != dim:
            self.drop(st.id)
        self._blocks.setdefault(dim, _Block([], np.zeros((0, dim), dtype=np.float32))).put(st.id, st.unit())
        self._dim[st.id] = dim

    def drop(self, cid: str) -> None:
        dim = self._dim.pop(cid, None)
        if dim is not None:
            self._blocks[dim].drop(cid)

    def near(self, vec: Vector, floor: float) -> list[str]:
        """Ids of the claims whose centroid cosine to the unit vector ``vec`` may reach ``floor``."""
        block = self._blocks.get(vec.size)
        return block.near(vec[None, :], floor - self.SLACK)[0] if block is not None and block.ids else []

    def near_each(self, states: Sequence[ClaimState], floor: float) -> list[list[str]]:
        """``near`` for each state's unit centroid, with one product per dimension."""
        out: list[list[str]] = [[] for _ in states]
        by_dim: dict[int, list[int]] = {}
        for k, st in enumerate(states):
            by_dim.setdefault(st.vector.size, []).append(k)
        for dim, ks in by_dim.items():
            block = self._blocks.get(dim)
            if block is None or not block.ids:
                continue
            found = block.near(np.stack([states[k].unit() for k in ks]), floor - self.SLACK)
            for k, ids in zip(ks, found, strict=True):
                out[k] = ids
        return out
