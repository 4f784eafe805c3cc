"""Linking: attributions -> claims (one proposition across articles) with a stance each."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import ArticleResult, Claim


@dataclass
class ClaimLinker:
    known: dict[str, Claim] = field(default_factory=dict)

    @classmethod
    def from_claims(cls, claims: list[Claim]) -> ClaimLinker:
        return cls({c.id: c for c in claims})

    def link(self, result: ArticleResult) -> ArticleResult:
        return result
