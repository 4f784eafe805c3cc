"""Storage: SQLite by default, PostgreSQL (or any SQLAlchemy URL) for teams."""

from .repository import AddResult, Repository

__all__ = ["AddResult", "Repository"]
