"""Refusals without a topic: (attributions, text) -> the same, their content the refusal itself.

"X declined to comment on the report" refuses to speak about the report, which is its
content. "X declined to comment." names no topic: the refusal concerns the matter at hand,
and the content is the refusal clause ("The White House declined to comment",
"did not respond to requests for comment") instead of an empty span. The source is kept in
the content only when it stands right before the cue. Pure functions: no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Attribution, Span

_CLAUSE_END = re.compile(r"[.,;:!?\n\u2014]")


def refusal_clause(att: Attribution, text: str) -> Span:
    """The refusal clause of a no-comment attribution: from its source (when adjacent) or
    cue to the next clause boundary."""
    start = att.cue.start
    src = att.source
    if src is not None and src.end <= start and not text[src.end:start].strip():
        start = src.start
    end = _CLAUSE_END.search(text, att.cue.end)
    return Span.of(text, start, end.start() if end else len(text))


def fill_refusals(atts: Sequence[Attribution], text: str) -> list[Attribution]:
    """No-comment attributions with empty content get their refusal clause as content."""
    return [a.with_(content=refusal_clause(a, text)) if a.type == "no_comment" and not a.content.text.strip()
            else a for a in atts]
