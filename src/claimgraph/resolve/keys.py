"""Canonical name + type -> entity key: deterministic, readable, the same in every article.

``entity_key("Grant Shapps", "person")`` -> ``"person:grant-shapps"``; a disambiguator
(``"person:john-smith~2"``) is added by ``index`` only when two different people share one.
"""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """'U.S. officials' -> 'us-officials' (accents folded, dots dropped)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace(".", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unknown"


def entity_key(name: str, etype: str) -> str:
    return f"{etype or 'unknown'}:{slug(name)}"
