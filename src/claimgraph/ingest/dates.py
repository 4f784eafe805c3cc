"""Date strings -> ISO ``YYYY-MM-DD``: pure helpers shared by the cleaners and the feed reader.

``parse_date("Wednesday, May 22, 2024") == "2024-05-22"``; ``date_of_line`` answers the date
only when a whole line is a dateline ("Published 22 May 2024, 10:30 GMT"), not a sentence
that happens to mention a date.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"\b(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?!\d)")
_MONTH_FIRST = re.compile(r"\b(?P<m>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")
_DAY_FIRST = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b"
)
# 22.05.2024 is day-first everywhere; 05/22/2024 is month-first unless that is impossible.
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})\b")

_FILLER = re.compile(
    r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:published|updated|posted|"
    r"last|modified|date|dated|on|at|am|pm|a\.m\.|p\.m\.|gmt|utc|[a-z]{1,2}[sd]t|msk|cet|cest)\b"
    r"|t?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?z?|[^\w\s]"
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _named(match: re.Match[str]) -> str | None:
    month = _MONTHS.get(match["m"].lower())
    return _valid(int(match["y"]), month, int(match["d"])) if month else None


def _numeric(match: re.Match[str]) -> str | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if match["sep"] == "." or a > 12:
        return _valid(year, b, a)
    return _valid(year, a, b)


def _find(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in ``text`` and where it was found."""
    for pattern in (_ISO, _MONTH_FIRST, _DAY_FIRST, _NUMERIC):
        for match in pattern.finditer(text):
            if pattern is _ISO:
                found = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
            elif pattern is _NUMERIC:
                found = _numeric(match)
            else:
                found = _named(match)
            if found:
                return found, match
    return None


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, or None."""
    if not text:
        return None
    found = _find(text)
    return found[0] if found else None


def date_of_line(line: str) -> str | None:
    """The date of a dateline; None when the line says more than a date."""
    if len(line) > 80:
        return None
    found = _find(line)
    if found is None:
        return None
    iso, match = found
    rest = _FILLER.sub(" ", line[: match.start()] + " " + line[match.end() :])
    return iso if len(rest.split()) <= 1 else None
