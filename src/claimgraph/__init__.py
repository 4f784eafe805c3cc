"""claimgraph: who claims what, on what evidence, and who disputes it."""

from __future__ import annotations

from .errors import ClaimgraphError
from .records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleResult",
    "Attribution",
    "Claim",
    "ClaimgraphError",
    "Entity",
    "Mention",
    "Settings",
    "Span",
    "__version__",
]
