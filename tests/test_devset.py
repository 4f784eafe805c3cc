"""Validate the hand-annotated sets: the development set in devset/ (see devset/README.md) and
the held-out stories in heldout/ (see heldout/README.md), which nothing is tuned on, and the
training stories in trainset/ (see trainset/README.md).

Standard library only. Checks the gold files against the gold schema of
../shared/eval/PROTOCOL.md and against their articles: every attribution's
content, source_mention and cue must occur in the cleaned article text, so that
token matching by the scorer works; ids, stances and claim ids must be coherent;
canonical entity names must be consistent across files.
"""
from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# set folder -> (at least this many annotated articles, at least this many stories)
SETS = {ROOT / "devset": (16, 4), ROOT / "heldout": (8, 2), ROOT / "trainset": (24, 6)}

ENTITY_TYPES = {"person", "organization", "country", "group"}
ATTR_TYPES = {"direct", "indirect", "mixed", "according_to", "no_comment"}
STANCES = {"asserts", "supports", "disputes", "denies", "no_comment"}
TOP_FIELDS = {"doc", "article", "title", "published", "url", "entities", "attributions", "relations"}
ATTR_REQUIRED = {"id", "source", "source_mention", "cue", "type", "content", "hedged", "claim", "stance"}
ATTR_ALLOWED = ATTR_REQUIRED | {"evidence", "via", "cites", "optional", "note"}
ENTITY_REQUIRED = {"name", "type", "mentions"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def gold_files(root: Path) -> list[Path]:
    return sorted((root / "gold").glob("*.json"))


GOLD_FILES = [(root, path) for root in SETS for path in gold_files(root)]
set_ids = {"ids": lambda root: root.name}


def clean(text: str) -> str:
    """Article text as the gold 'content' is written: markup stripped, whitespace collapsed."""
    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text).replace("**", " ")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\s+", " ", text).strip()
    # tag stripping leaves a space before punctuation that followed an inline tag
    return re.sub(r" ([.,;:!?])", r"\1", text)


def norm(s: str) -> str:
    return clean(s)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def article_text(root: Path, gold: dict) -> str:
    return clean((root / gold["article"]).read_text(encoding="utf-8"))


def sources(attr: dict) -> list[str]:
    return [s.strip() for s in attr["source"].split(";")]


@pytest.mark.parametrize("root", SETS, **set_ids)
def test_set_present(root: Path):
    articles, stories = SETS[root]
    assert len(gold_files(root)) >= articles, f"{root.name} promises at least {articles} annotated articles"
    assert len({f.stem.rsplit("-", 1)[0] for f in gold_files(root)}) >= stories


@pytest.mark.parametrize("root", SETS, **set_ids)
def test_one_gold_per_article(root: Path):
    articles = {p.stem for p in (root / "articles").iterdir() if p.suffix in {".txt", ".md", ".html"}}
    assert articles == {p.stem for p in gold_files(root)}


