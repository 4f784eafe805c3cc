"""Records that cross stage boundaries: frozen, slotted dataclasses.

ingest -> Article; extract -> Attribution (with Span); resolve -> Entity / Mention;
link -> Claim and a stance on each Attribution. Spans are character offsets into the
article's cleaned text (``Article.text``), never token indices.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

AttributionType = Literal["direct", "indirect", "mixed", "according_to", "no_comment"]
Stance = Literal["asserts", "supports", "disputes", "denies", "no_comment"]
EntityType = Literal["person", "organization", "country", "group", "unknown"]

ATTRIBUTION_TYPES: tuple[str, ...] = ("direct", "indirect", "mixed", "according_to", "no_comment")
STANCES: tuple[str, ...] = ("asserts", "supports", "disputes", "denies", "no_comment")
ENTITY_TYPES: tuple[str, ...] = ("person", "organization", "country", "group", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of an article's cleaned text: ``text == article.text[start:end]``.

    ``fragments`` holds the pieces of a discontinuous span (content interrupted by the
    cue, say); ``start``/``end`` is then their bounding range and ``text`` the pieces
    joined by a single space.
    """

    start: int
    end: int
    text: str
    fragments: tuple[tuple[int, int], ...] = ()

    @property
    def pieces(self) -> tuple[tuple[int, int], ...]:
        return self.fragments or ((self.start, self.end),)

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    @classmethod
    def joined(cls, text: str, pieces: list[tuple[int, int]]) -> Span:
        """One span from possibly several pieces, in text order."""
        pieces = sorted(p for p in pieces if p[1] > p[0])
        if len(pieces) == 1:
            return cls.of(text, *pieces[0])
        return cls(
            pieces[0][0],
            pieces[-1][1],
            " ".join(text[s:e] for s, e in pieces),
            tuple(pieces),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. ``id`` is derived from ``content_hash`` and is stable."""

    id: str
    text: str
    content_hash: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    author: str | None = None
    paragraphs: tuple[tuple[int, int], ...] = ()  # character ranges of paragraphs in text


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who (source) says, believes or reports what (content) through which cue.

    ``source`` is None when the article gives none ("it was reported that ...").
    ``evidence`` is the span the claim is said to rest on; ``no_evidence`` marks an
    article saying that none was given. ``via`` is the channel ("as quoted by Reuters"),
    ``cites`` whom the source cites ("citing anonymous officials").
    """

    cue: Span
    content: Span
    type: AttributionType
    source: Span | None = None
    hedged: bool = False
    hedge: str | None = None
    evidence: Span | None = None
    no_evidence: bool = False
    via: str | None = None
    cites: str | None = None
    confidence: float = 1.0
    negated: bool = False
    # filled by later stages
    source_name: str | None = None  # canonical name after resolution
    source_entity: str | None = None  # entity key after resolution
    stance: Stance | None = None
    claim: str | None = None
    stance_target: int | None = None  # index of the attribution (same article) it responds to
    stance_rule: str = ""  # why the stance was given
    stance_basis: str | None = None  # what it was decided from (JSON, ``link.history.Basis``)

    def with_(self, **changes: object) -> Attribution:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical actor: a person, organisation, country or (anonymous) group."""

    key: str
    name: str
    type: EntityType = "unknown"
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False
    aliases: tuple[str, ...] = ()
    trace: tuple[str, ...] = ()  # why each resolution was made (rule, table row)


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form of an entity in one article."""

    span: Span
    entity_key: str
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A proposition stated across articles."""

    id: str
    label: str
    actors: tuple[str, ...] = ()
    first_seen: str | None = None
    contested: bool = False
    vector: tuple[float, ...] = ()  # centroid of its contents' embeddings
    size: int = 0  # attributions in the claim
    subjects: tuple[str, ...] = ()  # actors its assertions have as grammatical subject
    # the rest of the linker's state, so that a linker in a later process goes on exactly
    # as the one that stored the claim would have
    weight: int | None = None  # contents averaged into ``vector``; None: stored before it was kept
    weak_label: bool = False  # labelled by a reaction: the first assertion relabels it
    sources: tuple[str, ...] = ()  # every source with a stance on it


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything the pipeline produced for one article."""

    article: Article
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()  # claims created or updated by this article
    errors: tuple[str, ...] = field(default=())
    # features the claim linker needs, computed with the analysis (on workers when the run
    # is parallel) so the linking that must stay serial is cheap: text -> sentence vector,
    # content text -> named actors
    vectors: tuple[tuple[str, tuple[float, ...]], ...] = ()
    actors: tuple[tuple[str, tuple[str, ...]], ...] = ()
