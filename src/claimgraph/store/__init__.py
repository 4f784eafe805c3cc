"""Storage: SQLite by default, PostgreSQL (or any SQLAlchemy URL) for teams."""

from . import fts  # noqa: F401  (registers migration 2: full-text search indexes)
from .repository import AddResult, Repository

__all__ = ["AddResult", "Repository"]
