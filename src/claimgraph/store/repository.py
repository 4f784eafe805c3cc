"""The repository: ArticleResult records in, plain row dicts out. The only module with SQL.

``Repository.open(url)`` connects and migrates; ``add(result)`` writes one article with
its entities, mentions, attributions, claims and stances in a single transaction and
refuses duplicates (same content hash or same URL) inside that transaction, so two
processes ingesting the same file store it once. Queries return dicts whose keys are
the column names, joined where a caller needs them (``attribution_rows``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, Text, and_, bindparam, delete, func, literal, or_, select, text, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StaleLinksError, StoreError
from ..records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from . import schema as s
from .engine import make_engine, read_tx, write_tx
from .fts import ARTICLE_PAGE, RANK_WINDOW, RANKED_SEARCH, RankedSearch, match_text, search_terms

Row = dict[str, Any]
Outcome = Literal["added", "duplicate", "failed"]
StanceUpdate = tuple[str, int, str, str, str]  # (article id, seq, claim id, stance, rule)


@dataclass(frozen=True, slots=True)
class AddResult:
    outcome: Outcome
    article_id: str
    attributions: int = 0
    error: str | None = None

    def checked(self) -> AddResult:
        """This outcome; a ``StoreError`` if the article could not be written."""
        if self.outcome == "failed":
            raise StoreError(self.error or "cannot store article", subject=self.article_id)
        return self


class Repository:
    """A claimgraph store on one database (SQLite file, in-memory SQLite, PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, serving: bool = False) -> Repository:
        """``serving``: the store backs a server (many reads, few writes); see ``make_engine``."""
        engine = make_engine(url, serving=serving)
        for attempt in range(8):
            try:
                if migrate:
                    s.migrate(engine)
                return cls(engine)
            except StoreError:
                raise
            except Exception as exc:
                # two processes opening a fresh SQLite file race for its first locks; SQLite
                # can answer "locked" at once instead of waiting, so try again shortly
                if "locked" in str(exc) and attempt < 7:
                    time.sleep(0.25 * 2**attempt)
                    continue
                raise StoreError(f"cannot open database {url!r}: {exc}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # --- writes ---------------------------------------------------------------------

    def add(self, result: ArticleResult, **links: Any) -> AddResult:
        """Store one article and everything found in it, atomically; skip duplicates.
        ``links`` as ``add_many`` takes them."""
        return self.add_many([result], **links)[0].checked()

    def add_many(self, results: Sequence[ArticleResult], *, merges: Sequence[tuple[str, str]] = (),
                 updates: Sequence[StanceUpdate] = (), relink: Iterable[str] = (),
                 expect: int | None = None) -> list[AddResult]:
        """Several articles in one transaction, each under its own savepoint: an article
        that fails to write is rolled back alone and reported (outcome "failed"), the
        others are kept. In the same transaction, what linking them changed in statements
        stored before (``pipeline.Linker.changes``): claims merged (as ``merge_claims``),
        stances decided again (as ``update_stances``) and the articles whose story is to be
        linked again in publication order (``pending_relinks``). A run stopped after this
        transaction leaves the store consistent and the linking that remains noted.

        ``expect``: the ``link_generation`` the results were linked at; if another writer has
        changed claims since, ``StaleLinksError`` is raised and nothing is written. The
        generation moves on by one."""
        try:
            with write_tx(self.engine) as conn:
                _next_generation(conn, self.dialect, expect)
                outcomes = [self._add_one(conn, r) for r in results]
                _merge_claims(conn, merges)
                _update_stances(conn, updates)
                _note_relinks(conn, relink)
                return outcomes
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store articles: {exc}") from exc

    def _add_one(self, conn: Connection, result: ArticleResult) -> AddResult:
        art = result.article
        dup = _duplicate_of(conn, art.content_hash, art.url)
        if dup is not None:
            return AddResult("duplicate", dup)
        try:
            with conn.begin_nested():
                _write_article(conn, result)
        except IntegrityError as exc:
            dup = _duplicate_of(conn, art.content_hash, art.url)
            if dup is not None:  # stored by a concurrent writer since our check
                return AddResult("duplicate", dup)
            return AddResult("failed", art.id, error=f"cannot store article: {exc.orig}")
        return AddResult("added", art.id, len(result.attributions))

    def delete_article(self, article_id: str) -> bool:
        """Remove a stored article and everything only it held, in one transaction: its
        statements and their stances, the claims no other statement keeps, the entities no
        other article names. The articles it shared claims with are noted to be linked again
        (``pending_relinks``), so that their story becomes what it would have been without it
        (``pipeline.Linker.finish``). False when no such article is stored."""
        a, st, m = s.attributions, s.stances, s.mentions
        try:
            with write_tx(self.engine) as conn:
                if conn.execute(select(s.articles.c.id).where(s.articles.c.id == article_id)).first() is None:
                    return False
                _next_generation(conn, self.dialect, None)
                claim_ids = _claims_of_article(conn, article_id)
                neighbours = set(conn.execute(
                    select(a.c.article_id).distinct().join(st, st.c.attribution_id == a.c.id)
                    .where(st.c.claim_id.in_(list(claim_ids)), a.c.article_id != article_id)).scalars())
                entity_ids = set(conn.execute(select(a.c.entity_id).where(a.c.article_id == article_id)).scalars())
                entity_ids |= set(conn.execute(select(m.c.entity_id).where(m.c.article_id == article_id)).scalars())
                att_ids = select(a.c.id).where(a.c.article_id == article_id)
                conn.execute(delete(st).where(st.c.attribution_id.in_(att_ids)))
                conn.execute(delete(a).where(a.c.article_id == article_id))
                conn.execute(delete(m).where(m.c.article_id == article_id))
                conn.execute(delete(s.articles).where(s.articles.c.id == article_id))
                _refresh_claims(conn, _drop_unstated(conn, claim_ids))
                entity_ids.discard(None)
                named = (set(conn.execute(select(a.c.entity_id).where(a.c.entity_id.in_(list(entity_ids)))).scalars())
                         | set(conn.execute(select(m.c.entity_id).where(m.c.entity_id.in_(list(entity_ids)))).scalars()))
                if entity_ids - named:
                    conn.execute(delete(s.entities).where(s.entities.c.id.in_(list(entity_ids - named))))
                _note_relinks(conn, neighbours)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot delete article {article_id}: {exc}") from exc
        return True

    def check(self) -> list[str]:
        """Every integrity problem found in the store; empty when it is consistent."""
        with read_tx(self.engine) as conn:
            problems = _integrity_problems(conn, self.dialect)
            problems += [p for hook in CHECK_HOOKS for p in hook(conn, self.dialect)]
        return problems

    # --- lookups used by ingest and linking -------------------------------------------

    def find_duplicate(self, content_hash: str, url: str | None) -> str | None:
        with read_tx(self.engine) as conn:
            return _duplicate_of(conn, content_hash, url)

    def known_hashes(self) -> set[str]:
        with read_tx(self.engine) as conn:
            return set(conn.execute(select(s.articles.c.content_hash)).scalars())

    def known_urls(self) -> set[str]:
        with read_tx(self.engine) as conn:
            return {u for u in conn.execute(select(s.articles.c.url)).scalars() if u}

    def all_entities(self) -> list[Entity]:
        with read_tx(self.engine) as conn:
            return [_entity(r) for r in _rows(conn.execute(select(s.entities)))]

    def all_claims(self) -> list[Claim]:
        return list(self.iter_claims())

    def iter_claims(self, *, batch: int = 1000) -> Iterator[Claim]:
        """Every stored claim, fetched ``batch`` rows at a time in one read transaction: a
        caller that keeps its own form of them (the linker's centroids) never holds every
        claim's record, with its vector as Python floats, at once."""
        with read_tx(self.engine) as conn:
            for r in conn.execute(select(s.claims).execution_options(yield_per=batch)):
                yield _claim(r._mapping)

    # --- queries ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("articles", "attributions", "entities", "mentions", "claims", "stances")
        with read_tx(self.engine) as conn:
            return {t: int(conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar() or 0)
                    for t in tables}

    def articles(self, *, limit: int = 100, offset: int = 0, outlet: str | None = None,
                 since: str | None = None, until: str | None = None) -> list[Row]:
        n_att = (select(func.count()).where(s.attributions.c.article_id == s.articles.c.id)
                 .correlate(s.articles).scalar_subquery().label("attributions"))
        q = select(*[c for c in s.articles.c if c.name not in {"text", "paragraphs"}], n_att)
        q = q.where(*_article_filters(outlet, since, until))
        q = q.order_by(s.articles.c.seq, s.articles.c.id).limit(limit).offset(offset)
        with read_tx(self.engine) as conn:
            return _rows(conn.execute(q))

    def article(self, article_id: str) -> Row | None:
        with read_tx(self.engine) as conn:
            row = conn.execute(select(s.articles).where(s.articles.c.id == article_id)).first()
            if row is None:
                row = conn.execute(select(s.articles).where(s.articles.c.id.like(f"{article_id}%"))).first()
            return dict(row._mapping) if row is not None else None

    def mentions_of_article(self, article_id: str) -> list[Row]:
        q = (select(s.mentions, s.entities.c.name.label("entity_name"), s.entities.c.key.label("entity_key"))
             .join(s.entities, s.entities.c.id == s.mentions.c.entity_id)
             .where(s.mentions.c.article_id == article_id).order_by(s.mentions.c.start))
        with read_tx(self.engine) as conn:
            return _rows(conn.execute(q))

    def attribution_rows(self, *, article_id: str | None = None, source: str | None = None,
                         entity_id: int | None = None, claim_id: str | None = None,
                         stance: str | None = None, outlet: str | None = None,
                         since: str | None = None, until: str | None = None,
                         limit: int | None = None, offset: int = 0) -> list[Row]:
        """Attributions joined with their article, entity, stance and claim."""
        q = _ATTRIBUTIONS
        conds = list(_article_filters(outlet, since, until))
        if article_id:
            conds.append(s.attributions.c.article_id == article_id)
        if source:
            like = f"%{source.lower()}%"
            conds.append(or_(func.lower(s.attributions.c.source_name).like(like),
                             func.lower(s.attributions.c.source_text).like(like),
                             func.lower(s.entities.c.name).like(like)))
        if entity_id is not None:
            conds.append(s.attributions.c.entity_id == entity_id)
        if claim_id:
            conds.append(s.stances.c.claim_id == claim_id)
        if stance:
            conds.append(s.stances.c.stance == stance)
        q = q.where(and_(*conds)) if conds else q
        q = q.order_by(s.articles.c.published, s.articles.c.seq, s.attributions.c.seq).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with read_tx(self.engine) as conn:
            return _rows(conn.execute(q))

    def attribution_rows_of_claims(self, claim_ids: Sequence[str]) -> dict[str, list[Row]]:
        """Claim ids -> each claim's joined attribution rows (as ``attribution_rows(claim_id=...)``),
        in one query rather than one per claim."""
        out: dict[str, list[Row]] = {cid: [] for cid in claim_ids}
        if not out:
            return out
        # ids first: with ``claim_id IN`` on the outer-joined stances SQLite scans every attribution
        ids = select(s.stances.c.attribution_id).where(s.stances.c.claim_id.in_(list(out)))
        q = (_ATTRIBUTIONS.where(s.attributions.c.id.in_(ids))
             .order_by(s.articles.c.published, s.articles.c.seq, s.attributions.c.seq))
        with read_tx(self.engine) as conn:
            for row in _rows(conn.execute(q)):
                out[row["claim_id"]].append(row)
        return out

    def iter_attribution_rows(self, batch: int = 500) -> Iterator[Row]:
        """Every attribution, in ingest order, streamed in batches of articles."""
        last_seq = -1
        while True:
            with read_tx(self.engine) as conn:
                ids = list(conn.execute(
                    select(s.articles.c.id, s.articles.c.seq).where(s.articles.c.seq > last_seq)
                    .order_by(s.articles.c.seq).limit(batch)))
                if not ids:
                    return
                last_seq = ids[-1].seq
                q = (_ATTRIBUTIONS.where(s.attributions.c.article_id.in_([r.id for r in ids]))
                     .order_by(s.articles.c.seq, s.attributions.c.seq))
                rows = _rows(conn.execute(q))
            yield from rows

    def entities(self, *, name: str | None = None, limit: int = 100, offset: int = 0) -> list[Row]:
        n_att = (select(func.count()).where(s.attributions.c.entity_id == s.entities.c.id)
                 .correlate(s.entities).scalar_subquery().label("attributions"))
        n_men = (select(func.count()).where(s.mentions.c.entity_id == s.entities.c.id)
                 .correlate(s.entities).scalar_subquery().label("mentions"))
        q = select(s.entities, n_att, n_men)
        if name:
            q = q.where(func.lower(s.entities.c.name).like(f"%{name.lower()}%"))
        q = q.order_by(n_att.desc(), n_men.desc(), s.entities.c.name).limit(limit).offset(offset)
        with read_tx(self.engine) as conn:
            return _rows(conn.execute(q))

    def entity(self, key_or_name: str) -> Row | None:
        with read_tx(self.engine) as conn:
            for cond in (s.entities.c.key == key_or_name,
                         func.lower(s.entities.c.name) == key_or_name.lower(),
                         func.lower(s.entities.c.name).like(f"%{key_or_name.lower()}%")):
                row = conn.execute(select(s.entities).where(cond).order_by(s.entities.c.id)).first()
                if row is not None:
                    return dict(row._mapping)
        return None

    def entity_by_id(self, entity_id: int) -> Row | None:
        with read_tx(self.engine) as conn:
            row = conn.execute(select(s.entities).where(s.entities.c.id == entity_id)).first()
            return dict(row._mapping) if row is not None else None

    def claims(self, *, contested: bool | None = None, about: str | None = None,
               limit: int = 100, offset: int = 0) -> list[Row]:
        n = s.claims.c.n_attributions
        q = select(*[c for c in s.claims.c if c.name not in _CLAIM_HIDDEN], n.label("attributions"))
        if contested is not None:
            q = q.where(s.claims.c.contested == contested)
        if about:
            q = q.where(s.claims.c.id.in_(_claims_about(about)))
        q = q.order_by(s.claims.c.contested.desc(), n.desc(), s.claims.c.first_seen, s.claims.c.id)
        with read_tx(self.engine) as conn:
            return _rows(conn.execute(q.limit(limit).offset(offset)))

    def claim(self, claim_id: str) -> Row | None:
        with read_tx(self.engine) as conn:
            row = conn.execute(_CLAIM.where(s.claims.c.id == claim_id)).first()
            return dict(row._mapping) if row is not None else None

    # --- full-text search and listings for the web UI (indexes: store/fts.py) ---------------

    def search_articles(self, query: str, *, limit: int = 20, offset: int = 0) -> list[Row]:
        """Search words -> articles holding all of them, best first (see ``fts.RANK_WINDOW``).

        Rows: id, title, outlet, published, url, snippet; ``snippet`` marks each hit
        between "\\x02" and "\\x03" so the caller can escape first, then mark up.
        """
        terms = search_terms(query)
        if not terms:
            return []
        with read_tx(self.engine) as conn:
            if (self.dialect, "articles") not in RANKED_SEARCH:
                return _rows(conn.execute(_article_like(terms, limit, offset)))
            q = match_text(self.dialect, terms)
            keys = _ranked_keys(conn, RANKED_SEARCH[self.dialect, "articles"], q, limit, offset)
            page = text(ARTICLE_PAGE[self.dialect]).bindparams(bindparam("keys", expanding=True))
            params = {"q": q, "keys": keys, "lo": min(keys, default=0), "hi": max(keys, default=0)}
            rows = _rows(conn.execute(page, params)) if keys else []
        return _in_order(rows, keys, "key")

    def search_attributions(self, query: str, *, limit: int = 20, offset: int = 0) -> list[Row]:
        """Search words -> joined attribution rows (as ``attribution_rows``) whose content,
        source or cue hold all of them, best first (see ``fts.RANK_WINDOW``)."""
        terms = search_terms(query)
        if not terms:
            return []
        with read_tx(self.engine) as conn:
            if (self.dialect, "attributions") in RANKED_SEARCH:
                search = RANKED_SEARCH[self.dialect, "attributions"]
                ids = _ranked_keys(conn, search, match_text(self.dialect, terms), limit, offset)
            else:
                ids = list(conn.execute(_attribution_like(terms, limit, offset)).scalars())
            rows = _rows(conn.execute(_ATTRIBUTIONS.where(s.attributions.c.id.in_(ids)))) if ids else []
        return _in_order(rows, ids, "id")

    def outlets(self) -> list[str]:
        """Distinct outlet names of stored articles, sorted (for filter menus)."""
        q = select(s.articles.c.outlet).where(s.articles.c.outlet.is_not(None)).distinct()
        with read_tx(self.engine) as conn:
            return sorted(str(o) for o in conn.execute(q).scalars())


    # --- claim linking (added with link/) --------------------------------------------------

    def merge_claims(self, merges: Sequence[tuple[str, str]]) -> int:
        """(absorbed id, surviving id) pairs, as ``ClaimLinker.take_merges()`` hands them over:
        the absorbed claim's stances move to the surviving claim and its row goes; returns
        the number of stances moved."""
        with write_tx(self.engine) as conn:
            _next_generation(conn, self.dialect, None)
            return _merge_claims(conn, merges)

    def stance_history(self, claim_ids: Sequence[str]) -> dict[str, list[Row]]:
        """Claim id -> its stored stances, each with its basis, attribution and article's
        publication order (``link.history.loader`` makes them a ``ClaimLinker``'s history)."""
        a, ar, st = s.attributions, s.articles, s.stances
        q = (select(st.c.claim_id, st.c.stance, st.c.rule, st.c.basis, a.c.seq, a.c.article_id, a.c.content_text,
                    a.c.cue_text, a.c.type, a.c.negated, a.c.source_name, a.c.source_text, a.c.cites,
                    ar.c.published, ar.c.content_hash)
             .join(a, a.c.id == st.c.attribution_id).join(ar, ar.c.id == a.c.article_id)
             .where(st.c.claim_id.in_(list(claim_ids))))
        out: dict[str, list[Row]] = {}
        with read_tx(self.engine) as conn:
            for r in _rows(conn.execute(q)):
                out.setdefault(r["claim_id"], []).append(r)
        return out

    def story_of(self, article_ids: Sequence[str], limit: int) -> tuple[list[str], set[str]] | None:
        """(ids of the stored articles, their claims): ``article_ids`` and the articles with
        stances on their claims, followed through the claims those articles state in turn;
        None when more than ``limit`` articles are joined so."""
        claims, articles = set[str](), set[str]()
        a, st = s.attributions, s.stances
        with read_tx(self.engine) as conn:
            more = set(conn.execute(select(s.articles.c.id).where(s.articles.c.id.in_(list(article_ids)))).scalars())
            while more:
                articles |= more
                if len(articles) > limit:
                    return None
                q = (select(st.c.claim_id).distinct().join(a, a.c.id == st.c.attribution_id)
                     .where(a.c.article_id.in_(list(more))))
                new = set(conn.execute(q).scalars()) - claims
                claims |= new
                q = (select(a.c.article_id).distinct().join(st, st.c.attribution_id == a.c.id)
                     .where(st.c.claim_id.in_(list(new))))
                more = set(conn.execute(q).scalars()) - articles
        return sorted(articles), claims

    def link_generation(self) -> int:
        """How many writes have changed claims or stances: read it before loading claims to
        link against, and pass it as ``expect`` to the write of what was linked."""
        with read_tx(self.engine) as conn:
            return _generation(conn)

    def pending_relinks(self) -> list[str]:
        """Articles whose story waits to be linked again in publication order, oldest note first."""
        q = select(s.relinks.c.article_id).order_by(s.relinks.c.noted_at, s.relinks.c.article_id)
        with read_tx(self.engine) as conn:
            return list(conn.execute(q).scalars())

    def clear_relinks(self, article_ids: Iterable[str]) -> None:
        """The stories of ``article_ids`` no longer wait (a story too large to link again)."""
        with write_tx(self.engine) as conn:
            _clear_relinks(conn, article_ids)

    def stored_results(self, article_ids: Sequence[str]) -> list[ArticleResult]:
        """Stored articles as the analysis left them, in the order of ``article_ids`` (ids not
        stored are left out): text, attributions (resolved sources included), the entities
        they name and the mentions; no claims or stances. Four queries, whatever the count."""
        ids = list(dict.fromkeys(article_ids))
        a, m, e = s.attributions, s.mentions, s.entities
        with read_tx(self.engine) as conn:
            arts = {r["id"]: r for r in _rows(conn.execute(select(s.articles).where(s.articles.c.id.in_(ids))))}
            atts: dict[str, list[dict[str, Any]]] = {aid: [] for aid in arts}
            for x in _rows(conn.execute(select(a, e.c.key.label("entity_key")).outerjoin(e, e.c.id == a.c.entity_id)
                                        .where(a.c.article_id.in_(list(arts))).order_by(a.c.article_id, a.c.seq))):
                atts[x["article_id"]].append(x)
            ments: dict[str, list[dict[str, Any]]] = {aid: [] for aid in arts}
            for x in _rows(conn.execute(select(m, e.c.key.label("entity_key")).join(e, e.c.id == m.c.entity_id)
                                        .where(m.c.article_id.in_(list(arts))).order_by(m.c.article_id, m.c.start))):
                ments[x["article_id"]].append(x)
            keys = {x["entity_key"] for rows in (*atts.values(), *ments.values()) for x in rows if x["entity_key"]}
            ents = {r["key"]: _entity(r) for r in _rows(conn.execute(select(e).where(e.c.key.in_(list(keys)))))}
        out = []
        for aid in ids:
            r = arts.get(aid)
            if r is None:
                continue
            article = Article(id=r["id"], text=r["text"], content_hash=r["content_hash"], title=r["title"],
                              published=r["published"], outlet=r["outlet"], url=r["url"], path=r["path"],
                              author=r["author"], paragraphs=tuple(tuple(p) for p in r["paragraphs"] or ()))
            named = {x["entity_key"] for x in atts[aid] + ments[aid] if x["entity_key"]}
            out.append(ArticleResult(
                article=article, attributions=tuple(_attribution(x) for x in atts[aid]),
                entities=tuple(ents[k] for k in sorted(named) if k in ents),
                mentions=tuple(Mention(Span(x["start"], x["end"], x["text"]), x["entity_key"], x["rule"])
                               for x in ments[aid])))
        return out

    def replace_links(self, results: Sequence[ArticleResult], dropped: set[str], *,
                      merges: Sequence[tuple[str, str]] = (), updates: Sequence[StanceUpdate] = (),
                      relink: Iterable[str] = (), expect: int | None = None) -> None:
        """Stored articles linked again: their stances are replaced by those of ``results``,
        the claims in ``dropped`` that no stance keeps go, ``results``' claims are written,
        then ``merges``, ``updates``, ``relink`` and ``expect`` as ``add_many`` takes them;
        the articles linked again no longer wait to be. One transaction."""
        a, st = s.attributions, s.stances
        with write_tx(self.engine) as conn:
            _next_generation(conn, self.dialect, expect)
            ids = [r.article.id for r in results]
            conn.execute(delete(st).where(st.c.attribution_id.in_(select(a.c.id).where(a.c.article_id.in_(ids)))))
            claims = {c.id: c for r in results for c in r.claims}
            _upsert_claims(conn, list(claims.values()))
            for r in results:
                _insert_stances(conn, r.attributions, _attribution_ids(conn, r.article.id, len(r.attributions)))
            _refresh_claims(conn, _drop_unstated(conn, dropped, keep=set(claims)) | set(claims))
            _clear_relinks(conn, ids)
            _merge_claims(conn, merges)
            _update_stances(conn, updates)
            _note_relinks(conn, relink)

    def update_stances(self, updates: Sequence[StanceUpdate]) -> int:
        """(article id, seq, claim id, stance, rule), as ``ClaimLinker.take_updates()`` hands
        them over: stances decided again in publication order; one transaction. Returns the
        number changed; an attribution no longer stored is passed over."""
        with write_tx(self.engine) as conn:
            _next_generation(conn, self.dialect, None)
            return _update_stances(conn, updates)

# --- helpers (private) ------------------------------------------------------------------


def _merge_claims(conn: Connection, merges: Sequence[tuple[str, str]]) -> int:
    moved = 0
    for drop, keep in merges:
        if drop == keep:
            continue
        moved += conn.execute(update(s.stances).where(s.stances.c.claim_id == drop)
                              .values(claim_id=keep)).rowcount or 0
        conn.execute(delete(s.claims).where(s.claims.c.id == drop))
        _refresh_claims(conn, {keep})
    return moved


def _update_stances(conn: Connection, updates: Sequence[StanceUpdate]) -> int:
    if not updates:
        return 0
    a, st = s.attributions, s.stances
    att = (select(a.c.id).where(a.c.article_id == bindparam("b_article"), a.c.seq == bindparam("b_seq"))
           .scalar_subquery())
    stmt = update(st).where(st.c.attribution_id == att).values(stance=bindparam("b_stance"), rule=bindparam("b_rule"))
    changed = 0
    for art, seq, _cid, stance, rule in updates:
        changed += conn.execute(stmt, {"b_article": art, "b_seq": seq, "b_stance": stance,
                                       "b_rule": rule}).rowcount or 0
    _refresh_claims(conn, {cid for _a, _s, cid, _st, _r in updates})
    return changed


# the PostgreSQL advisory lock that queues the writers of links (SQLite's BEGIN IMMEDIATE does)
_LINK_LOCK = 0x636C61696D67  # "claimg"


def _generation(conn: Connection) -> int:
    return int(conn.execute(select(s.link_state.c.generation).where(s.link_state.c.id == 1)).scalar() or 0)


def _next_generation(conn: Connection, dialect: str, expect: int | None) -> None:
    """At the start of a write that changes claims or stances: wait for any other such write
    to end, refuse this one if claims changed since ``expect``, then count it."""
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LINK_LOCK})
    now = _generation(conn)
    if expect is not None and now != expect:
        raise StaleLinksError(f"claims changed since they were loaded (write {now}, linked at {expect})")
    conn.execute(update(s.link_state).where(s.link_state.c.id == 1).values(generation=now + 1))


