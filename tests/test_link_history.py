"""A claim's stances are decided in publication order, whatever order its articles arrive in."""

from __future__ import annotations

from typing import Any

import pytest
from test_store import TEXT, make_result

from claimgraph.link.history import Basis, Histories, Member, article_order, loader
from claimgraph.records import Claim
from claimgraph.store import Repository

# Borduria founds the claim on day 1; Syldavia denies it on day 2, then on day 3 speaks again
# with a sentence that negates nothing: an opponent's next point, which disputes.
DAY1 = [Basis("Syldavia shelled the border post", "said", "indirect", "Borduria", "Borduria",
              founds=True, propositional=True, opens=True, actors=("Syldavia", "Borduria"))]
DAY2 = [Basis("Syldavian troops never opened fire", "denied", "indirect", "Syldavia", "Syldavia",
              negated=True, propositional=True, actors=("Syldavia",))]
DAY3 = [Basis("the post was hit by Bordurian artillery", "said", "indirect", "Syldavia", "Syldavia",
              founds=True, propositional=True, opens=True, actors=("Borduria",))]


def _article(day: int, bases: list[Basis]) -> list[Member]:
    return [Member(article_order(f"2026-05-{day:02d}", f"h{day}"), f"a{day}", k, b) for k, b in enumerate(bases)]


def _decide(days: list[int]) -> tuple[dict[str, tuple[str, str]], list[tuple[str, int, str, str, str]]]:
    h = Histories()
    h.start("c1")
    articles = {1: DAY1, 2: DAY2, 3: DAY3}
    members = {d: _article(d, articles[d]) for d in days}
    for d in days:
        h.decide("c1", members[d])
    return {f"a{d}": (m.stance, m.rule) for d in days for m in members[d]}, h.take_updates()


def test_in_order_the_running_state_decides() -> None:
    stances, updates = _decide([1, 2, 3])
    assert stances == {"a1": ("asserts", "asserts.founds"), "a2": ("denies", "denies.cue"),
                       "a3": ("disputes", "disputes.follow_up")}
    assert updates == []


def test_an_earlier_report_arriving_later_decides_the_claim_again() -> None:
    in_order, _ = _decide([1, 2, 3])
    h = Histories()
    h.start("c1")
    late = {d: _article(d, b) for d, b in ((3, DAY3), (1, DAY1), (2, DAY2))}
    h.decide("c1", late[3])
    assert (late[3][0].stance, late[3][0].rule) == ("asserts", "asserts.founds")  # alone, it founds
    h.decide("c1", late[1])
    h.decide("c1", late[2])
    assert {f"a{d}": (m[0].stance, m[0].rule) for d, m in late.items()} == in_order
    # day 3's stance changed twice; the store gets the last one once, day 1's never changed
    assert h.take_updates() == [("a3", 0, "c1", "disputes", "disputes.follow_up")]
    assert h.take_updates() == []


def test_a_late_report_decides_again_only_what_follows_it(monkeypatch: Any) -> None:
    from claimgraph.link import history

    decided: list[str] = []
    real = history.stance_of

    def counting(a: Any, ctx: Any) -> Any:
        decided.append(a.content)
        return real(a, ctx)

    monkeypatch.setattr(history, "stance_of", counting)
    h = Histories()
    h.start("c1")
    h.decide("c1", _article(1, DAY1))
    h.decide("c1", _article(3, DAY3))
    decided.clear()
    h.decide("c1", _article(2, DAY2))
    assert decided == [DAY2[0].content, DAY3[0].content]  # day 1 comes before: kept as decided
    # a merge decides every member again
    h.start("c2")
    h.decide("c2", _article(4, DAY3))
    h.merge("c2", "c1")
    decided.clear()
    h.decide("c1", _article(5, DAY2))
    assert len(decided) == 5


