"""Across articles: each article's entities -> the global entities they are the same as.

Placeholder; see below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import ArticleResult, Entity


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