def _note_relinks(conn: Connection, article_ids: Iterable[str]) -> None:
    """Note the stored ones among ``article_ids`` (an article that failed to write has no story)."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    stored = set(conn.execute(select(s.articles.c.id).where(s.articles.c.id.in_(ids))).scalars())
    waiting = set(conn.execute(select(s.relinks.c.article_id).where(s.relinks.c.article_id.in_(ids))).scalars())
    rows = [{"article_id": aid, "noted_at": _now()} for aid in ids if aid in stored and aid not in waiting]
    if rows:
        conn.execute(s.relinks.insert(), rows)


def _clear_relinks(conn: Connection, article_ids: Iterable[str]) -> None:
    ids = list(article_ids)
    if ids:
        conn.execute(delete(s.relinks).where(s.relinks.c.article_id.in_(ids)))


def _rows(result: Any) -> list[Row]:
    return [dict(r._mapping) for r in result]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _duplicate_of(conn: Connection, content_hash: str, url: str | None) -> str | None:
    cond = s.articles.c.content_hash == content_hash
    if url:
        cond = or_(cond, s.articles.c.url == url)
    return conn.execute(select(s.articles.c.id).where(cond).limit(1)).scalar()


def _article_filters(outlet: str | None, since: str | None, until: str | None) -> list[Any]:
    conds: list[Any] = []
    if outlet:
        conds.append(func.lower(s.articles.c.outlet) == outlet.lower())
    if since:
        conds.append(s.articles.c.published >= since)
    if until:
        conds.append(s.articles.c.published <= until + "\uffff")
    return conds


def _write_article(conn: Connection, result: ArticleResult) -> None:
    _insert_article(conn, result)
    entity_ids = _upsert_entities(conn, result.entities)
    _insert_mentions(conn, result.article.id, result, entity_ids)
    _upsert_claims(conn, result.claims)
    ids = _insert_attributions(conn, result.article.id, result.attributions, entity_ids)
    _insert_stances(conn, result.attributions, ids)
    _refresh_claims(conn, {c.id for c in result.claims} | {a.claim for a in result.attributions if a.claim})


# Statements built once: SQLAlchemy caches their compiled form, and executemany with
# bound parameters keeps writing a 10-attribution article to a handful of round trips.
_MAX_SEQ = select(func.max(s.articles.c.seq))
_UPDATE_ENTITY = (update(s.entities).where(s.entities.c.id == bindparam("b_id"))
                  .values(name=bindparam("name"), type=bindparam("type"), role=bindparam("role"),
                          affiliation=bindparam("affiliation"), aliases=bindparam("aliases"),
                          trace=bindparam("trace")))
_UPDATE_CLAIM = (update(s.claims).where(s.claims.c.id == bindparam("b_id"))
                 .values(label=bindparam("label"), actors=bindparam("actors"), first_seen=bindparam("first_seen"),
                         centroid=bindparam("centroid"), size=bindparam("size"), subjects=bindparam("subjects"),
                         weight=bindparam("weight"), weak_label=bindparam("weak_label"),
                         sources=bindparam("sources")))
_SET_CLAIM_STATS = (update(s.claims).where(s.claims.c.id == bindparam("b_id"))
                    .values(contested=bindparam("contested"), n_attributions=bindparam("n")))


def _insert_article(conn: Connection, result: ArticleResult) -> None:
    art = result.article
    seq = (conn.execute(_MAX_SEQ).scalar() or 0) + 1
    conn.execute(s.articles.insert(), {
        "id": art.id, "content_hash": art.content_hash, "url": art.url, "path": art.path, "outlet": art.outlet,
        "title": art.title, "published": art.published, "author": art.author, "text": art.text,
        "paragraphs": [list(p) for p in art.paragraphs], "ingested_at": _now(), "seq": seq,
    })


def _upsert_entities(conn: Connection, entities: Sequence[Entity]) -> dict[str, int]:
    """Insert new entities and merge aliases/trace into known ones; key -> row id."""
    if not entities:
        return {}
    merged = {e.key: e for e in entities}  # one row per key, last description wins
    old = {r.key: r._mapping for r in conn.execute(select(s.entities).where(s.entities.c.key.in_(list(merged))))}
    ids = {k: int(m["id"]) for k, m in old.items()}
    updates = [u for k, e in merged.items() if k in old and (u := _merged_entity(old[k], e)) is not None]
    if updates:
        conn.execute(_UPDATE_ENTITY, updates)
    for e in merged.values():
        if e.key not in old:
            inserted = conn.execute(s.entities.insert(), {
                "key": e.key, "name": e.name, "type": e.type, "role": e.role, "affiliation": e.affiliation,
                "anonymous": e.anonymous, "aliases": list(e.aliases), "trace": list(e.trace),
            }).inserted_primary_key
            assert inserted is not None
            ids[e.key] = int(inserted[0])
    return ids


def _merged_entity(old: Any, e: Entity) -> dict[str, Any] | None:
    """The update for a known entity, or None when the new description adds nothing."""
    new = {
        "b_id": old["id"], "name": e.name or old["name"], "type": e.type if e.type != "unknown" else old["type"],
        "role": e.role or old["role"], "affiliation": e.affiliation or old["affiliation"],
        "aliases": list(dict.fromkeys([*old["aliases"], *e.aliases])),
        "trace": list(dict.fromkeys([*old["trace"], *e.trace]))[-50:],
    }
    same = all(new[k] == old[k] for k in ("name", "type", "role", "affiliation", "aliases", "trace"))
    return None if same else new


def _insert_mentions(conn: Connection, article_id: str, result: ArticleResult, ids: dict[str, int]) -> None:
    rows = [{"article_id": article_id, "entity_id": ids[m.entity_key], "start": m.span.start, "end": m.span.end,
                 "text": m.span.text, "rule": m.rule} for m in result.mentions if m.entity_key in ids]
    if rows:
        conn.execute(s.mentions.insert(), rows)


def _upsert_claims(conn: Connection, claims: Sequence[Claim]) -> None:
    if not claims:
        return
    latest = {c.id: c for c in claims}
    known = set(conn.execute(select(s.claims.c.id).where(s.claims.c.id.in_(list(latest)))).scalars())

    def values(c: Claim) -> dict[str, Any]:
        return {"label": c.label, "actors": list(c.actors), "first_seen": c.first_seen,
                "centroid": s.pack_vector(c.vector), "size": c.size, "subjects": list(c.subjects),
                "weight": c.weight, "weak_label": c.weak_label, "sources": list(c.sources)}

    fresh = [dict(id=c.id, contested=c.contested, **values(c)) for c in latest.values() if c.id not in known]
    if fresh:
        conn.execute(s.claims.insert(), fresh)
    old = [dict(b_id=c.id, **values(c)) for c in latest.values() if c.id in known]
    if old:
        conn.execute(_UPDATE_CLAIM, old)


def _insert_attributions(conn: Connection, article_id: str, atts: Sequence[Attribution],
                         entity_ids: dict[str, int]) -> list[int]:
    if not atts:
        return []
    rows = []
    for seq, a in enumerate(atts):
        src, ev = a.source, a.evidence
        rows.append({
            "article_id": article_id, "seq": seq, "type": a.type,
            "source_start": src.start if src else None, "source_end": src.end if src else None,
            "source_text": src.text if src else None, "source_name": a.source_name,
            "entity_id": entity_ids.get(a.source_entity or ""),
            "cue_start": a.cue.start, "cue_end": a.cue.end, "cue_text": a.cue.text,
            "content_start": a.content.start, "content_end": a.content.end, "content_text": a.content.text,
            "content_fragments": [list(p) for p in a.content.fragments],
            "hedged": a.hedged, "hedge": a.hedge,
            "evidence_start": ev.start if ev else None, "evidence_end": ev.end if ev else None,
            "evidence_text": ev.text if ev else None, "no_evidence": a.no_evidence,
            "via": a.via, "cites": a.cites, "negated": a.negated, "confidence": float(a.confidence),
        })
    conn.execute(s.attributions.insert(), rows)
    return _attribution_ids(conn, article_id, len(atts))


def _attribution_ids(conn: Connection, article_id: str, n: int) -> list[int]:
    """Row ids of the article's attributions 0..n-1, in order."""
    found = conn.execute(select(s.attributions.c.seq, s.attributions.c.id)
                         .where(s.attributions.c.article_id == article_id))
    by_seq = {int(r.seq): int(r.id) for r in found}
    return [by_seq[i] for i in range(n)]


