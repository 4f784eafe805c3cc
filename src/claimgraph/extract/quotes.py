"""Quotation regions of a text: str -> list of (start, end) character ranges.

Pure helpers, no spaCy. A region runs from an opening double quote to its closing one
and may cross sentences and paragraphs: news style repeats the opening mark at the start
of each continued paragraph and closes only at the last one. Single quotes are left
out on purpose: apostrophes ("Shapps' assertion", "don't") look the same and would
open false regions.
"""

from __future__ import annotations

import bisect
import re

OPEN = "\u201c"
CLOSE = "\u201d"
STRAIGHT = '"'
DOUBLED = "''"  # some outlets write quotation marks as two apostrophes
_MARK = re.compile("''|[\"\u201c\u201d]")
_PARA = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _PARA.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _is_opening(text: str, i: int) -> bool:
    """A straight quote opens when nothing word-like sits right before it."""
    ch = text[i]
    if ch not in (STRAIGHT, "'"):
        return ch == OPEN
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,!?;:'\u2019")


def _paragraph_regions(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed regions in one paragraph, plus the start of a quote left open at its end."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _MARK.finditer(text, start, end):
        i, ch = m.start(), m.group(0)
        if ch == DOUBLED:
            ch = OPEN if _is_opening(text, i) else CLOSE
        if open_at is None:
            # a closing mark opens only where it is plainly used as an opening one (a typo)
            if ch != CLOSE or (i == 0 or text[i - 1].isspace()) and text[i + 1 : i + 2].isalnum():
                open_at = i
        elif ch == OPEN:  # a second opening mark: the first was never closed
            open_at = i
        elif ch == CLOSE or not _is_opening(text, i):
            regions.append((open_at, m.end()))
            open_at = None
        else:  # a straight mark that looks like an opening one: treat it as a restart
            open_at = i
    return regions, open_at


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping quoted ranges, marks included."""
    regions: list[tuple[int, int]] = []
    carried: int | None = None  # a quote continued from the previous paragraph
    for start, end in _paragraphs(text):
        body = text[start:end].lstrip()
        first = start + (len(text[start:end]) - len(body))
        if carried is not None and not (body[:1] in (OPEN, STRAIGHT) or body[:2] == DOUBLED):
            carried = None  # the continuation convention was not followed: drop it
        found, open_at = _paragraph_regions(text, start, end)
        if carried is not None and found and found[0][0] == first:
            found[0] = (carried, found[0][1])
            carried = None
        regions.extend(found)
        if open_at is not None:
            carried = carried if carried is not None and open_at == first else open_at
        elif carried is not None:
            regions.append((carried, end))
            carried = None
    if carried is not None:
        regions.append((carried, len(text)))
    return sorted(regions)


class QuoteIndex:
    """Fast look-ups over the quote regions of one text."""

    def __init__(self, text: str) -> None:
        self.regions = quote_regions(text)
        self._starts = [s for s, _ in self.regions]

    def containing(self, pos: int) -> tuple[int, int] | None:
        """The region that covers character ``pos``, if any."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.regions[i][0] <= pos < self.regions[i][1]:
            return self.regions[i]
        return None

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        out = []
        for s, e in self.regions[i:]:
            if s >= end:
                break
            if e > start:
                out.append((s, e))
        return out

    def quoted_share(self, start: int, end: int) -> float:
        """Fraction of [start, end) inside quotes."""
        if end <= start:
            return 0.0
        inside = sum(min(e, end) - max(s, start) for s, e in self.overlapping(start, end))
        return inside / (end - start)