def test_a_claim_past_the_replay_limit_decides_a_late_report_on_its_state(monkeypatch: Any) -> None:
    from claimgraph.link import history

    monkeypatch.setattr(history, "REPLAY_LIMIT", 1)
    h = Histories()
    h.start("c1")
    day3, day1, day2 = _article(3, DAY3), _article(1, DAY1), _article(2, DAY2)
    h.decide("c1", day3)
    h.decide("c1", day1)  # one member known, within the limit: decided again
    assert [u[0] for u in h.take_updates()] == ["a3"] and day1[0].rule == "asserts.founds"
    h.decide("c1", day2)  # two known, past it: decided on the state, nothing decided again
    assert h.take_updates() == [] and "a2" in h.late
    assert day2[0].rule == "denies.cue"


def test_merged_claims_are_decided_again_as_one() -> None:
    h = Histories()
    for cid in ("c1", "c2"):
        h.start(cid)
    first, second = _article(1, DAY1), _article(3, DAY3)
    h.decide("c1", first)
    h.decide("c2", second)
    assert second[0].rule == "asserts.founds"
    h.merge("c2", "c1")
    h.decide("c1", _article(2, DAY2))
    assert h.take_updates() == [("a3", 0, "c1", "disputes", "disputes.follow_up")]
    assert h.stances("c1") == {"asserts", "denies", "disputes"} and h.stances("c2") == set()


def test_bases_round_trip_through_the_store(repo: Any) -> None:
    basis = DAY1[0]
    result = make_result()
    said, denied = result.attributions
    repo.add(result.__class__(result.article, (said.with_(stance_basis=basis.to_json()), denied),
                              result.entities, result.mentions, result.claims))
    members = loader(repo.stance_history)(["bridge-reopens", "unknown"])
    assert list(members) == ["bridge-reopens"]
    got = {m.seq: m for m in members["bridge-reopens"]}
    # the stored basis comes back with the attribution's own content, cue and type
    assert got[0].basis == Basis(said.content.text, said.cue.text, said.type, "Borduria", "Borduria", founds=True,
                                 propositional=True, opens=True, actors=("Syldavia", "Borduria"))
    assert got[0].order == article_order("2026-03-01", "h1") and got[0].article == "a1"
    # a stance stored without a basis keeps its stance and speaks for its source
    assert got[1].basis is None and (got[1].stance, got[1].source) == ("denies", "Her deputy")


def test_updates_change_stored_stances_and_the_contested_flag(repo: Any) -> None:
    repo.add(make_result())
    assert repo.claim("bridge-reopens")["contested"] is True
    assert repo.update_stances([("a1", 1, "bridge-reopens", "supports", "supports.agrees"),
                                ("gone", 0, "bridge-reopens", "denies", "x")]) == 1
    rows = repo.attribution_rows()
    assert [(r["stance"], r["stance_rule"]) for r in rows][1] == ("supports", "supports.agrees")
    assert repo.claim("bridge-reopens")["contested"] is False
    assert repo.update_stances([]) == 0


def test_a_linker_over_a_store_keeps_only_running_states_once_members_are_stored(tmp_path: Any) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        repo.add(make_result())
        calls: list[list[str]] = []
        load = loader(repo.stance_history)

        def counting(ids: Any) -> Any:
            calls.append(list(ids))
            return load(ids)

        h = Histories(counting)
        day9, day8 = _article(9, DAY2), _article(8, DAY3)
        h.decide("bridge-reopens", day9)  # first met: its stored members are loaded
        h.decide("bridge-reopens", day8)  # earlier than day 9: decided again, not loaded again
        assert calls == [["bridge-reopens"]] and h.late == {"a8"}
        h.flush()  # the store has them all: nothing but the running state is kept
        assert not h._whole and not h._pending and h.stances("bridge-reopens")
        h.decide("bridge-reopens", _article(10, DAY2))  # after every member: no load
        assert calls == [["bridge-reopens"]]
        h.decide("bridge-reopens", _article(7, DAY2))  # before some: the history is loaded again
        assert calls == [["bridge-reopens"], ["bridge-reopens"]]
    finally:
        repo.close()


