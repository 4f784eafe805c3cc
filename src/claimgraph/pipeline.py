"""Articles -> stored results: extract and resolve per article, then link across the store.

``analyse(nlp, articles)`` is pure per-article work (extraction, in-article resolution):
it runs anywhere, in worker processes or on Dask workers. ``Linker`` holds the
cross-article state (known entities, known claims) in the client process and turns each
per-article result into its final form just before it is written, so results do not
depend on which worker analysed which article.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from .records import Article, ArticleResult
from .settings import Settings


def load_nlp(settings: Settings) -> Any:
    """Every model the per-article analysis uses, loaded once (per worker): the spaCy
    pipeline, and the claim linker's sentence embedder and entity recogniser, so that
    no article pays for a model load inside its extraction time limit."""
    from .extract import build_nlp
    from .link.actors import ner_actors
    from .link.embed import get_embedder

    nlp = build_nlp()
    get_embedder(None).encode(["warm-up"])
    ner_actors("Warm-up in London.")
    return nlp


def analyse(nlp: Any, articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[ArticleResult]:
    """Extraction and in-article resolution, streamed; one result per article, in order."""
    from .runner import chunks

    for batch in chunks(articles, batch_size):
        yield from _analyse_batch(nlp, batch, batch_size)


# spaCy memory zones must not overlap, and a Dask worker may run tasks on several threads
_ZONE_LOCK = threading.Lock()


def _analyse_batch(nlp: Any, batch: list[Article], batch_size: int) -> list[ArticleResult]:
    """One batch inside a spaCy memory zone: the strings and lexemes its new words added to
    the vocabulary are dropped afterwards, so a long run's memory does not grow with the
    corpus. Every result is plain records, built before the zone closes."""
    from .extract.headline import headline_end
    from .link import prepare
    from .resolve import resolve_document

    zone = getattr(nlp, "memory_zone", None)
    with _ZONE_LOCK, (zone() if zone is not None else nullcontext()):
        out = []
        for doc, article in nlp.pipe(((_doc_of(nlp, a, headline_end(a)), a) for a in batch), as_tuples=True,
                                     batch_size=batch_size):
            atts2, entities, mentions = resolve_document(doc, list(doc._.attributions or []), article)
            out.append(prepare(ArticleResult(article=article, attributions=tuple(atts2),
                                             entities=tuple(entities), mentions=tuple(mentions))))
        return out


def _doc_of(nlp: Any, article: Article, headline_end: int) -> Any:
    """The article's text as a Doc that tells the last component where its headline ends."""
    doc = nlp.make_doc(article.text)
    doc.user_data["cg_headline_end"] = headline_end
    return doc


# the most articles ``Linker.relink`` links again at once; a larger story keeps its links
RELINK_LIMIT = 200


@dataclass
class LinkChanges:
    """What linking changed in statements stored before, for the store to apply with the
    results it came with (``Repository.add_many`` takes these as keywords)."""

    merges: list[tuple[str, str]] = field(default_factory=list)  # (absorbed, surviving) claim ids
    updates: list[tuple[str, int, str, str, str]] = field(default_factory=list)  # stances decided again
    relink: set[str] = field(default_factory=set)  # articles whose story is to be linked again

    def as_kwargs(self) -> dict[str, Any]:
        return {"merges": self.merges, "updates": self.updates, "relink": self.relink}


# times a write batch is linked again because another process changed claims in between;
# after that it is written as linked, and its stories are noted to be linked again
STALE_RETRIES = 5


