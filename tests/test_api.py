"""HTTP API tests, in process: the export contract, filters and bounds, the write guard,
and schemathesis against the app's own OpenAPI document (no server errors, responses
matching their declared schemas)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from test_web_store import PAYLOAD_TITLE, demo_store, main_claim

from claimgraph.export.record import schema as record_schema
from claimgraph.serve.app import create_app
from claimgraph.settings import Settings
from claimgraph.store import Repository

TOKEN = "api-test-token"


@pytest.fixture(scope="module")
def store_repo() -> Iterator[Repository]:
    repo = Repository.open(demo_store()["url"])
    yield repo
    repo.close()


@pytest.fixture(scope="module")
def app(store_repo: Repository) -> FastAPI:
    return create_app(store_repo)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def writer(store_repo: Repository) -> TestClient:
    return TestClient(create_app(store_repo, token=TOKEN))


def _valid_records(items: list[dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(record_schema())
    for rec in items:
        validator.validate(rec)


# --- reads -----------------------------------------------------------------------------------


def test_attributions_follow_the_export_contract(client: TestClient) -> None:
    page = client.get("/api/attributions", params={"limit": 200}).json()
    assert page["limit"] == 200 and page["offset"] == 0 and len(page["items"]) > 20
    _valid_records(page["items"])


def test_filters_narrow_attributions(client: TestClient) -> None:
    denies = client.get("/api/attributions", params={"stance": "denies"}).json()["items"]
    assert denies and {r["stance"] for r in denies} == {"denies"}
    on_claim = client.get("/api/attributions", params={"claim": main_claim(), "limit": 200}).json()["items"]
    assert on_claim and {r["claim"]["id"] for r in on_claim} == {main_claim()}
    day = client.get("/api/attributions", params={"since": "2025-03-11", "until": "2025-03-11"}).json()["items"]
    assert day and {r["document"]["published"][:10] for r in day} == {"2025-03-11"}
    outlet = day[0]["document"]["outlet"]
    by_outlet = client.get("/api/attributions", params={"outlet": outlet, "limit": 200}).json()["items"]
    assert by_outlet and {r["document"]["outlet"] for r in by_outlet} == {outlet}
    entity = client.get("/api/attributions", params={"entity": "mallory"}).json()["items"]
    assert [r["source"]["entity"] for r in entity] == ["mallory"]
    assert client.get("/api/attributions", params={"entity": "nobody-at-all"}).json()["items"] == []


def test_pagination_is_bounded_and_consistent(client: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"offset": 100_001}, {"since": "yesterday"}):
        assert client.get("/api/attributions", params=params).status_code == 422, params
    first = client.get("/api/attributions", params={"limit": 5}).json()["items"]
    second = client.get("/api/attributions", params={"limit": 5, "offset": 5}).json()["items"]
    assert len(first) == len(second) == 5 and not {r["id"] for r in first} & {r["id"] for r in second}


def test_claims_contested_first_and_filtered(client: TestClient) -> None:
    claims = client.get("/api/claims").json()["items"]
    flags = [c["contested"] for c in claims]
    assert flags == sorted(flags, reverse=True) and flags[0]
    contested = client.get("/api/claims", params={"contested": "true"}).json()["items"]
    assert contested and all(c["contested"] for c in contested)


def test_claim_detail_and_timeline(client: TestClient) -> None:
    detail = client.get(f"/api/claims/{main_claim()}").json()
    assert detail["claim"]["id"] == main_claim()
    assert {"asserts", "denies"} <= set(detail["by_stance"])
    events = client.get(f"/api/claims/{main_claim()}/timeline").json()["events"]
    dates = [e["date"] for e in events]
    assert len(dates) >= 5 and dates == sorted(dates)
    _valid_records([e["record"] for e in events])
    assert client.get("/api/claims/no-such-claim").status_code == 404


def test_article_entity_and_search(client: TestClient) -> None:
    article_id = demo_store()["payload_article"]
    art = client.get(f"/api/articles/{article_id}").json()
    assert art["article"]["title"] == PAYLOAD_TITLE and len(art["attributions"]) == 2
    _valid_records(art["attributions"])
    listed = client.get("/api/articles", params={"since": "2025-03-14"}).json()["items"]
    assert [a["id"] for a in listed] == [article_id]
    ent = client.get("/api/entities/mallory").json()
    assert [c["id"] for c in ent["claims"]["made"]] == ["payload-claim"]
    found = client.get("/api/search", params={"q": "engines Kazakhstan"}).json()
    assert found["articles"] and found["attributions"]
    _valid_records(found["attributions"])
    assert client.get("/api/search", params={"q": '" OR NEAR(*'}).status_code == 200


def test_exports(client: TestClient) -> None:
    lines = client.get("/api/export/jsonl").text.splitlines()
    _valid_records([json.loads(line) for line in lines])
    csv = client.get("/api/export/csv")
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("id,document_id")
    reviews = [json.loads(line) for line in client.get("/api/export/claimreview").text.splitlines()]
    assert reviews and all(r["@type"] == "ClaimReview" for r in reviews)
    assert client.get("/api/export/nope").status_code == 404


def test_security_headers_and_escaping(client: TestClient) -> None:
    for path in ("/", "/api/claims", f"/articles/{demo_store()['payload_article']}"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = client.get(f"/articles/{demo_store()['payload_article']}").text
    assert "<script>window" not in page and "onerror=" not in page.replace("onerror=&#34;", "")
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "javascript:" not in page.split("<main", 1)[1]


def test_unknown_pages_are_html_404(client: TestClient) -> None:
    for path in ("/claims/none", "/articles/none", "/entities/none"):
        reply = client.get(path)
        assert reply.status_code == 404 and "text/html" in reply.headers["content-type"]


# --- writes ----------------------------------------------------------------------------------


def test_ingest_is_off_without_a_token(client: TestClient) -> None:
    assert client.post("/api/ingest", data={"url": "https://example.org/a"}).status_code == 403


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic " + TOKEN, TOKEN])
def test_ingest_needs_the_token(writer: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    reply = writer.post("/api/ingest", data={"url": "https://example.org/a"}, headers=headers)
    assert reply.status_code == 401 and reply.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost:8000/x", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/",
                                 "http://192.168.1.1/", "file:///etc/passwd", "/etc/passwd", "ftp://example.org/"])
def test_ingest_refuses_local_and_non_http_urls(writer: TestClient, url: str) -> None:
    reply = writer.post("/api/ingest", data={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 400, reply.text


def test_ingest_wants_exactly_one_input(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert writer.post("/api/ingest", headers=auth).status_code == 422
    both = writer.post("/api/ingest", data={"url": "https://example.org/"}, files={"file": ("a.txt", b"x")},
                       headers=auth)
    assert both.status_code == 422


def test_ingest_upload_reaches_the_pipeline(writer: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upload is cleaned by claimgraph.ingest and handed on under its own (sanitised) name."""
    from claimgraph.serve import ingest

    seen: list[Any] = []

    def fake_store(app: FastAPI, article: Any) -> dict[str, Any]:
        seen.append(article)
        return {"article_id": article.id, "outcome": "added", "attributions": 0, "title": article.title}

    monkeypatch.setattr(ingest, "_store", fake_store)
    body = b"Ministry rejects report\n\nMarch 3, 2025\n\nThe ministry said the report was false.\n"
    reply = writer.post("/api/ingest", files={"file": ("../../etc/evil name.md", body, "text/markdown")},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["added"][0]["title"] == "Ministry rejects report"
    assert seen[0].path == "evil_name.md" and "report was false" in seen[0].text


def test_ingest_refuses_oversized_uploads(store_repo: Repository) -> None:

    small = TestClient(create_app(store_repo, token=TOKEN, settings=Settings(max_article_bytes=10)))
    reply = small.post("/api/ingest", files={"file": ("a.txt", b"x" * 11)}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 413


def test_delete_is_off_without_a_token_and_needs_it(client: TestClient, writer: TestClient) -> None:
    assert client.delete("/api/articles/anything").status_code == 403
    reply = writer.delete("/api/articles/anything", headers={"Authorization": "Bearer wrong"})
    assert reply.status_code == 401 and reply.headers["www-authenticate"] == "Bearer"


def test_delete_removes_an_article(tmp_path: Any) -> None:
    from test_web_store import payload_result

    repo = Repository.open(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        article = payload_result().article.id
        repo.add(payload_result())
        app = TestClient(create_app(repo, token=TOKEN))
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert app.get(f"/api/articles/{article}").status_code == 200
        reply = app.delete(f"/api/articles/{article}", headers=auth)
        assert reply.status_code == 200, reply.text
        assert reply.json() == {"deleted": article, "relinked": 0, "failures": []}
        assert app.get(f"/api/articles/{article}").status_code == 404
        assert app.delete(f"/api/articles/{article}", headers=auth).status_code == 404
        assert app.get("/api/stats").json()["articles"] == 0 and repo.check() == []
    finally:
        repo.close()


def test_server_ingests_link_against_what_another_process_stored(tmp_path: Any, nlp: Any) -> None:
    """The server keeps its Linker between ingests. Articles another process stores in the
    meantime are still linked against: three sample articles, the second stored by a
    separate run on the same file, end as one run over all three leaves them."""
    from conftest import in_process_analyzer
    from test_runner_order import _stored

    from claimgraph.runner import run_ingest
    from claimgraph.samples import sample_paths

    paths = sample_paths()[:3]
    url = f"sqlite:///{tmp_path / 'served.db'}"
    served, other = Repository.open(url), Repository.open(url)
    one = Repository.open(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        app = create_app(served, token=TOKEN)
        app.state.nlp = nlp  # the pipeline the server would load on first use
        client, auth = TestClient(app), {"Authorization": f"Bearer {TOKEN}"}

        def upload(path: Path) -> None:
            reply = client.post("/api/ingest", files={"file": (path.name, path.read_bytes())}, headers=auth)
            assert reply.status_code == 200 and reply.json()["added"], reply.text

        upload(paths[0])
        kept = app.state.linker
        assert run_ingest([str(paths[1])], Settings(), other, analyzer=in_process_analyzer(nlp)).added
        upload(paths[2])
        assert app.state.linker is kept  # not loaded again for the article ...
        assert kept.refused == 1  # ... but its first write, linked before the other run, was refused and linked again
        assert run_ingest([str(p) for p in paths], Settings(), one, analyzer=in_process_analyzer(nlp)).added
        assert _stored(served) == _stored(one)
    finally:
        for repo in (served, other, one):
            repo.close()


def test_a_failed_server_ingest_drops_its_linker(tmp_path: Any, nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails leaves the kept Linker holding what was not stored: the server
    reports the failure and loads the store again for the next article."""
    from claimgraph import pipeline
    from claimgraph.errors import StoreError
    from claimgraph.samples import sample_paths

    def failing(self: Any, repo: Any, results: Any) -> Any:
        raise StoreError("disk full")

    repo = Repository.open(f"sqlite:///{tmp_path / 'failing.db'}")
    try:
        app = create_app(repo, token=TOKEN)
        app.state.nlp = nlp
        monkeypatch.setattr(pipeline.Linker, "write", failing)
        path = sample_paths()[0]
        reply = TestClient(app).post("/api/ingest", files={"file": (path.name, path.read_bytes())},
                                     headers={"Authorization": f"Bearer {TOKEN}"})
        assert reply.status_code == 200 and "disk full" in reply.json()["failures"][0]["reason"]
        assert app.state.linker is None and repo.counts()["articles"] == 0
    finally:
        repo.close()


# --- schemathesis ----------------------------------------------------------------------------


# The schemathesis pytest plugin does not run under pytest 9 ('Function' has no '_nodeid'),
# so each operation's strategy is driven by hypothesis directly.
@pytest.mark.parametrize("path", ["/api/stats", "/api/articles", "/api/articles/{article_id}", "/api/attributions",
                                  "/api/entities", "/api/entities/{key}", "/api/claims", "/api/claims/{claim_id}",
                                  "/api/claims/{claim_id}/timeline", "/api/claims/{claim_id}/claimreview",
                                  "/api/search", "/api/export/{fmt}", "/api/ingest"])
def test_api_has_no_server_errors(app: FastAPI, path: str) -> None:
    from hypothesis import given
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert {op.path for op in operations} >= {path}

    for operation in (op for op in operations if op.path == path):
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        check()