def _insert_stances(conn: Connection, atts: Sequence[Attribution], ids: list[int]) -> None:
    rows = []
    for a, att_id in zip(atts, ids, strict=True):
        if a.claim and a.stance:
            target = ids[a.stance_target] if a.stance_target is not None and 0 <= a.stance_target < len(ids) else None
            rows.append({"attribution_id": att_id, "claim_id": a.claim, "stance": a.stance,
                         "target_attribution_id": target, "rule": a.stance_rule, "basis": a.stance_basis})
    if rows:
        conn.execute(s.stances.insert(), rows)


def _claims_of_article(conn: Connection, article_id: str) -> set[str]:
    q = (select(s.stances.c.claim_id).join(s.attributions, s.attributions.c.id == s.stances.c.attribution_id)
         .where(s.attributions.c.article_id == article_id))
    return set(conn.execute(q).scalars())


def _drop_unstated(conn: Connection, claim_ids: set[str], keep: set[str] | None = None) -> set[str]:
    """Delete the claims among ``claim_ids`` that no stance states any more (except those in
    ``keep``); returns the ones that stay."""
    st = s.stances
    stated = set(conn.execute(select(st.c.claim_id).distinct().where(st.c.claim_id.in_(list(claim_ids)))).scalars())
    gone = claim_ids - stated - (keep or set())
    if gone:
        conn.execute(delete(s.claims).where(s.claims.c.id.in_(list(gone))))
    return claim_ids - gone