@pytest.mark.parametrize(("root", "path"), GOLD_FILES, ids=[f"{r.name}-{p.stem}" for r, p in GOLD_FILES])
def test_gold_file(root: Path, path: Path):
    g = load(path)
    missing = TOP_FIELDS - g.keys()
    assert not missing, f"missing fields {missing}"
    assert g["doc"] == path.stem
    assert g["article"].startswith("articles/") and Path(g["article"]).stem == g["doc"]
    assert (root / g["article"]).is_file()
    date.fromisoformat(g["published"])
    assert g["url"].startswith("https://") and g["title"].strip()
    text = article_text(root, g)
    low = text.lower()
    assert norm(g["title"]).lower() in low, "title not in article"

    names = set()
    for e in g["entities"]:
        assert ENTITY_REQUIRED <= e.keys(), e
        assert e["type"] in ENTITY_TYPES, e
        assert e["name"] not in names, f"duplicate entity {e['name']}"
        names.add(e["name"])
        assert e["mentions"], e
        for m in e["mentions"]:
            assert norm(m).lower() in low, f"mention {m!r} of {e['name']} not in article"
    mentions_of = {e["name"]: {norm(m).lower() for m in e["mentions"]} for e in g["entities"]}

    ids = set()
    for a in g["attributions"]:
        assert ATTR_REQUIRED <= a.keys(), f"{a.get('id')}: missing {ATTR_REQUIRED - a.keys()}"
        assert not (a.keys() - ATTR_ALLOWED), f"{a['id']}: unknown fields {a.keys() - ATTR_ALLOWED}"
        assert re.fullmatch(r"a\d+", a["id"]) and a["id"] not in ids, a["id"]
        ids.add(a["id"])
        assert a["type"] in ATTR_TYPES, a
        assert a["stance"] in STANCES, a
        assert isinstance(a["hedged"], bool)
        assert isinstance(a.get("optional", False), bool)
        assert KEBAB.match(a["claim"]), a["claim"]
        if a["type"] == "no_comment":
            assert a["stance"] == "no_comment", a["id"]
        for field in ("content", "source_mention", "cue"):
            assert norm(a[field]).lower() in low, f"{a['id']}: {field} {a[field]!r} not in article"
        for s in sources(a):
            assert s in names, f"{a['id']}: source {s!r} not among entities"
        sm = norm(a["source_mention"]).lower()
        assert any(sm in mentions_of[s] for s in sources(a)), \
            f"{a['id']}: source_mention {a['source_mention']!r} not a mention of {a['source']}"
        for field in ("via", "cites"):
            if a.get(field):
                assert isinstance(a[field], str)
        if a.get("evidence"):
            assert isinstance(a["evidence"], str) and a["evidence"].strip()

    for r in g["relations"]:
        assert {"from", "to", "type"} <= r.keys()
        assert r["from"] in ids and r["to"] in ids and r["from"] != r["to"], r
        assert r["type"] in STANCES, r
        frm = next(a for a in g["attributions"] if a["id"] == r["from"])
        assert frm["stance"] == r["type"], f"relation {r}: stance of {r['from']} is {frm['stance']}"


@pytest.mark.parametrize("root", SETS, **set_ids)
def test_claims_registry(root: Path):
    """Every claim id in claims.json is used by an attribution, and every used id is registered."""
    registry = load(root / "claims.json")
    used = defaultdict(set)
    for path in gold_files(root):
        for a in load(path)["attributions"]:
            used[a["claim"]].add(path.stem)
    assert set(registry) == set(used), (set(registry) ^ set(used))
    for cid, info in registry.items():
        assert KEBAB.match(cid) and info.get("label") and info.get("story"), cid
        assert all(stem.startswith(info["story"] + "-") for stem in used[cid]), (cid, used[cid])


def test_canonical_names_consistent():
    """The same canonical entity keeps its type and affiliation everywhere (in both sets), and no
    canonical name is used as a mere mention of a different entity."""
    seen: dict[str, tuple] = {}
    mention_owner: dict[str, set] = defaultdict(set)
    for _, path in GOLD_FILES:
        for e in load(path)["entities"]:
            key = (e["type"], e.get("affiliation") or None)
            if e["name"] in seen:
                assert seen[e["name"]] == key, f"{path.stem}: {e['name']} {key} vs {seen[e['name']]}"
            seen[e["name"]] = key
            for m in e["mentions"]:
                mention_owner[m].add(e["name"])
    for name in seen:
        others = mention_owner.get(name, set()) - {name}
        assert not others, f"canonical name {name!r} is a mention of {others}"


def test_stories_span_several_days():
    by_story = defaultdict(set)
    for _, path in GOLD_FILES:
        g = load(path)
        by_story[path.stem.rsplit("-", 1)[0]].add(g["published"])
    for story, dates in by_story.items():
        assert len(dates) >= 2, f"{story} has a single date"


@pytest.mark.parametrize("root", SETS, **set_ids)
def test_readme_counts(root: Path):
    """Each set's README.md states its current counts."""
    golds = [load(p) for p in gold_files(root)]
    attrs = [a for g in golds for a in g["attributions"]]
    stories = len({p.stem.rsplit("-", 1)[0] for p in gold_files(root)})
    expected = (f"Counts: {len(golds)} articles, {len(attrs)} attributions "
                f"({sum(1 for a in attrs if a.get('optional'))} optional), "
                f"{len({a['claim'] for a in attrs})} claims, "
                f"{sum(len(g['relations']) for g in golds)} relations, "
                f"{stories} {'story' if stories == 1 else 'stories'}.")
    assert expected in (root / "README.md").read_text(encoding="utf-8"), expected
