"""Place names, demonyms and seats of power -> the state or institution they stand for.

``lookup("the Kremlin")`` -> ``Place(name="Russia", type="country", rule="seats.tsv: seat Kremlin")``.
Rows come from two package-data tables: ``data/countries.tsv``, derived from the
``countryinfo`` package by ``build_places`` (names, ISO codes, capitals, demonyms, alternative
spellings), and ``data/seats.tsv``, a short curated table of seats of power, abbreviations
and the adjective used to name anonymous sources. Curated rows win over derived ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Capitals of small states collide with surnames and towns ("Hamilton", "Victoria",
# "Kingston"), so only capitals of states above this population stand for their state.
MIN_CAPITAL_POPULATION = 5_000_000


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical name, entity type and the table row that decided it."""

    name: str
    type: str
    rule: str


def norm(text: str) -> str:
    """Surface -> lookup key: no leading article, no possessive, no dots, lower case."""
    text = text.strip().replace("\u2019", "'")
    text = re.sub(r"(?i)^the\s+", "", text)
    text = re.sub(r"(?i)'s?$", "", text)
    return re.sub(r"\s+", " ", text.replace(".", "")).strip().lower()


def _read(name: str) -> list[list[str]]:
    text = resources.files("claimgraph.resolve").joinpath("data", name).read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]


def _country_rows() -> dict[str, Place]:
    table: dict[str, tuple[int, Place]] = {}

    def put(surface: str, place: Place, pop: int) -> None:
        key = norm(surface)
        if key and (key not in table or table[key][0] < pop):
            table[key] = (pop, place)

    for iso2, name, capital, demonym, population, aliases in _read("countries.tsv"):
        pop = int(population or 0)
        big = pop * 1000  # a country's own name beats any capital or demonym homonym
        put(name, Place(name, "country", f"countries.tsv: name {name}"), big)
        for alias in filter(None, aliases.split("|")):
            put(alias, Place(name, "country", f"countries.tsv: alias {alias} of {name}"), big)
        if demonym:
            put(demonym, Place(name, "country", f"countries.tsv: demonym {demonym} of {name}"), pop)
        if capital and pop >= MIN_CAPITAL_POPULATION:
            put(capital, Place(name, "country", f"countries.tsv: capital {capital} of {name}"), pop)
    return {k: v[1] for k, v in table.items()}


@cache
def places() -> dict[str, Place]:
    """Every known surface key -> Place (derived table, then curated rows on top)."""
    table = _country_rows()
    for surface, canonical, etype, kind, _note in _read("seats.tsv"):
        if kind != "adjective":
            table[norm(surface)] = Place(canonical, etype, f"seats.tsv: {kind} {surface} -> {canonical}")
    return table


@cache
def adjectives() -> dict[str, str]:
    """Canonical place name -> the adjective used in names ("United States" -> "U.S.")."""
    out = {name: demonym for _i, name, _c, demonym, _p, _a in _read("countries.tsv") if demonym}
    for surface, canonical, _t, kind, _n in _read("seats.tsv"):
        if kind == "adjective":
            out[canonical] = surface
    return out


def lookup(text: str) -> Place | None:
    """A surface form ("Beijing", "U.S.", "Chinese-supplied", "the White House") -> Place."""
    key = norm(text)
    # places are proper names: a lower-case "us" or "chad" is not a country
    if not key or not re.sub(r"(?i)^the\s+", "", text.strip())[:1].isupper():
        return None
    found = places().get(key)
    if found is None and "-" in key and " " not in key:
        # "Chinese-supplied", "Kremlin-backed": the first part names the place
        found = places().get(key.split("-", 1)[0])
        if found is not None:
            found = Place(found.name, found.type, found.rule + " (hyphenated modifier)")
    return found


def adjective(name: str) -> str:
    """Canonical place -> adjective for naming groups; the name itself when none is known."""
    return adjectives().get(name, name)