def _refresh_claims(conn: Connection, claim_ids: set[str]) -> None:
    """Recount the claims' stances; a claim is contested when someone asserts or supports it
    and someone disputes or denies it."""
    if not claim_ids:
        return
    kinds: dict[str, set[str]] = {cid: set() for cid in claim_ids}
    counts: dict[str, int] = dict.fromkeys(claim_ids, 0)
    q = (select(s.stances.c.claim_id, s.stances.c.stance, func.count()).where(s.stances.c.claim_id.in_(list(claim_ids)))
         .group_by(s.stances.c.claim_id, s.stances.c.stance))
    for cid, stance, n in conn.execute(q):
        kinds[cid].add(stance)
        counts[cid] += int(n)
    conn.execute(_SET_CLAIM_STATS, [
        {"b_id": cid, "n": counts[cid],
         "contested": bool(k & {"asserts", "supports"}) and bool(k & {"disputes", "denies"})}
        for cid, k in kinds.items()
    ])


def _claims_about(about: str) -> Any:
    like = f"%{about.lower()}%"
    by_source = (select(s.stances.c.claim_id)
                 .join(s.attributions, s.attributions.c.id == s.stances.c.attribution_id)
                 .outerjoin(s.entities, s.entities.c.id == s.attributions.c.entity_id)
                 .where(or_(func.lower(s.entities.c.name).like(like),
                            func.lower(s.attributions.c.source_name).like(like))))
    by_label = select(s.claims.c.id).where(or_(func.lower(s.claims.c.label).like(like),
                                               func.lower(s.claims.c.actors.cast(Text)).like(like)))
    return by_source.union(by_label)


