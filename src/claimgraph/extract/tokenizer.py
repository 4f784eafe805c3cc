"""Tokenizer guard: text -> Doc, exactly as spaCy's tokenizer, but linear on long runs.

spaCy's prefix/suffix splitting is quadratic (or worse) in the length of a run without
whitespace: 6,000 commas, emoji or ``'s`` repeated take ~10 s, and a 1 MB line of them
would take days. Runs longer than ``MAX_RUN`` characters are cut into ``MAX_RUN``-character
tokens without affix splitting (no real word is that long); everything else goes through
the wrapped tokenizer unchanged. ``doc.text == text`` always, so character offsets keep
pointing into the article.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

MAX_RUN = 100
_LONG = re.compile(rf"\S{{{MAX_RUN + 1},}}")


QUOTATION_DASH = "\u2015"  # the horizontal bar: '“...”― Name' credits a quotation


def split_quotation_dash(tokenizer: Any) -> None:
    """Make the horizontal bar a token of its own ('”―', '―Name' are one token in spaCy's
    rules), so that the dash cue sees it between a quotation and its speaker."""
    suffix, prefix = tokenizer.suffix_search.__self__, tokenizer.prefix_search.__self__
    tokenizer.suffix_search = re.compile(f"(?:{suffix.pattern})|{QUOTATION_DASH}$").search
    tokenizer.prefix_search = re.compile(f"(?:{prefix.pattern})|^{QUOTATION_DASH}").search


class BoundedTokenizer:
    """Wraps a spaCy tokenizer; ``nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.vocab = inner.vocab

    def __call__(self, text: str) -> Doc:
        if _LONG.search(text) is None:
            return self.inner(text)  # type: ignore[no-any-return]
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for run in _LONG.finditer(text):
            self._add(text[pos : run.start()], words, spaces)
            for i in range(run.start(), run.end(), MAX_RUN):
                words.append(text[i : min(i + MAX_RUN, run.end())])
                spaces.append(False)  # the next piece (a run chunk or whitespace) follows directly
            pos = run.end()
        self._add(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add(self, segment: str, words: list[str], spaces: list[bool]) -> None:
        if segment:
            for token in self.inner(segment):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))

    def __getattr__(self, name: str) -> Any:
        # everything else (special cases, serialisation, pipe) is the wrapped tokenizer's
        return getattr(self.inner, name)
