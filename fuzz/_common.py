"""Shared checks for the atheris harnesses: what a correct outcome of one input looks like.

An input may end as an Article (invariants below) or as a ClaimgraphError with a one-line
message; anything else raised is a crash and libFuzzer records the input.
"""

from __future__ import annotations

from typing import Any

from claimgraph.errors import ClaimgraphError
from claimgraph.ingest.clean import content_hash


def check_article(art: Any) -> None:
    assert art.text, "empty article text"
    assert art.content_hash == content_hash(art.text) and art.id == art.content_hash[:16], "bad id or hash"
    for start, end in art.paragraphs:
        assert 0 <= start < end <= len(art.text), f"paragraph {start, end} outside the text"


def check_error(exc: ClaimgraphError) -> None:
    message = str(exc)
    assert message and "\n" not in message, f"error message is not one line: {message!r}"


def check_span(text: str, span: Any) -> None:
    if span is None:
        return
    assert 0 <= span.start <= span.end <= len(text), f"span {span.start, span.end} outside {len(text)}"
    if span.fragments:
        assert span.text == " ".join(text[s:e] for s, e in span.fragments), "fragments do not give the text"
    else:
        assert text[span.start : span.end] == span.text, "span text is not text[start:end]"


def check_attributions(text: str, atts: Any) -> None:
    for att in atts:
        for span in (att.cue, att.content, att.source, att.evidence):
            check_span(text, span)
        assert 0.0 <= att.confidence <= 1.0, f"confidence {att.confidence}"
