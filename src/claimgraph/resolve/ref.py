"""``Ref``: what one mention names before it is bound to an entity (shared by the resolvers)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Ref:
    """What one mention names: kind, name, type, role, affiliation, and why (rule)."""

    kind: str
    name: str
    type: str = "unknown"
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False
    number: str = "sing"
    gender: str | None = None
    rule: str = ""
    parts: tuple[Ref, ...] = field(default=())