def _attribution_query() -> Any:
    a, ar, e, st, c = s.attributions, s.articles, s.entities, s.stances, s.claims
    tgt = s.attributions.alias("target")  # the statement a stance answers (same article)
    return (
        select(
            a,
            ar.c.url.label("article_url"), ar.c.path.label("article_path"), ar.c.title.label("article_title"),
            ar.c.outlet.label("article_outlet"), ar.c.published.label("article_published"),
            e.c.key.label("entity_key"), e.c.name.label("entity_name"), e.c.type.label("entity_type"),
            e.c.role.label("entity_role"), e.c.affiliation.label("entity_affiliation"),
            e.c.anonymous.label("entity_anonymous"), e.c.trace.label("entity_trace"),
            st.c.stance, st.c.claim_id, st.c.target_attribution_id, st.c.rule.label("stance_rule"),
            c.c.label.label("claim_label"), c.c.contested.label("claim_contested"),
            tgt.c.seq.label("target_seq"),
        )
        .join(ar, ar.c.id == a.c.article_id)
        .outerjoin(e, e.c.id == a.c.entity_id)
        .outerjoin(st, st.c.attribution_id == a.c.id)
        .outerjoin(c, c.c.id == st.c.claim_id)
        .outerjoin(tgt, tgt.c.id == st.c.target_attribution_id)
    )


