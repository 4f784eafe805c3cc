"""Fuzz the cleaner: bytes -> decode_text -> article_from_text / article_from_html.

    python fuzz/fuzz_clean.py [corpus_dir] -max_total_time=20
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["claimgraph"]):
    from claimgraph.errors import ClaimgraphError, EmptyInputError
    from claimgraph.ingest.clean import article_from_html, article_from_text
    from claimgraph.ingest.decode import decode_text

from _common import check_article, check_error


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    as_html = fdp.ConsumeBool()
    raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        text = decode_text(raw, subject="fuzz")
    except ClaimgraphError as exc:
        check_error(exc)
        text = raw.decode("utf-8", "replace")  # the cleaner still gets a go at whatever it is
    try:
        art = article_from_html(text) if as_html else article_from_text(text)
    except EmptyInputError as exc:
        check_error(exc)
        return
    check_article(art)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
