"""Resolution: source mentions -> canonical entities, within and across articles.

``resolve_document(doc, attributions, article)`` -> (attributions with ``source_name`` and
``source_entity`` set, entities, mentions); ``EntityIndex`` merges each article's
entities with those already known across articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..records import Article, ArticleResult, Attribution, Entity, Mention


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"


def resolve_document(doc: Any, attributions: list[Attribution], article: Article
                     ) -> tuple[list[Attribution], list[Entity], list[Mention]]:
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    out: list[Attribution] = []
    for a in attributions:
        if a.source is None:
            out.append(a)
            continue
        key = _key(a.source.text)
        entities.setdefault(key, Entity(key=key, name=a.source.text, aliases=(a.source.text,),
                                        trace=("surface form",)))
        mentions.append(Mention(a.source, key, rule="surface"))
        out.append(a.with_(source_name=a.source.text, source_entity=key))
    return out, list(entities.values()), mentions


@dataclass
class EntityIndex:
    known: dict[str, Entity] = field(default_factory=dict)

    @classmethod
    def from_entities(cls, entities: list[Entity]) -> EntityIndex:
        return cls({e.key: e for e in entities})

    def canonicalize(self, result: ArticleResult) -> ArticleResult:
        for e in result.entities:
            self.known.setdefault(e.key, e)
        return result