# built once: the joined select has ~45 columns and costs ~1.5 ms to construct per call
_ATTRIBUTIONS = _attribution_query()
_CLAIM_HIDDEN = {"centroid", "n_attributions", "subjects", "weight", "weak_label", "sources"}  # linker state
_CLAIM = select(*[c for c in s.claims.c if c.name not in _CLAIM_HIDDEN])


def _entity(r: Row) -> Entity:
    return Entity(key=r["key"], name=r["name"], type=r["type"], role=r["role"], affiliation=r["affiliation"],
                  anonymous=bool(r["anonymous"]), aliases=tuple(r["aliases"] or ()), trace=tuple(r["trace"] or ()))


def _attribution(r: Row) -> Attribution:
    """A stored attribution row -> the record analysis made, without claim and stance."""
    def span(prefix: str) -> Span | None:
        start, end = r[f"{prefix}_start"], r[f"{prefix}_end"]
        return None if start is None else Span(int(start), int(end), r[f"{prefix}_text"])

    content = Span(r["content_start"], r["content_end"], r["content_text"],
                   tuple(tuple(p) for p in r["content_fragments"] or ()))
    cue = span("cue")
    assert cue is not None
    return Attribution(cue=cue, content=content, type=r["type"], source=span("source"), hedged=bool(r["hedged"]),
                       hedge=r["hedge"], evidence=span("evidence"), no_evidence=bool(r["no_evidence"]), via=r["via"],
                       cites=r["cites"], confidence=float(r["confidence"]), negated=bool(r["negated"]),
                       source_name=r["source_name"], source_entity=r["entity_key"])


