"""The web application: a Repository -> a FastAPI app (HTTP API under /api/, web UI at /).

``create_app(repo, token)`` builds the app (tests use it in-process);
``run(db_url, host, port, token)`` opens the store and serves it with uvicorn, bound to
loopback unless told otherwise. Writes (``POST /api/ingest``) are enabled only when a
token is given. Every response carries a Content-Security-Policy that allows scripts
from this origin only, so text taken from articles can never run as code even if an
escaping bug slipped through.
"""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..settings import Settings
from ..store import Repository
from . import api
from .web import routes
from .web.render import STATIC_DIR

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware: add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def server_settings() -> Settings:
    """Settings from the environment, with private-address fetching off unless explicitly allowed:
    a server fetching URLs for remote callers must not be a proxy into the local network."""
    settings = Settings.from_env()
    if "CLAIMGRAPH_ALLOW_PRIVATE_ADDRESSES" not in os.environ:
        settings = settings.with_(allow_private_addresses=False)
    return settings


def create_app(repo: Repository, token: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """A store (and an optional write token) -> the FastAPI application."""
    app = FastAPI(
        title="claimgraph",
        version=__version__,
        description="Who claims what, on what evidence, and who disputes it.",
        # the Swagger/ReDoc pages load their assets from a CDN: keep only the JSON document
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.repo = repo
    app.state.token = token or None
    app.state.settings = settings or Settings(allow_private_addresses=False)
    app.include_router(api.router)
    app.include_router(routes.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
    return app


def run(db_url: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Open the store at ``db_url`` and serve it until interrupted."""
    import uvicorn

    repo = Repository.open(db_url, serving=True)
    if host not in {"127.0.0.1", "localhost", "::1"}:
        log.warning("claimgraph serve: listening on %s, reachable from other machines", host)
    app = create_app(repo, token, settings=server_settings().with_(db=db_url))
    try:
        uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
    finally:
        repo.close()
