"""Exporters: store -> files. Each format is a plugin registered by name.

Built-in formats register through the same ``register`` call a user's plugin would
use (or through the ``claimgraph.exporters`` entry-point group).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import entry_points
from typing import IO, Any

from ..errors import ConfigError

Exporter = Callable[[Any, IO[str]], int]  # (repository, stream) -> records written
_EXPORTERS: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    def wrap(fn: Exporter) -> Exporter:
        _EXPORTERS[name] = fn
        return fn

    return wrap


@cache
def _plugins() -> tuple[Any, ...]:
    """Exporters other packages register (read once: scanning installed metadata is slow)."""
    return tuple(entry_points(group="claimgraph.exporters"))


def exporter(name: str) -> Exporter:
    _load_builtin()
    if name not in _EXPORTERS:
        for ep in _plugins():
            if ep.name == name:
                _EXPORTERS[name] = ep.load()
    if name not in _EXPORTERS:
        raise ConfigError(f"unknown export format {name!r}; known: {', '.join(formats())}")
    return _EXPORTERS[name]


def formats() -> list[str]:
    _load_builtin()
    names = set(_EXPORTERS) | {ep.name for ep in _plugins()}
    return sorted(names)


def _load_builtin() -> None:
    from . import claimreview as _claimreview  # noqa: F401
    from . import csv as _csv  # noqa: F401
    from . import graph as _graph  # noqa: F401
    from . import jsonl as _jsonl  # noqa: F401
