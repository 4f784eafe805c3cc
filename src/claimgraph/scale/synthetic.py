"""Bundled samples -> any number of distinct, realistic articles, for benchmarks and scale tests.

``variants(n)`` repeats the sample articles with their people, numbers, dates and URLs
varied, so each variant has its own content hash and URL but the same shape (styles,
attributions, claims) as the original. Deterministic: the same ``n`` gives the same files.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

FIRST = ["Helena", "Marta", "Jonas", "Priya", "Tomas", "Aiko", "Rafael", "Leila", "Oskar", "Nadia",
         "Emeka", "Ines", "Viktor", "Sofia", "Kwame", "Lars", "Yusuf", "Clara", "Dmitri", "Hana"]
LAST = ["Marsh", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Varga", "Novak", "Quist", "Bauer",
        "Castillo", "Adeyemi", "Sorensen", "Kowalski", "Ferreira", "Nakamura", "Petrov", "Olsen", "Dubois", "Reyes"]
_NUMBER = re.compile(r"(?<![\w/.-])(\d{1,3})(?![\w/-])")


def sample_texts() -> list[tuple[str, str]]:
    """(file name, raw text) of every bundled sample article."""
    folder = resources.files("claimgraph").joinpath("samples")
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir()
                  if p.name.endswith((".txt", ".md", ".html")))


def vary(name: str, raw: str, i: int) -> tuple[str, str]:
    """The i-th variant of one sample: other names and numbers, its own URL and a closing line."""
    rng = random.Random(f"{name}-{i}")
    text = raw.replace("Helena Marsh", f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    text = _NUMBER.sub(lambda m: str(int(m.group(1)) + rng.randint(1, 9)), text)
    text = re.sub(r"(https?://[^\s\"<]+?)(?=[\s\"<]|$)", lambda m: f"{m.group(1)}-v{i}", text, count=0)
    stem, suffix = name.rsplit(".", 1)
    closing = f"Reporting by {rng.choice(FIRST)} {rng.choice(LAST)}; editing by desk {i}."
    if suffix == "html":
        text = text.replace("</article>", f"<p>{closing}</p></article>", 1)
    else:
        text = _before_url_trailer(text, closing)
    return f"{stem}-v{i:05d}.{suffix}", text


def _before_url_trailer(text: str, closing: str) -> str:
    marker = text.find("Original url:")
    if marker < 0:
        return text.rstrip() + f"\n\n{closing}\n"
    return text[:marker] + f"{closing}\n\n" + text[marker:]


def variants(n: int) -> Iterator[tuple[str, str]]:
    samples = sample_texts()
    for i in range(n):
        name, raw = samples[i % len(samples)]
        yield vary(name, raw, i // len(samples))


def write_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in variants(n):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
