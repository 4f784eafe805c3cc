"""Refusals: a refusal that names no topic takes the refusal clause as its content
(extract/refusals.py); one that names a topic takes the topic (extract/cues.py)."""

from __future__ import annotations

from typing import Any

from claimgraph.extract.refusals import fill_refusals
from claimgraph.records import Attribution, Span

TEXT = ("The harbour board declined to comment. Norland Freight, the quay's operator, did not respond to "
        "requests for comment on Friday. The mayor declined to comment on the audit.")


def span(words: str, after: int = 0) -> Span:
    at = TEXT.index(words, after)
    return Span.of(TEXT, at, at + len(words))


def refusal(source: str, cue: str, content: str | None = None) -> Attribution:
    cue_span = span(cue, TEXT.index(source))
    body = span(content) if content else Span(cue_span.end, cue_span.end, "")
    return Attribution(cue_span, body, "no_comment", source=span(source))


def test_refusal_without_topic_gets_its_clause_with_an_adjacent_source() -> None:
    out = fill_refusals([refusal("The harbour board", "declined to comment")], TEXT)
    assert out[0].content.text == "The harbour board declined to comment"


def test_source_apart_from_the_cue_stays_out_and_a_topic_is_kept() -> None:
    apart = refusal("Norland Freight", "did not respond")
    topic = refusal("The mayor", "declined to comment", "the audit")
    said = Attribution(span("declined"), span("comment"), "indirect")
    out = fill_refusals([apart, topic, said], TEXT)
    assert out[0].content.text == "did not respond to requests for comment on Friday"
    assert out[1:] == [topic, said]


def test_no_response_to_requests_for_comment_on_a_topic_is_one_refusal_of_that_topic(nlp: Any) -> None:
    """'did not respond to requests for comment on X': the cue runs through 'requests for
    comment', so 'requests' is no cue of its own, and X is what the source would not discuss."""
    text = "The port authority did not respond to requests for comment on the pilot's account."
    atts = nlp(text)._.attributions
    assert [(a.type, a.cue.text, a.source.text if a.source else None, a.content.text) for a in atts] == [
        ("no_comment", "did not respond to requests for comment", "The port authority", "the pilot's account")]
