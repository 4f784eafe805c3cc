"""Storage: SQLite by default, PostgreSQL (or any SQLAlchemy URL) for teams."""

from . import (
    fts,  # noqa: F401  (registers migration 2: full-text search indexes)
    integrity,  # noqa: F401  (registers the full-text index checks for `claimgraph check`)
)
from .repository import AddResult, Repository

__all__ = ["AddResult", "Repository"]
