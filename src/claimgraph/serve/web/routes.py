"""Web pages: claims board, claim, article, entity, search, graph, exports.

Each route gathers rows from the Repository (request.app.state.repo), shapes them with
``views``/``highlight``/``graph`` and renders one template. Unknown ids give an HTML 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ...export import formats
from ...export.record import to_record
from ...store import Repository
from . import views
from .graph import build_graph
from .highlight import layers_of, segment
from .render import render

router = APIRouter(include_in_schema=False)
PAGE = 25
Offset = Annotated[int, Query(ge=0, le=100_000)]
Text = Annotated[str | None, Query(max_length=200)]


def _repo(request: Request) -> Repository:
    repo: Repository = request.app.state.repo
    return repo


def _not_found(what: str) -> HTMLResponse:
    return render("error.html", status_code=404, title=f"{what} not found", message=f"No such {what}.")


@router.get("/", response_class=HTMLResponse)
def board(request: Request, offset: Offset = 0) -> HTMLResponse:
    """The claims board: contested claims first, each with its sources grouped by stance."""
    repo = _repo(request)
    claims = repo.claims(limit=PAGE, offset=offset)
    rows = repo.attribution_rows_of_claims([c["id"] for c in claims])
    cards = []
    for claim in claims:
        records = [to_record(r) for r in rows[claim["id"]]]
        cards.append({"claim": claim, "groups": views.sources_by_stance(records),
                      "counts": views.stance_counts(records), "outlets": len({r["document"]["id"] for r in records})})
    return render("board.html", nav="board", cards=cards, counts=repo.counts(), offset=offset, page=PAGE)


@router.get("/claims/{claim_id:path}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str) -> HTMLResponse:
    """A claim: stance summary, timeline of who said what when, and its sources graph."""
    repo = _repo(request)
    claim = repo.claim(claim_id)
    if claim is None:
        return _not_found("claim")
    rows = repo.attribution_rows(claim_id=claim_id)
    events = views.timeline(rows)
    records = [ev["record"] for ev in events]  # each row becomes a record once
    return render("claim.html", nav="board", claim=claim, events=events,
                  counts=views.stance_counts(records), groups=views.sources_by_stance(records),
                  graph=build_graph(rows), formats=formats())


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, offset: Offset = 0, outlet: Text = None,
                  since: Annotated[date | None, Query()] = None,
                  until: Annotated[date | None, Query()] = None) -> HTMLResponse:
    repo = _repo(request)
    rows = repo.articles(limit=PAGE, offset=offset, outlet=outlet or None,
                         since=since.isoformat() if since else None, until=until.isoformat() if until else None)
    return render("articles.html", nav="articles", articles=rows, outlets=repo.outlets(), offset=offset,
                  page=PAGE, filters={"outlet": outlet, "since": since, "until": until})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """An article's text with sources, cues, contents and evidence highlighted and linked."""
    repo = _repo(request)
    article = repo.article(article_id)
    if article is None:
        return _not_found("article")
    rows = repo.attribution_rows(article_id=article["id"])
    paragraphs = segment(article["text"], layers_of(rows, len(article["text"])), article.get("paragraphs"))
    return render("article.html", nav="articles", article=article, paragraphs=paragraphs,
                  attributions=[(r, to_record(r)) for r in rows])


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, offset: Offset = 0, name: Text = None) -> HTMLResponse:
    rows = _repo(request).entities(name=name or None, limit=PAGE * 2, offset=offset)
    return render("entities.html", nav="entities", entities=rows, offset=offset, page=PAGE * 2, name=name)


@router.get("/entities/{key:path}", response_class=HTMLResponse)
def entity_page(request: Request, key: str) -> HTMLResponse:
    """An entity: aliases, role, resolution trace, claims it makes and disputes, its statements."""
    repo = _repo(request)
    entity = repo.entity(key)
    if entity is None:
        return _not_found("entity")
    rows = repo.attribution_rows(entity_id=int(entity["id"]))
    return render("entity.html", nav="entities", entity=entity, claims=views.entity_claims(rows),
                  records=[to_record(r) for r in rows])


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Text = None) -> HTMLResponse:
    """Full-text search over articles and attributions (every word required)."""
    repo = _repo(request)
    text = (q or "").strip()
    articles = repo.search_articles(text, limit=PAGE) if text else []
    records = [to_record(r) for r in repo.search_attributions(text, limit=PAGE * 2)] if text else []
    return render("search.html", nav="search", q=text, articles=articles, records=records)


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request) -> HTMLResponse:
    """Sources and the claims they take a stance on, as a server-rendered SVG."""
    rows: list[dict[str, Any]] = list(_repo(request).iter_attribution_rows())
    return render("graph.html", nav="graph", graph=build_graph(rows), formats=formats())


@router.get("/exports", response_class=HTMLResponse)
def exports_page(request: Request) -> HTMLResponse:
    return render("exports.html", nav="exports", formats=formats(), counts=_repo(request).counts())
