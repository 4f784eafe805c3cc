"""Fuzz the extractor: text -> claimgraph.extract.extract(nlp, text) on the real spaCy pipeline,
then cleaning and in-article resolution as ingest runs them.

Spans must lie inside the text with ``text[start:end] == span.text``; confidence in [0, 1].

    python fuzz/fuzz_extract.py [corpus_dir] -max_total_time=30
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["claimgraph"]):
    from claimgraph import pipeline
    from claimgraph.errors import EmptyInputError
    from claimgraph.extract import build_nlp, extract
    from claimgraph.ingest.clean import article_from_text

from _common import check_article, check_attributions, check_error

MAX_CHARS = 3000  # keeps each run short; long-input behaviour has its own tests
NLP = build_nlp()


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(MAX_CHARS)
    check_attributions(text, extract(NLP, text))
    try:
        art = article_from_text(text)
    except EmptyInputError as exc:
        check_error(exc)
        return
    check_article(art)
    (result,) = pipeline.analyse(NLP, [art])
    check_attributions(art.text, result.attributions)
    for mention in result.mentions:
        assert art.text[mention.span.start : mention.span.end] == mention.span.text


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