def _claim(r: Row | RowMapping) -> Claim:
    return Claim(id=r["id"], label=r["label"], actors=tuple(r["actors"] or ()), first_seen=r["first_seen"],
                 contested=bool(r["contested"]), vector=s.unpack_vector(r["centroid"]), size=int(r["size"] or 0),
                 subjects=tuple(r["subjects"] or ()), weight=r["weight"], weak_label=bool(r["weak_label"]),
                 sources=tuple(r["sources"] or ()))


# --- full-text search queries (added with store/fts.py) ------------------------------------


def _ranked_keys(conn: Connection, search: RankedSearch, q: str | None, limit: int, offset: int) -> list[int]:
    """One page of match keys: the RANK_WINDOW newest matches best first, then older ones newest first."""
    params: dict[str, Any] = {"q": q, "w": RANK_WINDOW}
    keys: list[int] = []
    if offset < RANK_WINDOW:
        keys = list(conn.execute(text(search.ranked), {**params, "limit": limit, "offset": offset}).scalars())
        if len(keys) >= limit:
            return keys
    floor = conn.execute(text(search.floor), params).scalar()
    if floor is None:  # every match is in the window
        return keys
    # the page runs past the window; count it (keys may tie at the floor, so not always RANK_WINDOW)
    params["floor"] = floor
    in_window = int(conn.execute(text(search.count), params).scalar() or 0)
    page = {**params, "limit": limit - len(keys), "offset": max(0, offset - in_window)}
    return keys + list(conn.execute(text(search.tail), page).scalars())


