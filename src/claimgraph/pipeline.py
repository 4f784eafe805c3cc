"""Articles -> stored results: extract and resolve per article, then link across the store.

``analyse(nlp, articles)`` is pure per-article work (extraction, in-article resolution):
it runs anywhere, in worker processes or on Dask workers. ``Linker`` holds the
cross-article state (known entities, known claims) in the client process and turns each
per-article result into its final form just before it is written, so results do not
depend on which worker analysed which article.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
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


class Linker:
    """Cross-article stage: canonical entities across articles, then claims and stances."""

    def __init__(self, repo: Any) -> None:
        from .link import ClaimLinker
        from .link.history import loader
        from .resolve import EntityIndex

        self.entities = EntityIndex.from_entities(repo.all_entities())
        self.claims = ClaimLinker.from_claims(repo.all_claims(), history=loader(repo.stance_history))
        self.late: set[str] = set()  # claims that met a report published before members they had

    def link(self, result: ArticleResult) -> ArticleResult:
        return self.claims.link(self.entities.canonicalize(result))

    def written(self, repo: Any) -> None:
        """After results were stored: claims the linker merged are merged in the store too,
        and stances it decided again (claims merged, an earlier report arrived) are updated."""
        self.late |= self._hand_over(repo)

    def _hand_over(self, repo: Any) -> set[str]:
        """Merges and changed stances to the store, which now holds every statement linked;
        returns the claims that met a late report."""
        merges = self.claims.take_merges()
        if merges:
            repo.merge_claims(merges)
        repo.update_stances(self.claims.take_updates())
        self.claims.flush()
        return self.claims.take_late()

    def finish(self, repo: Any) -> int:
        """At the end of a run: the stories that received a report published before articles
        stored earlier are linked again in publication order (``relink``), once per run
        however many batches brought such reports. Returns the articles linked again."""
        late, self.late = {self.claims.resolve(c) for c in self.late}, set()
        return self.relink(repo, late) if late else 0

    def relink(self, repo: Any, claims: set[str]) -> int:
        """Link again, in publication order, every stored article of the story ``claims``
        belong to (articles and claims joined by stances, up to ``RELINK_LIMIT`` articles),
        so that the story's claims and stances are those one run over it in publication
        order gives, whatever order its articles arrived in. Returns the articles linked
        again; 0 when the story is larger than the limit and stays as linked."""
        from .link.history import article_order

        story = repo.story_of(sorted(claims), RELINK_LIMIT)
        if story is None:
            return 0
        articles, dropped = story
        results = sorted(repo.stored_results(articles),
                         key=lambda r: article_order(r.article.published, r.article.content_hash))
        self.claims.forget(dropped)
        relinked = [self.claims.link(r) for r in results]
        repo.replace_links(relinked, dropped)
        self._hand_over(repo)  # a story linked in order meets no earlier report
        return len(relinked)
