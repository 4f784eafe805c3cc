"""Golden-file tests: articles written for the project -> the attributions we expect.

Each ``tests/fixtures/extract/NAME.txt`` has a ``NAME.json`` listing every attribution
the extractor must find (cue, source, content, type and the flags). Content is compared
by token F1 >= 0.9 so that a trailing comma does not fail a test; everything else exactly.
After a deliberate change, regenerate with ``CLAIMGRAPH_UPDATE_GOLDEN=1 pytest`` and review
the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from claimgraph.evaluate import token_f1
from claimgraph.records import Attribution, Span

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
ARTICLES = sorted(FIXTURES.glob("*.txt"))
FIELDS = ("cue", "source", "type", "hedged", "negated", "no_evidence", "via", "cites", "evidence")


@pytest.fixture(scope="module")
def nlp() -> Any:
    from claimgraph.extract import build_nlp

    return build_nlp()


def as_golden(att: Attribution) -> dict[str, Any]:
    return {
        "cue": att.cue.text, "source": att.source.text if att.source else None, "content": att.content.text,
        "type": att.type, "hedged": att.hedged, "negated": att.negated, "no_evidence": att.no_evidence,
        "via": att.via, "cites": att.cites, "evidence": att.evidence.text if att.evidence else None,
    }  # fmt: skip


def same(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    if expected["cue"] != got["cue"]:
        return False
    if expected["content"] or got["content"]:
        return token_f1(expected["content"], got["content"]) >= 0.9
    return True


def check_span(text: str, span: Span | None) -> None:
    if span is None:
        return
    if span.fragments:
        assert span.text == " ".join(text[s:e] for s, e in span.fragments)
    else:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_golden(nlp: Any, path: Path) -> None:
    from claimgraph.extract import extract

    text = path.read_text(encoding="utf-8")
    atts = extract(nlp, text)
    got = [as_golden(a) for a in atts]
    golden = path.with_suffix(".json")
    if os.environ.get("CLAIMGRAPH_UPDATE_GOLDEN"):
        golden.write_text(json.dumps({"attributions": got}, indent=2, ensure_ascii=False) + "\n")
    expected = json.loads(golden.read_text(encoding="utf-8"))["attributions"]
    for exp in expected:
        match = next((g for g in got if same(exp, g)), None)
        assert match is not None, f"missing: {exp['cue']!r} -> {exp['content']!r}"
        for field in FIELDS:
            assert match[field] == exp[field], f"{exp['cue']!r}: {field} {match[field]!r} != {exp[field]!r}"
    extra = [g for g in got if not any(same(e, g) for e in expected)]
    assert not extra, f"unexpected attributions: {extra}"
    for att in atts:
        for span in (att.cue, att.content, att.source, att.evidence):
            check_span(text, span)
        assert 0.0 <= att.confidence <= 1.0
