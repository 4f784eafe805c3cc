"""HTTP API under /api/: store queries -> JSON that follows the export contract.

Attributions are always the public export record (``export.record.to_record``); lists are
``{"items", "limit", "offset"}`` pages with bounded ``limit``/``offset``. The writes,
``POST /api/ingest`` and ``DELETE /api/articles/{id}``, are refused unless the app was
created with a token, and then need ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ..export import exporter, formats
from ..export.record import to_record
from ..store import Repository
from . import ingest
from .web import views

router = APIRouter(prefix="/api", tags=["api"])

Row = dict[str, Any]
StanceName = Literal["asserts", "supports", "disputes", "denies", "no_comment"]
MAX_LIMIT = 200
MAX_OFFSET = 100_000
# query strings reach SQL LIKE and FTS; bounding them keeps every query cheap
Text = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Day = Annotated[date | None, Query(description="ISO date, inclusive")]
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv", "graphml": "application/graphml+xml",
               "claimreview": "application/x-ndjson"}


class Page(BaseModel):
    """One page of a listing."""

    items: list[dict[str, Any]]
    limit: int
    offset: int


class SearchResult(BaseModel):
    query: str
    articles: list[dict[str, Any]]
    attributions: list[dict[str, Any]]


class IngestReport(BaseModel):
    added: list[dict[str, Any]]
    failures: list[dict[str, str]]


def get_repo(request: Request) -> Repository:
    repo: Repository = request.app.state.repo
    return repo


Repo = Annotated[Repository, Depends(get_repo)]


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _clean(s: str | None) -> str | None:
    """Drop control characters (NUL breaks PostgreSQL text) and surrounding space; '' -> None."""
    if s is None:
        return None
    s = "".join(ch for ch in s if ch >= " " or ch in "\t").strip()
    return s or None


def _not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"{what} not found")


# --- reads ---------------------------------------------------------------------------------


@router.get("/stats", summary="Counts of stored records")
def stats(repo: Repo) -> dict[str, int]:
    return repo.counts()


@router.get("/articles", response_model=Page, summary="Articles, in ingest order")
def list_articles(repo: Repo, limit: Limit = 50, offset: Offset = 0, outlet: Text = None,
                  since: Day = None, until: Day = None) -> Page:
    rows = repo.articles(limit=limit, offset=offset, outlet=_clean(outlet), since=_day(since), until=_day(until))
    return Page(items=rows, limit=limit, offset=offset)


@router.get("/articles/{article_id}", summary="One article with its text, attributions and mentions")
def get_article(repo: Repo, article_id: str) -> dict[str, Any]:
    row = repo.article(article_id) if _clean(article_id) else None
    if row is None:
        raise _not_found("article")
    rows = repo.attribution_rows(article_id=row["id"])
    return {"article": row, "attributions": [to_record(r) for r in rows],
            "mentions": repo.mentions_of_article(row["id"])}


@router.get("/attributions", response_model=Page, summary="Attribution records (the export contract)")
def list_attributions(repo: Repo, limit: Limit = 50, offset: Offset = 0, entity: Text = None,
                      source: Text = None, claim: Text = None, stance: StanceName | None = None,
                      outlet: Text = None, since: Day = None, until: Day = None) -> Page:
    entity_id = None
    if _clean(entity):
        found = repo.entity(str(_clean(entity)))
        if found is None:
            return Page(items=[], limit=limit, offset=offset)
        entity_id = int(found["id"])
    rows = repo.attribution_rows(entity_id=entity_id, source=_clean(source), claim_id=_clean(claim),
                                 stance=stance, outlet=_clean(outlet), since=_day(since),
                                 until=_day(until), limit=limit, offset=offset)
    return Page(items=[to_record(r) for r in rows], limit=limit, offset=offset)


@router.get("/entities", response_model=Page, summary="Entities, most quoted first")
def list_entities(repo: Repo, limit: Limit = 50, offset: Offset = 0, name: Text = None) -> Page:
    return Page(items=repo.entities(name=_clean(name), limit=limit, offset=offset), limit=limit, offset=offset)


@router.get("/entities/{key}", summary="One entity with its attributions and the claims it makes or disputes")
def get_entity(repo: Repo, key: str) -> dict[str, Any]:
    entity = repo.entity(key) if _clean(key) else None
    if entity is None:
        raise _not_found("entity")
    rows = repo.attribution_rows(entity_id=int(entity["id"]))
    return {"entity": entity, "attributions": [to_record(r) for r in rows], "claims": views.entity_claims(rows)}


@router.get("/claims", response_model=Page, summary="Claims, contested first")
def list_claims(repo: Repo, limit: Limit = 50, offset: Offset = 0, contested: bool | None = None,
                about: Text = None) -> Page:
    rows = repo.claims(contested=contested, about=_clean(about), limit=limit, offset=offset)
    return Page(items=rows, limit=limit, offset=offset)


@router.get("/claims/{claim_id}", summary="One claim with its attributions grouped by stance")
def get_claim(repo: Repo, claim_id: str) -> dict[str, Any]:
    claim = repo.claim(claim_id)
    if claim is None:
        raise _not_found("claim")
    records = [to_record(r) for r in repo.attribution_rows(claim_id=claim_id)]
    return {"claim": claim, "by_stance": views.group_by_stance(records)}


@router.get("/claims/{claim_id}/timeline", summary="Who said what about a claim, in date order")
def claim_timeline(repo: Repo, claim_id: str) -> dict[str, Any]:
    claim = repo.claim(claim_id)
    if claim is None:
        raise _not_found("claim")
    events = views.timeline(repo.attribution_rows(claim_id=claim_id))
    return {"claim": claim, "events": [{"date": e["date"], "record": e["record"]} for e in events]}


@router.get("/claims/{claim_id}/claimreview", summary="schema.org ClaimReview (JSON-LD) for a claim",
            response_class=JSONResponse)
def claim_review(request: Request, repo: Repo, claim_id: str) -> JSONResponse:
    from ..export.claimreview import claim_review as build

    if repo.claim(claim_id) is None:
        raise _not_found("claim")
    return JSONResponse(build(repo, claim_id, base_url=str(request.base_url)), media_type="application/ld+json")


@router.get("/search", response_model=SearchResult, summary="Full-text search over articles and attributions")
def search(repo: Repo, q: Annotated[str, Query(max_length=200)], limit: Limit = 20,
           offset: Offset = 0) -> SearchResult:
    query = _clean(q) or ""
    articles = repo.search_articles(query, limit=limit, offset=offset)
    rows = repo.search_attributions(query, limit=limit, offset=offset)
    return SearchResult(query=query, articles=articles, attributions=[to_record(r) for r in rows])


@router.get("/export/{fmt}", summary="The whole store in an export format (jsonl, csv, claimreview, graphml)",
            response_class=Response)
async def export(repo: Repo, fmt: Annotated[str, Path(max_length=40)]) -> Response:
    if fmt not in formats():
        raise HTTPException(status_code=404, detail=f"unknown export format; known: {', '.join(formats())}")
    out = io.StringIO()
    await run_in_threadpool(exporter(fmt), repo, out)
    suffix = {"claimreview": "claimreview.jsonl"}.get(fmt, fmt)
    return Response(out.getvalue(), media_type=MEDIA_TYPES.get(fmt, "text/plain"),
                    headers={"content-disposition": f'attachment; filename="claimgraph.{suffix}"'})


# --- writes --------------------------------------------------------------------------------


def require_token(request: Request) -> None:
    """Writes are off without a server token; with one, the caller must present it."""
    token: str | None = request.app.state.token
    if token is None:
        raise HTTPException(status_code=403, detail="writes are disabled: start the server with --token")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post("/ingest", response_model=IngestReport, dependencies=[Depends(require_token)],
             summary="Ingest a URL or an uploaded article file (needs the server token)",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "writes disabled"}})
async def ingest_article(request: Request, url: Annotated[str | None, Form(max_length=2000)] = None,
                         file: Annotated[UploadFile | None, File()] = None) -> IngestReport:
    settings = request.app.state.settings
    if (url is None) == (file is None):
        raise HTTPException(status_code=422, detail="give exactly one of 'url' or 'file'")
    if url is not None:
        await run_in_threadpool(ingest.check_public_url, url, settings)
        report = await run_in_threadpool(ingest.ingest_inputs, request.app, [url])
    else:
        assert file is not None
        data = await file.read(settings.max_article_bytes + 1)
        if len(data) > settings.max_article_bytes:
            raise HTTPException(status_code=413, detail="file is larger than the article size limit")
        report = await run_in_threadpool(ingest.ingest_upload, request.app, file.filename or "upload", data)
    return IngestReport(**report)


@router.delete("/articles/{article_id}", dependencies=[Depends(require_token)],
               summary="Remove an article and link its story again without it (needs the server token)",
               responses={401: {"description": "missing or wrong token"}, 403: {"description": "writes disabled"},
                          404: {"description": "no such article"}})
async def delete_article(request: Request, article_id: str) -> dict[str, Any]:
    found = await run_in_threadpool(ingest.delete_article, request.app, article_id) if _clean(article_id) else None
    if found is None:
        raise _not_found("article")
    return found
