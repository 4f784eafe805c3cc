"""Ingest stage: sources (paths, folders, URLs, feeds) -> Article records.

``iter_articles(inputs, settings)`` streams one ``Article`` or ``IngestFailure`` per input
(or feed entry); ``article_from_text`` / ``article_from_html`` clean a document already in
memory; ``content_hash`` is the hash an ``Article.id`` derives from.
"""

from __future__ import annotations

from .clean import article_from_html, article_from_text, article_id, content_hash, outlet_of
from .sources import IngestFailure, iter_articles

__all__ = [
    "IngestFailure",
    "article_from_html",
    "article_from_text",
    "article_id",
    "content_hash",
    "iter_articles",
    "outlet_of",
]