class Linker:
    """Cross-article stage: canonical entities across articles, then claims and stances.

    ``write`` links a batch and stores it with what linking changed in stored statements,
    in one transaction. ``finish`` links again, in publication order, the stories the store
    notes as waiting: those of reports published before articles stored earlier, from this
    run or from one stopped before it got there.

    Several processes may link into one store (a team's PostgreSQL, two ingests on one
    SQLite file). Every write says which state of the claims it was linked against
    (``Repository.link_generation``); one linked against claims another process has changed
    since is refused, and the linker loads the claims again and links the batch again, so
    each write is linked against every claim stored before it."""

    def __init__(self, repo: Any) -> None:
        self.refused = 0  # writes refused because another process had changed claims
        self._load(repo)

    def _load(self, repo: Any, keep: Any = None) -> None:
        """Entities and claims as stored now; ``keep``: a ClaimLinker whose embedder and
        recent vectors to reuse (nothing is embedded again)."""
        from .link import ClaimLinker
        from .link.history import loader
        from .resolve import EntityIndex

        self.generation: int = repo.link_generation()  # before the claims: a write in between is seen
        self.entities = EntityIndex.from_entities(repo.all_entities())
        self.claims = ClaimLinker.from_claims(repo.iter_claims(), history=loader(repo.stance_history))
        if keep is not None:
            self.claims._embedder, self.claims._recent = keep._embedder, keep._recent
        self._unwritten = LinkChanges()

    def link(self, result: ArticleResult) -> ArticleResult:
        return self.claims.link(self.entities.canonicalize(result))

    def changes(self) -> LinkChanges:
        """Merges, stances decided again and late reports since the last ``written()``
        (kept until then, so a write that failed hands them over with the next one)."""
        c = self._unwritten
        c.merges += self.claims.take_merges()
        c.updates += self.claims.take_updates()
        c.relink |= self.claims.take_late()
        return c

    def written(self) -> None:
        """The store took the results linked so far with ``changes()``."""
        self.generation += 1
        self._unwritten = LinkChanges()
        self.claims.flush()

    def _refused(self, repo: Any) -> None:
        """Another process changed claims since they were loaded: count it, load them again."""
        self.refused += 1
        self._load(repo, keep=self.claims)

    def write(self, repo: Any, results: Sequence[ArticleResult]) -> Written:
        """Link ``results`` in the order given and store them with ``changes()`` in one
        transaction (``Repository.add_many``). If another process changed claims since they
        were loaded, load them again and link again, up to ``STALE_RETRIES`` times; past
        that, the batch is written as linked and its stories noted to be linked again."""
        from .errors import StaleLinksError

        for attempt in range(STALE_RETRIES + 1):
            linked, failed = [], []
            for r in results:
                try:
                    linked.append(self.link(r))
                except Exception as exc:  # noqa: BLE001 - a linking bug must not stop the run
                    failed.append((r, exc))
            changes = self.changes()
            checked = attempt < STALE_RETRIES
            if not checked:
                changes.relink |= {r.article.id for r in linked}
            try:
                outcomes = repo.add_many(linked, expect=self.generation if checked else None, **changes.as_kwargs())
            except StaleLinksError:
                self._refused(repo)
                continue
            self.written()
            if not checked:  # linked against claims as they were: load them as they are
                self._load(repo, keep=self.claims)
            return Written(linked, outcomes, failed)
        raise AssertionError("unreachable: the last attempt is written unchecked")

    def finish(self, repo: Any) -> int:
        """Link again, story by story, the stories the store notes as waiting
        (``Repository.pending_relinks``); returns the articles linked again."""
        done, n = set[str](), 0
        for start in repo.pending_relinks():
            if start not in done:
                linked = self.relink(repo, start)
                done |= set(linked)
                n += len(linked)
        return n

    def relink(self, repo: Any, article: str) -> list[str]:
        """Link again, in publication order, every stored article of ``article``'s story
        (articles and claims joined by stances, up to ``RELINK_LIMIT`` articles), so that the
        story's claims and stances are those one run over it in publication order gives,
        whatever order its articles arrived in. Returns the articles linked again: none
        when the story is larger than the limit (it stays as linked), or when other
        processes kept changing claims meanwhile (it stays noted as waiting)."""
        from .errors import StaleLinksError
        from .link.history import article_order

        for _ in range(STALE_RETRIES + 1):
            story = repo.story_of([article], RELINK_LIMIT)
            if story is None:
                repo.clear_relinks([article])
                return []
            articles: list[str] = story[0]
            dropped: set[str] = story[1]
            results = sorted(repo.stored_results(articles),
                             key=lambda r: article_order(r.article.published, r.article.content_hash))
            self.claims.forget(dropped)
            relinked = [self.claims.link(r) for r in results]
            # linked in order, the story meets no earlier report; merges with claims outside it
            # and their stances decided again are written with it
            try:
                repo.replace_links(relinked, dropped, expect=self.generation, **self.changes().as_kwargs())
            except StaleLinksError:
                self._refused(repo)
                continue
            self.written()
            return articles
        return []


@dataclass
class Written:
    """What ``Linker.write`` did: the results as linked and stored, each one's outcome, and
    the results whose linking failed (not written)."""

    linked: list[ArticleResult]
    outcomes: list[Any]
    failed: list[tuple[ArticleResult, Exception]]
