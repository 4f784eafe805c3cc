"""A long run's memory does not grow with its vocabulary: each batch is analysed inside a
spaCy memory zone, so the strings new words add to the shared vocabulary are dropped
after the batch, while the results (plain records) stay whole."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest

from claimgraph.pipeline import analyse
from claimgraph.records import Article

WORDS = ["harbour", "grain", "barge", "tariff", "envoy", "ministry"]


def article(i: int) -> Article:
    """An article whose names are new words (a corpus of fresh names grows the vocabulary)."""
    rng = random.Random(i)
    names = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)).title()
             for _ in range(40)]
    text = (f"Port Report {i}\n\n"
            + " ".join(f"{n} Quarry said the {rng.choice(WORDS)} was late." for n in names))
    digest = hashlib.sha256(text.encode()).hexdigest()
    head = text.index("\n\n")
    return Article(id=digest[:16], text=text, content_hash=digest, paragraphs=((0, head), (head + 2, len(text))))


def test_new_words_leave_the_vocabulary_after_each_batch(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_EMBEDDER", "hash")  # the vocabulary is spaCy's; any embedder will do
    list(analyse(nlp, [article(0)], batch_size=4))  # warm-up: the pipeline's own strings are in
    before = len(nlp.vocab.strings)
    results = list(analyse(nlp, [article(i) for i in range(1, 9)], batch_size=4))
    assert len(nlp.vocab.strings) - before < 50  # 8 x 40 fresh names went through
    assert len(results) == 8
    said = [a for r in results for a in r.attributions]
    assert len(said) >= 8 * 30 and all(a.source is not None and a.source.text.endswith("Quarry") for a in said[:20])
