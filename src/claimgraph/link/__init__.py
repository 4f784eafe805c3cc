"""Linking: an article's attributions -> claims (one proposition across articles) + a stance each.

``ClaimLinker.from_claims(known_claims)`` holds the claims already stored (their centroid
vectors included); ``link(result)`` returns the article's result with ``claim``,
``stance``, ``stance_target`` and ``stance_rule`` set on every attribution and
``claims`` holding the claims it created or updated. Per article:

1. contents that state a proposition are embedded (``embed``) and given actors (``actors``);
2. within the article, a denial or doubt joins the claim of the statement it answers: the
   latest statement from another side that names the reacting party and comes close
   enough to the reaction; a denial by a party the article has neither named nor quoted
   before ("Russia denied any involvement") answers a claim made elsewhere, and founds a
   claim for stage two to place; a bare feeling ("gravely concerned") joins the article's lead;
   any other content joins the nearest claim founded earlier in
   the article when close enough (discourse hints: same source a paragraph away, same
   paragraph; none, and a penalty, for an assertion whose grammatical subject is an actor
   none of the claim's statements is about), else founds one (``cluster``); then each
   claim the article founded joins the stored claim its centroid reaches, else is stored
   as new; a stored claim takes at most one claim of the article, so that what the article
   keeps apart stays apart, and never one whose assertions are about other actors (the
   claims' ``subjects``). Clustering the article on its own first keeps the result close
   to independent of ingest order;
3. contents that point at a statement ("the accusation", "We have not seen that") join the
   claim of the statement they target (``refs``); plain no-comment lines, the claim of the
   article's lead statement;
4. claims whose centroids have converged are merged; ``take_merges()`` hands the
   (absorbed, surviving) id pairs to the store (``Repository.merge_claims``);
5. stances follow from cues, negation, who the claim is about and what came before on it,
   in publication order (``stance``, ``history``); ``take_updates()`` hands the stances of
   earlier statements that changed to the store, and ``take_late()`` the articles published
   before statements their claims had (``pipeline.Linker`` links their story again).

Every threshold and bonus lives in ``cluster.Thresholds`` (tuned on the development set
with ``python -m claimgraph.link.evalgold devset/gold``). A linker built in a new process
knows stored claims by centroid, label and actors; pass ``history=repo.stance_history`` so
that stances are decided on each claim's whole history, in publication order
(``history``), and hand ``take_updates()`` to the store.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..records import Article, ArticleResult, Attribution, Claim, Entity
from . import cluster as cl
from .actors import actors_of, canonical, first_position, grammatical_subject, table_actors
from .embed import Embedder, get_embedder
from .history import Basis, Histories, Loader, Member, article_order
from .refs import Reference, View, about, pick_target, proposition_text, reference_of
from .stance import denial_cue, reaction_kind

__all__ = ["ClaimLinker"]

# vectors of the texts linked last, kept for articles linked again (``pipeline.Linker.relink``):
# about 1.5 kB each, enough for a story of a few hundred articles. Kept per article: a text two
# articles share (wire copy) is encoded in each article's own batch, and batches differ in the
# last bits, so an article linked again gets exactly the vectors it was first linked with
RECENT_VECTORS = 16_384

_WIRE_WORDS = ("wire", "reuters", "associated press", "afp", "agence", "bloomberg", "news agency",
               "xinhua", "tass", "interfax", "press association", "ap ")


@dataclass
class _Item:
    """One attribution while its article is being linked."""

    att: Attribution
    view: View
    ref: Reference | None
    text: str
    actors: tuple[str, ...]
    vec: cl.Vector | None = None
    claim: str | None = None
    target: int | None = None
    founds: bool = False
    opened: bool = False  # founded a claim within its article (``founds`` may be reset by stage two)
    contrast: bool = False  # introduced by ', while' / ', whereas' after another statement
    kind: str | None = None  # reaction_kind: non_answer, feeling, agrees, opposes; None for an assertion
    subject: str = ""  # the actor its main clause is about (``grammatical_subject``), for propositions

    @property
    def propositional(self) -> bool:
        """States a proposition of its own: neither a reference to a statement nor a non-answer."""
        return self.ref is None and self.att.type != "no_comment"


@dataclass
class ClaimLinker:
    """Cross-article claim state; ``link`` is called once per article, in ingest order."""

    states: dict[str, cl.ClaimState] = field(default_factory=dict)
    thresholds: cl.Thresholds = field(default_factory=cl.Thresholds)
    embedder_name: str | None = None
    use_ner: bool = True
    aliases: dict[str, str] = field(default_factory=dict)
    histories: Histories = field(default_factory=Histories)
    _merges: list[tuple[str, str]] = field(default_factory=list)
    _local: dict[str, cl.ClaimState] = field(default_factory=dict)  # claims founded by this article
    _embedder: Embedder | None = None
    _recent: OrderedDict[tuple[str, str], np.ndarray] = field(default_factory=OrderedDict)  # (article, text) -> vector
    _index: cl.CentroidIndex = field(init=False, repr=False)  # the centroids of ``states``, kept where they change

    def __post_init__(self) -> None:
        self._index = cl.CentroidIndex(self.states.values())

    @classmethod
    def from_claims(cls, claims: Iterable[Claim], *, embedder: str | None = None,
                    thresholds: cl.Thresholds | None = None, use_ner: bool = True,
                    history: Loader | None = None) -> ClaimLinker:
        """Stored claims (and what loads their members' stances, ``Repository.stance_history``)
        -> a linker that extends them."""
        states = {c.id: cl.ClaimState.from_claim(c) for c in claims}
        return cls(states, thresholds or cl.Thresholds(), embedder, use_ner, histories=Histories(history))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    def resolve(self, claim_id: str) -> str:
        """A claim id, following merges, -> the id of the claim it now belongs to."""
        while claim_id in self.aliases:
            claim_id = self.aliases[claim_id]
        return claim_id

    def take_updates(self) -> list[tuple[str, int, str, str, str]]:
        """(article id, seq, claim id, stance, rule) of attributions linked before whose stance
        changed because an earlier report arrived or their claim merged; the store applies them."""
        return [(art, seq, self.resolve(cid), stance, rule)
                for art, seq, cid, stance, rule in self.histories.take_updates()]

    def take_late(self) -> set[str]:
        """Articles linked since the last call that were published before members their
        claims had: their stories are linked again in publication order (``pipeline.Linker``)."""
        late, self.histories.late = self.histories.late, set()
        return late

    def flush(self) -> None:
        """The store holds every statement linked so far: from now on, load a claim's members
        from it when they are needed, and keep only each claim's running stance state."""
        self.histories.flush()

    def forget(self, claims: set[str]) -> None:
        """Drop ``claims`` (their articles are about to be linked again)."""
        for cid in claims:
            self.states.pop(cid, None)
            self._index.drop(cid)
        self.histories.forget(claims)

    def take_merges(self) -> list[tuple[str, str]]:
        """(absorbed, surviving) claim ids merged since the last call; the store applies them."""
        out, self._merges = self._merges, []
        return out

    # -- the per-article pass -----------------------------------------------------------

    def link(self, result: ArticleResult) -> ArticleResult:
        """One article's result -> the same with claims and stances set."""
        if not result.attributions:
            return result
        items = self._items(result)
        date = (result.article.published or "")[:10] or None
        touched: set[str] = set()
        self._local = {}
        self._cluster(items, date, touched)
        self._resolve_references(items, date, touched)
        self._attach_local(items, touched)
        self._merge(items, touched)
        atts = self._stances(items, result)
        for cid in touched:
            self.states[cid].contested = _contested(self.histories.stances(cid))
            self._index.put(self.states[cid])
        claims = tuple(self.states[c].to_claim() for c in sorted(touched) if c in self.states)
        return _replace(result, atts, claims)

    def _items(self, result: ArticleResult) -> list[_Item]:
        entities = {e.key: e for e in result.entities}
        paras = result.article.paragraphs
        known_actors = dict(result.actors)
        items = []
        for a in result.attributions:
            src = a.source_name or (a.source.text if a.source else "") or ""
            mention = a.source.text if a.source else ""
            ent = entities.get(a.source_entity or "")
            ref = reference_of(a.content.text)
            text = proposition_text(a.content.text)
            names = _names_inside(result, a)
            actors = actors_of(text, names, use_ner=self.use_ner, ner=known_actors.get(text))
            view = View(src, mention, _side(src, mention, ent), a.cue.text, _is_wire(src), ref is not None,
                        _paragraph(a.content.start, paras), actors)
            lead = result.article.text[max(0, (a.source or a.cue).start - 16):(a.source or a.cue).start]
            item = _Item(a, view, ref, text, actors, contrast=bool(_CONTRAST.search(lead)))
            if item.propositional:
                item.subject = grammatical_subject(text)
            items.append(item)
        self._embed(items, result.article, paras, dict(result.vectors))
        return items

    def _embed(self, items: list[_Item], article: Article, paras: tuple[tuple[int, int], ...],
               known: dict[str, tuple[float, ...]]) -> None:
        """Vectors for propositional contents: the content mixed with its paragraph."""
        live = [it for it in items if it.propositional]
        if not live:
            return
        ctx = [_paragraph_text(article.text, paras, it.view.paragraph) or it.text for it in live]
        uniq = list(dict.fromkeys([it.text for it in live] + ctx))
        # computed with the analysis (maybe on a worker) by the default backend: use them
        # when this linker uses that backend too; an article linked again finds them kept
        if self.embedder_name is None and all(u in known for u in uniq):
            vecs = {u: np.asarray(known[u], dtype=np.float32) for u in uniq}
        elif all((article.content_hash, u) in self._recent for u in uniq):
            vecs = {u: self._recent[(article.content_hash, u)] for u in uniq}
        else:  # one batch per article, as ``prepare`` encodes it, so that the vectors are the same
            vecs = dict(zip(uniq, self.embedder.encode(uniq), strict=True))
        for u, v in vecs.items():
            self._recent[(article.content_hash, u)] = v
            self._recent.move_to_end((article.content_hash, u))
        while len(self._recent) > RECENT_VECTORS:
            self._recent.popitem(last=False)
        w = self.thresholds.context_weight
        for it, c in zip(live, ctx, strict=True):
            v = (1 - w) * vecs[it.text] + w * vecs[c]
            n = float(np.linalg.norm(v))
            it.vec = (v / n if n else v).astype(np.float32)

    def _cluster(self, items: list[_Item], date: str | None, touched: set[str]) -> None:
        for i, it in enumerate(items):
            if it.vec is None:
                self._refer(items, i, date, touched)
                continue
            it.kind = reaction_kind(it.text, it.att.cue.text, it.att.type)
            reaction, opposes = it.kind is not None, it.kind == "opposes"
            it.target = self._answered(items, i) if opposes else None
            if it.target is None and it.contrast and i > 0 and items[i - 1].claim is not None \
                    and items[i - 1].view.source != it.view.source and items[i - 1].view.paragraph == it.view.paragraph:
                it.target = i - 1  # 'A said X, while B called it Y': B answers A
            best: cl.ClaimState | None
            if it.target is None and it.kind == "feeling":  # "gravely concerned": by the news the article leads with
                it.target = _lead(items[:i])
            if it.target is not None:
                best = self._state(str(items[it.target].claim))
            elif opposes and denial_cue(it.att.cue.text) and _unheard(items, i):
                best = None  # answers a claim made elsewhere: founds one, for stage two to place
            else:
                best = self._best_claim(items, i, touched, reaction)
                if best is None:
                    best = self._context_claim(items, i)
            if best is None:
                best = cl.found(it.text, it.vec, it.actors, date, it.view.source, it.att.cue.text)
                best = self._local.setdefault(best.id, best)
                best.weak_label = best.weak_label or reaction
                it.founds = it.opened = True
            elif best.weak_label and not reaction and _clause_like(it.text):  # a denial named it; an assertion says it
                best.label, best.weak_label = cl.make_label(it.text, source=it.view.source, cue=it.att.cue.text), False
            if not reaction and it.subject:
                best.subjects.add(it.subject)
            it.claim = best.id
            # a claim whose founder named no actor borrows a member's, but not the member's own side:
            # "the assessment drew on U.S. imagery", said by a U.S. official, does not make the U.S. its agent
            cl.add_member(best, it.vec, tuple(a for a in it.actors if a != it.view.side), date)
            best.sources.add(it.view.source)
            touched.add(best.id)

    def _best_claim(self, items: list[_Item], i: int, touched: set[str], reaction: bool) -> cl.ClaimState | None:
        """The nearest claim of this article that scores ``attach`` (less for reactions).
        An assertion whose grammatical subject is an actor that no statement of a claim has as
        its subject or agent ("Britain will impose sanctions" after "China is supplying the
        engines"; "Under the proposal, the EU would buy gas" after "the United States would
        lift tariffs") states a new proposition about that actor: it takes no discourse bonus
        for that claim and loses ``subject_penalty``.
        Another source's assertion that names who does what to whom but leaves out a country
        the claim's founding assertion names ("China is supplying the engines to Russia" after
        "the engines are routed to Russia through Kazakhstan") states the wider proposition,
        not that detail: it loses ``detail_penalty`` for that claim (``_adds_place``)."""
        it, th = items[i], self.thresholds
        assert it.vec is not None
        here = [self._local[c] for c in sorted(self._local)]
        hints = self._hints(items, i)
        subject = "" if reaction else it.subject
        if subject:
            subjects = _subjects(items[:i])
            for st in here:
                if subject not in subjects.get(st.id, ()):
                    hints[st.id] = min(0.0, hints.get(st.id, 0.0)) - th.subject_penalty
        if not reaction and len(it.actors) >= 2:
            for st in here:
                if _adds_place(st, it, items):
                    hints[st.id] = hints.get(st.id, 0.0) - th.detail_penalty
        best, s = cl.nearest(it.vec, it.actors, here, th, it.view.source, hints)
        bar = th.attach - (th.reaction_relief if reaction else 0.0)
        return best if best is not None and s >= bar else None

    def _answered(self, items: list[_Item], i: int) -> int | None:
        """The statement a denial or doubt answers: the latest earlier statement from another side
        that names the reacting source or the side it speaks for ("Kazakhstan denied ..."
        answers the report of engines routed through Kazakhstan) and is close enough to the
        reaction to be what it answers (the reaction bar, ``attach - reaction_relief``)."""
        it, th = items[i], self.thresholds
        assert it.vec is not None
        bar = th.attach - th.reaction_relief
        for j in range(i - 1, -1, -1):
            prev = items[j]
            if prev.claim is None or prev.vec is None or (it.view.side and prev.view.side == it.view.side):
                continue
            if about(prev.view, it.view) and float(np.dot(it.vec, prev.vec)) >= bar:
                return j
        return None

    def _attach_local(self, items: list[_Item], touched: set[str]) -> None:
        """Stage two: each claim founded by this article joins the known claim whose centroid
        it reaches (``attach_known``), else becomes a known claim itself. Deciding claim by
        claim, after the article is clustered on its own, keeps the in-article grouping
        independent of what was ingested before. Claims the article kept apart stay apart:
        a known claim takes at most one of them, the best-scoring pair first, so that an
        article's side claims (a route, a sanction) do not all fall into the story's main
        claim when they resemble it more than anything else known."""
        th = self.thresholds
        # what the actor and source terms can add at most: a claim below the bar by more is out of reach
        reach = th.attach_known - max(0.0, th.actor_bonus, -th.actor_penalty) - max(0.0, th.source_bonus)
        pairs = []
        locals_ = list(self._local.values())
        for local, near in zip(locals_, self._index.near_each(locals_, reach), strict=True):
            lid = local.id
            for kid in near:
                st = self.states[kid]
                if cl.about_others(local, st):  # assertions about different actors: not one proposition
                    continue
                s = cl.score(local.unit(), local.actors, st, th)
                if local.sources & st.sources:
                    s += th.source_bonus
                if s >= th.attach_known:
                    pairs.append((-s, lid, kid))
        chosen: dict[str, str] = {}
        for _s, lid, kid in sorted(pairs):
            if lid not in chosen and kid not in chosen.values():
                chosen[lid] = kid
        for lid, local in sorted(self._local.items(), key=lambda kv: _first_member(items, kv[0])):
            target = self.states[chosen[lid]] if lid in chosen else self.states.get(lid)
            if target is None:
                self.states[lid] = local
                self._index.put(local)
                self.histories.start(lid)
                continue
            cl.merge(target, local)
            self._index.put(target)
            touched.discard(lid)
            touched.add(target.id)
            for it in items:
                if it.claim == lid:
                    it.claim, it.founds = target.id, False
        self._local = {}

    def _context_claim(self, items: list[_Item], i: int) -> cl.ClaimState | None:
        """No claim is close enough: a reaction (its ``kind``) joins the claim its paragraph is about
        (a bare feeling or agreement, the one of the paragraph before too), and a
        context-dependent elaboration ("We have photographs") joins its source's previous claim."""
        it = items[i]
        assert it.vec is not None
        for j in range(i - 1, -1, -1):
            prev = items[j]
            if prev.claim is None or it.view.paragraph - prev.view.paragraph > 1:
                continue
            st = self._state(prev.claim)
            cos = cl.score(it.vec, (), st, self.thresholds)
            # a reaction answers its paragraph; "gravely concerned", "a similar conclusion", the report before it
            if it.kind is not None and (prev.view.paragraph == it.view.paragraph or it.kind in ("feeling", "agrees")):
                return st
            if prev.view.source == it.view.source and _dependent(it) and cos >= self.thresholds.elaboration:
                return st
        return None

    def _state(self, claim_id: str) -> cl.ClaimState:
        return self._local.get(claim_id) or self.states[claim_id]

    def _hints(self, items: list[_Item], i: int) -> dict[str, float]:
        """Discourse bonuses per claim id: the same source's previous statement nearby, and
        statements of the same paragraph."""
        th, me = self.thresholds, items[i].view
        hints: dict[str, float] = {}
        for j in range(i - 1, -1, -1):
            prev = items[j]
            if prev.claim is None or me.paragraph - prev.view.paragraph > 1:
                continue
            if prev.view.paragraph == me.paragraph:
                hints[prev.claim] = max(hints.get(prev.claim, 0.0), th.paragraph_bonus)
            if prev.view.source == me.source:
                extra = th.dependent_bonus if _dependent(items[i]) else 0.0
                hints[prev.claim] = hints.get(prev.claim, 0.0) + th.adjacent_bonus + extra
                break
        return hints

    def _refer(self, items: list[_Item], i: int, date: str | None, touched: set[str]) -> None:
        """A reference or non-answer joins the claim of the statement it targets, when that
        statement comes earlier in the article."""
        it = items[i]
        target = None
        if it.ref is not None:
            views = [x.view for x in items]
            target = pick_target(it.ref, i, views, _owner_side(it.ref), _main_index(items[:i]))
        if target is None and it.ref is None and _asks_detail(it.att.content.text):
            # "declined to say whether ...": a question about the same source's last statement
            target = _own_previous(items, i)
        claim = items[target].claim if target is not None else None
        if claim is not None:
            self._join(it, target, claim, date, touched)

    def _join(self, it: _Item, target: int | None, claim: str, date: str | None, touched: set[str]) -> None:
        it.target, it.claim = target, claim
        st = self._state(claim)
        cl.add_member(st, None, (), date)
        st.sources.add(it.view.source)
        touched.add(claim)

    def _resolve_references(self, items: list[_Item], date: str | None, touched: set[str]) -> None:
        """What is left unlinked joins its paragraph's claim, else the article's main claim."""
        main = _main_index(items)
        for i, it in enumerate(items):
            if it.claim is not None:
                continue
            # a plain non-answer ("did not respond to requests for comment") answers the
            # article's lead statement; a reference without a target, its main claim
            target = _same_paragraph(items, i) if it.ref is not None else None
            if target is None:
                target = main if it.ref is not None else _lead(items)
            if target is not None and items[target].claim is not None:
                self._join(it, target, str(items[target].claim), date, touched)

    def _merge(self, items: list[_Item], touched: set[str]) -> None:
        for drop, keep in cl.merge_pairs(self.states, touched, self.thresholds, self._index):
            cl.merge(self.states[keep], self.states[drop])
            self.histories.merge(drop, keep)
            del self.states[drop]
            self._index.drop(drop)
            self._index.put(self.states[keep])
            self.aliases[drop] = keep
            self._merges.append((drop, keep))
            touched.discard(drop)
            touched.add(keep)
        for it in items:
            if it.claim is not None:
                it.claim = self.resolve(it.claim)

    def _stances(self, items: list[_Item], result: ArticleResult) -> list[Attribution]:
        """Each member's stance, decided on its claim's history in publication order (``history``)."""
        order = article_order(result.article.published, result.article.content_hash)
        members: dict[int, Member] = {}
        by_claim: dict[str, list[Member]] = {}
        for i, it in enumerate(items):
            if it.claim is not None:
                members[i] = Member(order, result.article.id, i, _basis(it))
                by_claim.setdefault(it.claim, []).append(members[i])
        for cid, group in by_claim.items():
            self.histories.decide(cid, group)
        out: list[Attribution] = []
        for i, it in enumerate(items):
            if i not in members:
                out.append(it.att)
                continue
            m = members[i]
            target = it.target if it.target is not None else _first_assertion(items, out, i)
            assert m.basis is not None
            out.append(it.att.with_(claim=it.claim, stance=m.stance, stance_rule=m.rule,
                                    stance_target=target if m.stance != "asserts" else it.target,
                                    stance_basis=m.basis.to_json()))
        return out


# -- helpers (private) ----------------------------------------------------------------------


def _replace(result: ArticleResult, atts: list[Attribution], claims: tuple[Claim, ...]) -> ArticleResult:
    from dataclasses import replace

    return replace(result, attributions=tuple(atts), claims=claims)


def _basis(it: _Item) -> Basis:
    """What the item's stance is decided from, besides its claim's history."""
    propositional = it.vec is not None
    return Basis(it.att.content.text, it.att.cue.text, it.att.type, it.view.source, it.view.side,
                 it.att.negated, it.ref is not None, it.opened, it.contrast and it.target is not None,
                 propositional, propositional and it.kind is None, it.actors if propositional else (),
                 it.att.cites or "")


def _contested(stances: set[str]) -> bool:
    return bool(stances & {"asserts", "supports"}) and bool(stances & {"disputes", "denies"})


def _is_wire(source: str) -> bool:
    s = f"{source.lower()} "
    return any(w in s for w in _WIRE_WORDS)


def _paragraph(offset: int, paragraphs: tuple[tuple[int, int], ...]) -> int:
    for k, (start, end) in enumerate(paragraphs):
        if start <= offset < end:
            return k
    return sum(1 for start, _ in paragraphs if start <= offset)


def _side(source: str, mention: str, entity: Entity | None) -> str:
    """Whom a source speaks for: itself when a country, else its affiliation, else the
    first country named in how the article names it ("China's embassy in London" -> China)."""
    own = canonical(source) if source else ""
    if own and own in table_actors(source):
        return own
    if entity is not None and entity.affiliation:
        return canonical(entity.affiliation)
    found = sorted(table_actors(mention), key=lambda a: first_position(mention, a))
    if found:
        return found[0]
    # a named body speaks for itself, so its people ("chief executive of Dunecrest Contracting") share its side
    return canonical(entity.name) if entity is not None and entity.type == "organization" and not entity.anonymous else ""


def _owner_side(ref: Reference) -> str:
    return canonical(ref.owner) if ref.owner and table_actors(ref.owner) else ""


_CONTRAST = re.compile(r",\s*(?:while|whereas|whilst)\s+$", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^\W*(?:we|it|they|this|these|that|those|he|she|i|our|its|their)\b", re.IGNORECASE)


_FRAGMENT_START = re.compile(r"^\W*(?:to|about|of|on|for|with|over|whether|how|what)\b", re.IGNORECASE)


def _clause_like(text: str) -> bool:
    """Reads as a statement, not a fragment ("to respect international law", "the report")."""
    return len(text.split()) >= 4 and not _FRAGMENT_START.match(text)


def _dependent(it: _Item) -> bool:
    """A content that leans on its context: it names no actor, or opens with a pronoun."""
    return not it.actors or bool(_PRONOUN_START.match(it.text))


def _paragraph_text(text: str, paras: tuple[tuple[int, int], ...], k: int) -> str:
    return text[paras[k][0]:paras[k][1]] if 0 <= k < len(paras) else ""


def _names_inside(result: ArticleResult, a: Attribution) -> list[str]:
    """Canonical names of the resolver's mentions that fall inside the content span."""
    names = {e.key: e.name for e in result.entities}
    return [names.get(m.entity_key, m.span.text) for m in result.mentions
            if a.content.start <= m.span.start and m.span.end <= a.content.end]


def _main_index(items: list[_Item]) -> int | None:
    """The first attribution of the article's biggest claim (ties: the earliest claim)."""
    counts: dict[str, int] = {}
    for it in items:
        if it.claim is not None:
            counts[it.claim] = counts.get(it.claim, 0) + 1
    if not counts:
        return None
    order = [it.claim for it in items if it.claim is not None]
    best = max(counts, key=lambda c: (counts[c], -order.index(c)))
    return next(i for i, it in enumerate(items) if it.claim == best)


def _lead(items: list[_Item]) -> int | None:
    """The article's first statement of a linked proposition (its lead)."""
    return next((j for j, it in enumerate(items) if it.vec is not None and it.claim is not None), None)


def _same_paragraph(items: list[_Item], i: int, *, before: bool = False) -> int | None:
    """The nearest other attribution of the same paragraph that states a linked proposition."""
    p = items[i].view.paragraph
    span = range(i) if before else range(len(items))
    near = [j for j in span if j != i and items[j].view.paragraph == p and items[j].vec is not None
            and items[j].claim is not None]
    return min(near, key=lambda j: abs(j - i)) if near else None


_DETAIL = re.compile(r"^\W*(?:whether|if|how|who|whom|which|when|where|why|what|them|it|this|that)\b", re.IGNORECASE)


def _asks_detail(content: str) -> bool:
    """A non-answer about one detail ("whether any were arrested", "them") rather than the story."""
    return bool(_DETAIL.match(content))


def _own_previous(items: list[_Item], i: int) -> int | None:
    """The same source's nearest earlier attribution, a paragraph away at most."""
    me = items[i].view
    for j in range(i - 1, -1, -1):
        prev = items[j].view
        if me.paragraph - prev.paragraph > 1:
            return None
        if prev.source == me.source and items[j].claim is not None:
            return j
    return None


def _subjects(items: list[_Item]) -> dict[str, set[str]]:
    """Claim id -> the actors its statements in ``items`` are about: each statement's grammatical
    subject, else the actor it names first (its agent)."""
    out: dict[str, set[str]] = {}
    for it in items:
        if it.claim is not None and it.vec is not None:
            subject = it.subject or (it.actors[0] if it.actors else "")
            if subject:
                out.setdefault(it.claim, set()).add(subject)
    return out


def _adds_place(st: cl.ClaimState, it: _Item, items: list[_Item]) -> bool:
    """The claim ``st`` was founded by another source's assertion that names a country ``it``
    does not: the claim carries a detail (a route, a place) that ``it`` leaves out."""
    if it.view.source in st.sources:
        return False
    founder = next((x for x in items if x.claim == st.id and x.founds), None)
    if founder is None or founder.kind is not None:
        return False
    return any(a not in it.actors and table_actors(a) for a in founder.actors)


def _unheard(items: list[_Item], i: int) -> bool:
    """The side reacting in ``items[i]`` has been neither named nor heard in the article before:
    what it denies ("Russia denied any involvement") was said elsewhere."""
    side = items[i].view.side
    if not side:
        return False
    return not any(side in x.actors or side in (x.view.side, x.view.source) for x in items[:i])


def _first_member(items: list[_Item], claim_id: str) -> int:
    return next((i for i, it in enumerate(items) if it.claim == claim_id), len(items))


def _first_assertion(items: list[_Item], done: list[Attribution], i: int) -> int | None:
    claim = items[i].claim
    for j in range(i):
        if items[j].claim == claim and done[j].stance in ("asserts", "supports") and j != i:
            return j
    return None


def prepare(result: ArticleResult, *, use_ner: bool = True) -> ArticleResult:
    """Compute the features ``ClaimLinker.link`` needs from one article alone (sentence
    vectors of its propositional contents and their paragraphs, named actors of each
    content), so that analysis workers can do the costly part in parallel. The vectors
    are exactly those ``link`` would compute itself: same texts, same batch."""
    from dataclasses import replace as _replace_fields

    from .actors import ner_actors

    paras = result.article.paragraphs
    texts, ctx = [], []
    actors: dict[str, tuple[str, ...]] = {}
    for a in result.attributions:
        text = proposition_text(a.content.text)
        if use_ner and text not in actors:
            actors[text] = tuple(sorted(ner_actors(text)))
        if reference_of(a.content.text) is None and a.type != "no_comment":
            texts.append(text)
            ctx.append(_paragraph_text(result.article.text, paras, _paragraph(a.content.start, paras)) or text)
    uniq = list(dict.fromkeys(texts + ctx))
    vectors: tuple[tuple[str, tuple[float, ...]], ...] = ()
    if uniq:
        encoded = get_embedder(None).encode(uniq)
        vectors = tuple((u, tuple(float(x) for x in v)) for u, v in zip(uniq, encoded, strict=True))
    return _replace_fields(result, vectors=vectors, actors=tuple(actors.items()))
