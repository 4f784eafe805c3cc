"""Paragraph boundaries: a tokenised Doc -> the same Doc with sentence starts after blank lines.

Runs before the parser, which respects preset sentence starts: headlines, datelines and
captions then never merge into the sentence that follows, and no content span found on
the parse can run across a paragraph break.
"""

from __future__ import annotations

from spacy.tokens import Doc


def paragraph_starts(doc: Doc) -> list[int]:
    """Indices of tokens that open a paragraph (follow whitespace holding a newline)."""
    starts = []
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and not tok.is_space or tok.is_space and "\n" in tok.text:
            nxt = doc[tok.i + 1]
            if not nxt.is_space:
                starts.append(nxt.i)
    return starts


class ParagraphSplitter:
    """spaCy component: marks the first token of each paragraph as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        for i in paragraph_starts(doc):
            doc[i].is_sent_start = True
        return doc
