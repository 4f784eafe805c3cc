"""Resolution: source mentions -> canonical entities, within and across articles.

``resolve_document(doc, attributions, article)`` -> (attributions with ``source_name`` and
``source_entity`` set, entities, mentions); ``EntityIndex`` merges each article's
entities with those already known across articles (``from_entities``, ``canonicalize``).

Inside: ``mentions`` reads one mention, ``anonymous`` names unnamed sources, ``metonyms``
maps places, demonyms and seats of power to states (package-data tables), ``coref`` binds
the mentions of one article, ``index`` joins articles, ``keys`` derives entity keys.
"""

from __future__ import annotations

from typing import Any

from ..records import Article, Attribution, Entity, Mention
from .index import EntityIndex

__all__ = ["EntityIndex", "resolve_document"]


def resolve_document(doc: Any, attributions: list[Attribution], article: Article
                     ) -> tuple[list[Attribution], list[Entity], list[Mention]]:
    """(spaCy Doc with NER and parse, attributions, article) -> (attributions with
    ``source_name``/``source_entity`` set, entities of the article, mentions with offsets)."""
    from .document import resolve

    return resolve(doc, attributions, article)
