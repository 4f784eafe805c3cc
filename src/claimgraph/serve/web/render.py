"""Jinja2 environment (autoescape always on) and template name + context -> HTMLResponse."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from .views import STANCE_LABELS

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"


def marked(snippet: str | None) -> Markup:
    """A search snippet with hits between \\x02 and \\x03 -> escaped HTML with <mark> around hits."""
    safe = str(escape(snippet or ""))
    return Markup(safe.replace("\x02", "<mark>").replace("\x03", "</mark>"))


def q(value: Any) -> str:
    """A value -> one URL path segment (slashes encoded too)."""
    return quote(str(value), safe="")


def query(params: dict[str, Any]) -> str:
    """Query parameters (None values dropped) -> '?a=1&b=2', or '' when none are left."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def day(value: str | None) -> str:
    return (value or "")[:10] or "undated"


def _environment() -> Environment:
    # autoescape=True for every template, whatever its suffix (SVG fragments included)
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(marked=marked, q=q, day=day, stance_label=lambda s: STANCE_LABELS.get(s, s))
    env.globals.update(query=query)
    return env


ENV = _environment()


def render(template: str, /, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Template name + context -> an HTML response."""
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status_code)
