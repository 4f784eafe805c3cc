"""countryinfo package data -> ``data/countries.tsv`` (run at build time, not at run time).

``python -m claimgraph.resolve.build_places`` reads every country of the ``countryinfo``
package (MIT licence; names, ISO codes, capitals, demonyms, alternative spellings) and
writes one row per ISO alpha-2 code: iso2, name, capital, demonym, population, aliases.
When two records share a code (countryinfo keeps a few historical duplicates) the more
populous one wins; codes ISO 3166 has deleted (states that no longer exist) are left out, so
that "Belgrade" is Serbia's capital, not Serbia and Montenegro's. The resolver reads only the
TSV, so run time needs no extra package.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

HEADER = ("iso2", "name", "capital", "demonym", "population", "aliases")
# ISO 3166-1 codes deleted with their states: Netherlands Antilles, Serbia and Montenegro,
# Yugoslavia, East Timor's old code, Zaire, Burma's old code, East Germany, the Soviet Union
DELETED = {"AN", "CS", "YU", "TP", "ZR", "BU", "DD", "SU"}
OUT = Path(__file__).with_name("data") / "countries.tsv"


def _records() -> list[dict[str, Any]]:
    folder = resources.files("countryinfo").joinpath("data")
    return [json.loads(f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".json")]


def _clean(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return re.sub(r"\s+", " ", str(value or "")).replace("\t", " ").strip()


def _aliases(rec: dict[str, Any]) -> list[str]:
    """Latin-script alternative spellings longer than a code (codes are matched separately)."""
    out = []
    for a in rec.get("altSpellings") or []:
        a = _clean(a)
        if len(a) > 3 and a.isascii() and "," not in a:
            out.append(a)
    return out


def row(rec: dict[str, Any]) -> tuple[str, ...] | None:
    """One countryinfo record -> a TSV row, or None without an ISO code."""
    iso2 = _clean((rec.get("ISO") or {}).get("alpha2"))
    if not iso2:
        return None
    return (iso2, _clean(rec.get("name")), _clean(rec.get("capital")), _clean(rec.get("demonym")),
            str(int(rec.get("population") or 0)), "|".join(_aliases(rec)))


def build() -> list[tuple[str, ...]]:
    best: dict[str, tuple[str, ...]] = {}
    for rec in _records():
        r = row(rec)
        if r and r[0] not in DELETED and (r[0] not in best or int(r[4]) > int(best[r[0]][4])):
            best[r[0]] = r
    return [best[k] for k in sorted(best)]


def main() -> int:
    rows = build()
    lines = ["\t".join(HEADER), *("\t".join(r) for r in rows)]
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {len(rows)} countries to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