def _two_claims(result: Any, second: str) -> Any:
    """``result`` with its second attribution moved to claim ``second``."""
    said, denied = result.attributions
    return result.__class__(result.article, (said, denied.with_(claim=second)), result.entities, result.mentions,
                            result.claims + (Claim(id=second, label=second),))


def test_a_story_is_followed_through_shared_claims_up_to_a_limit(repo: Any) -> None:
    repo.add(make_result())  # a1: both statements on bridge-reopens
    repo.add(_two_claims(make_result(TEXT + " Two.", article_id="a2", h="h2", url=None), "budget-cut"))
    repo.add(make_result(TEXT + " Three.", article_id="a3", h="h3", url=None, claim="budget-cut"))
    repo.add(make_result(TEXT + " Four.", article_id="a4", h="h4", url=None, claim="elsewhere"))
    assert repo.story_of(["a1"], 10) == (["a1", "a2", "a3"], {"bridge-reopens", "budget-cut"})
    assert repo.story_of(["a3"], 10) == (["a1", "a2", "a3"], {"bridge-reopens", "budget-cut"})
    assert repo.story_of(["a4", "missing"], 10) == (["a4"], {"elsewhere"})
    assert repo.story_of(["a1"], 2) is None


def test_stored_results_are_what_analysis_stored(repo: Any) -> None:
    result = make_result()
    repo.add(result)
    (back,) = repo.stored_results(["a1", "missing"])
    assert back.article == result.article
    assert back.attributions == tuple(a.with_(claim=None, stance=None, stance_target=None) for a in result.attributions)
    assert back.entities == result.entities and back.mentions == result.mentions and back.claims == ()


def test_a_story_is_read_back_in_a_fixed_number_of_queries(repo: Any) -> None:
    """Linking a story again reads up to RELINK_LIMIT articles: one query per table, not per
    article, in the order asked for."""
    from sqlalchemy import event

    for k in range(1, 6):
        repo.add(make_result(f"{TEXT} Part {k}.", article_id=f"a{k}", h=f"h{k}", url=None))
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(repo.engine, "before_cursor_execute", count)
    try:
        one = len(repo.stored_results(["a1"])) and len(seen)
        seen.clear()
        back = repo.stored_results(["a4", "missing", "a2", "a5", "a1", "a3"])
    finally:
        event.remove(repo.engine, "before_cursor_execute", count)
    assert [r.article.id for r in back] == ["a4", "a2", "a5", "a1", "a3"]
    assert len(seen) == one and all(len(r.attributions) == 2 and r.entities for r in back)


def test_replaced_links_drop_the_claims_no_stance_keeps(repo: Any) -> None:
    repo.add(make_result())
    repo.add(make_result(TEXT + " Two.", article_id="a2", h="h2", url=None, claim="kept"))
    (back,) = repo.stored_results(["a1"])
    new = Claim(id="reopening", label="the bridge will reopen")
    relinked = back.__class__(back.article, tuple(a.with_(claim="reopening", stance="asserts") for a in back.attributions),
                              back.entities, back.mentions, (new,))
    repo.replace_links([relinked], {"bridge-reopens", "kept"})
    assert repo.claim("bridge-reopens") is None and repo.claim("kept") is not None  # a2 still states it
    assert {r["claim_id"] for r in repo.attribution_rows(article_id="a1")} == {"reopening"}
    assert repo.claim("reopening")["contested"] is False and repo.check() == []