def _in_order(rows: list[Row], keys: list[int], field: str) -> list[Row]:
    """Rows -> sorted as their ``field`` values appear in ``keys``; a ``key`` field is dropped."""
    rank = {k: i for i, k in enumerate(keys)}
    rows = sorted(rows, key=lambda r: rank[r[field]])
    if field == "key":
        for r in rows:
            del r["key"]
    return rows


def _article_like(terms: list[str], limit: int, offset: int) -> Any:
    """Search terms -> articles holding every one, by LIKE (dialects without a full-text index)."""
    a = s.articles
    haystack = func.lower(func.coalesce(a.c.title, "") + literal(" ") + a.c.text)
    snippet = func.substr(a.c.text, 1, 240).label("snippet")
    return (select(a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.url, snippet)
            .where(*[haystack.like(f"%{t.lower()}%") for t in terms]).order_by(a.c.seq).limit(limit).offset(offset))


def _attribution_like(terms: list[str], limit: int, offset: int) -> Any:
    """Search terms -> ids of attributions whose content holds every one, by LIKE."""
    content = func.lower(s.attributions.c.content_text)
    return (select(s.attributions.c.id).where(*[content.like(f"%{t.lower()}%") for t in terms])
            .order_by(s.attributions.c.id).limit(limit).offset(offset))


def _integrity_problems(conn: Connection, dialect: str) -> list[str]:
    """Orphans and broken references the foreign keys should have prevented."""
    a, ar, e, m, st, c = s.attributions, s.articles, s.entities, s.mentions, s.stances, s.claims
    checks = {
        "attributions without their article": select(func.count()).select_from(a.outerjoin(ar, ar.c.id == a.c.article_id)).where(ar.c.id.is_(None)),
        "mentions without their article": select(func.count()).select_from(m.outerjoin(ar, ar.c.id == m.c.article_id)).where(ar.c.id.is_(None)),
        "mentions without their entity": select(func.count()).select_from(m.outerjoin(e, e.c.id == m.c.entity_id)).where(e.c.id.is_(None)),
        "stances without their attribution": select(func.count()).select_from(st.outerjoin(a, a.c.id == st.c.attribution_id)).where(a.c.id.is_(None)),
        "stances without their claim": select(func.count()).select_from(st.outerjoin(c, c.c.id == st.c.claim_id)).where(c.c.id.is_(None)),
        "claims with a stale statement count": select(func.count()).select_from(c).where(c.c.n_attributions != select(func.count()).where(st.c.claim_id == c.c.id).correlate(c).scalar_subquery()),
        "attributions with spans outside their article": select(func.count()).select_from(a.join(ar, ar.c.id == a.c.article_id)).where(or_(a.c.content_end > func.length(ar.c.text), a.c.cue_end > func.length(ar.c.text), a.c.content_start < 0)),
    }
    problems = [f"{n} {label}" for label, q in checks.items() if (n := int(conn.execute(q).scalar() or 0))]
    if dialect == "sqlite":
        bad = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
        if bad:
            problems.append(f"{len(bad)} foreign key violations")
        ok = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        if ok != "ok":
            problems.append(f"sqlite quick_check: {ok}")
    return problems



CHECK_HOOKS: list[Any] = []  # later modules (full-text search) add their own checks here
