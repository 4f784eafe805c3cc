"""Paragraph boundaries: a tokenised Doc -> the same Doc with sentence starts after blank lines.

Runs before the parser, which respects preset sentence starts: headlines, datelines and
captions then never merge into the sentence that follows, and no content span found on
the parse can run across a paragraph break. It also rules out a sentence start right after
a word on the same line, where the parser would otherwise open one at an object-gap
relative clause ('cited remarks Tarrant had made about ...') and cut the sentence in two,
and at a lower-case word, where it would end a sentence at a question or exclamation mark
inside a quotation ('“Is it safe?” the inspector asked').
"""

from __future__ import annotations

import re
from typing import cast

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from thinc.types import Ints2d

# 'WASHINGTON (AP) —', 'NEW YORK, Dec. 22 (UPI) —', 'Washington (AFP) –', 'BRUSSELS (Meridian Wire) - ':
# a place (in capitals, or before an agency in brackets), maybe a date, then a dash
_DATELINE = re.compile(
    r"(?:(?P<caps>[A-Z][A-Z.'\- ]{1,30}?)|[A-Z][A-Za-z.'\- ]{1,30}?(?=,|\s*\())"
    r"(?:,\s*[A-Z][A-Za-z.]*\.?(?:\s+[A-Z][A-Za-z.]*\.?)?(?:\s+\d{1,2})?)?(?:,\s*\d{4})?"
    r"\s*(?P<agency>\((?![RDI]-)[A-Z][A-Za-z.&\- ]{0,30}\))?\s*(?:\u2014|\u2013|\u2015|--|-)\s+")


def paragraph_starts(doc: Doc) -> list[int]:
    """Indices of tokens that open a paragraph (follow whitespace holding a newline)."""
    starts = []
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and not tok.is_space or tok.is_space and "\n" in tok.text:
            nxt = doc[tok.i + 1]
            if not nxt.is_space:
                starts.append(nxt.i)
    return starts


def dateline_end(doc: Doc, start: int) -> int | None:
    """The first token after a dateline opening the paragraph at ``start``, if there is one.
    The parser otherwise takes 'WASHINGTON' for the subject of the lead sentence."""
    head = "".join(t.text_with_ws for t in doc[start:start + 24])  # not doc.text: rebuilt on each access
    m = _DATELINE.match(head)
    if m is None or not (m.group("caps") and m.group("caps").strip(" .'-").isupper() or m.group("agency")):
        return None
    at = doc[start].idx + m.end()
    for tok in doc[start + 1:start + 24]:
        if tok.idx == at:
            return tok.i
    return None


class ParagraphSplitter:
    """spaCy component: marks the first token of each paragraph, and of the sentence after a
    dateline, as a sentence start, and a token right after a word on its line, or a
    lower-case word not opening a line, as none."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # one array write: setting Token.is_sent_start token by token costs more than the parse
        starts = numpy.zeros(len(doc), dtype="int64")  # 1 a start, -1 none, 0 the parser decides
        prev = doc[0]
        for tok in doc[1:]:
            if prev.text.isalnum() and prev.whitespace_ == " " and not tok.is_space:
                starts[tok.i] = -1  # no sentence starts between two words on one line
            elif tok.is_alpha and tok.text[0].islower() and "\n" not in prev.text_with_ws:
                starts[tok.i] = -1  # nor at a lower-case word ('“Is it safe?” the inspector asked')
            prev = tok
        for i in [0, *paragraph_starts(doc)]:
            starts[i] = 1
            after = dateline_end(doc, i)
            if after is not None:
                starts[after] = 1
        doc.from_array([SENT_START], cast(Ints2d, starts.astype("uint64").reshape(-1, 1)))
        return doc