def test_stories_waiting_to_be_linked_again_are_noted_with_the_write(repo: Any) -> None:
    """Noted in the transaction that stores the late report, cleared in the one that links
    the story again, and gone with a deleted article (whose story is noted instead)."""
    repo.add(make_result(), relink={"a1", "never-stored"})
    assert repo.pending_relinks() == ["a1"]
    repo.add(make_result(TEXT + " Two.", article_id="a2", h="h2", url=None), relink={"a1", "a2"})
    assert repo.pending_relinks() == ["a1", "a2"]
    (back,) = repo.stored_results(["a1"])
    relinked = back.__class__(back.article, tuple(a.with_(claim="bridge-reopens", stance="asserts")
                                                  for a in back.attributions), back.entities, back.mentions,
                              (Claim(id="bridge-reopens", label="the bridge will reopen"),))
    repo.replace_links([relinked], {"bridge-reopens"})
    assert repo.pending_relinks() == ["a2"]
    repo.delete_article("a2")
    assert repo.pending_relinks() == ["a1"] and repo.check() == []  # a1 stated a claim a2 had


def test_waiting_stories_are_linked_again_one_story_at_a_time(repo: Any, monkeypatch: Any) -> None:
    """Two unrelated stories wait; each is within the limit though both together are not,
    and each is linked again."""
    from claimgraph import pipeline

    repo.add(make_result(), relink={"a1"})
    repo.add(make_result(TEXT + " Four.", article_id="a4", h="h4", url=None, claim="elsewhere"), relink={"a4"})
    monkeypatch.setattr(pipeline, "RELINK_LIMIT", 1)
    assert repo.story_of(["a1", "a4"], 1) is None  # together they are past it
    assert pipeline.Linker(repo).finish(repo) == 2
    assert repo.pending_relinks() == [] and repo.check() == []
    assert all(r["claim_id"] for r in repo.attribution_rows())


def test_a_write_linked_against_claims_changed_since_is_refused(repo: Any) -> None:
    """Every write that changes claims counts; one that expects an older count writes nothing."""
    from claimgraph.errors import StaleLinksError

    start = repo.link_generation()
    repo.add(make_result(), expect=start)
    assert repo.link_generation() == start + 1
    with pytest.raises(StaleLinksError):
        repo.add(make_result(TEXT + " Two.", article_id="a2", h="h2", url=None), expect=start, relink={"a1"})
    assert repo.counts()["articles"] == 1 and repo.pending_relinks() == [] and repo.link_generation() == start + 1
    repo.merge_claims([])  # writes outside a linker move the count on too
    (back,) = repo.stored_results(["a1"])
    with pytest.raises(StaleLinksError):
        repo.replace_links([back], {"bridge-reopens"}, expect=start + 1)
    assert repo.claim("bridge-reopens") is not None and repo.link_generation() == start + 2


def test_a_claims_linker_state_reads_back_as_it_was_stored(repo: Any) -> None:
    """A linker in a later process goes on from exactly the state the last one left: the
    centroid to the last bit, how many contents it averages, a label a reaction gave it,
    and who has spoken on it."""
    import numpy as np

    from claimgraph.link.cluster import ClaimState

    rng = np.random.default_rng(7)
    vec = rng.normal(size=384).astype(np.float32)
    state = ClaimState("bridge-reopens", "the report", vec / np.linalg.norm(vec), size=5, weight=3,
                       actors=("Ana Ruiz",), first_seen="2026-03-01", sources={"Ana Ruiz", "Her deputy"},
                       weak_label=True, subjects={"Ana Ruiz"})
    result = make_result()
    repo.add(result.__class__(result.article, result.attributions, result.entities, result.mentions,
                              (state.to_claim(),)))
    (back,) = [ClaimState.from_claim(c) for c in repo.all_claims()]
    assert back.vector.dtype == np.float32 and np.array_equal(back.vector, state.vector)
    assert (back.size, back.weight, back.weak_label, back.sources, back.subjects) == (5, 3, True, state.sources,
                                                                                      {"Ana Ruiz"})
    assert set(repo.claim("bridge-reopens")) >= {"label", "contested"}
    assert not set(repo.claim("bridge-reopens")) & {"vector", "weight", "weak_label", "sources"}
