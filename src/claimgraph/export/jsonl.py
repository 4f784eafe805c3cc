"""Store -> JSON Lines: one attribution record (the public contract) a line."""

from __future__ import annotations

import json
from typing import IO, Any

from . import register
from .record import to_record


@register("jsonl")
def export_jsonl(repo: Any, out: IO[str]) -> int:
    n = 0
    for row in repo.iter_attribution_rows():
        out.write(json.dumps(to_record(row), ensure_ascii=False) + "\n")
        n += 1
    return n
