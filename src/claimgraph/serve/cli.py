"""The command line: a thin layer over the library. The only module that prints.

Every command opens the store named by ``--db`` (or ``CLAIMGRAPH_DB``), calls one library
function and renders its result. Errors are one line on stderr; ``--debug`` shows the
stack trace.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import ClaimgraphError
from ..settings import Settings

app = typer.Typer(
    name="claimgraph",
    help="Who claims what, on what evidence, and who disputes it: attribution extraction for news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class State:
    settings: Settings = Settings()
    debug: bool = False


STATE = State()


@app.callback()
def _main(
    db: Annotated[str | None, typer.Option("--db", help="SQLite file or SQLAlchemy URL [env: CLAIMGRAPH_DB].")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show stack traces on errors.")] = False,
) -> None:
    """Who claims what, on what evidence, and who disputes it."""
    settings = Settings.from_env()
    STATE.settings = settings.with_(db=db) if db else settings
    STATE.debug = debug


def _repo() -> Any:
    from ..store import Repository

    return Repository.open(STATE.settings.db_url)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code)


# --- ingest -------------------------------------------------------------------------------


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files (.txt .md .html), folders, http(s) URLs or RSS/Atom feeds.")],
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    workers: Annotated[int, typer.Option(min=1, help="Extraction processes on this machine.")] = 1,
    dask: Annotated[str | None, typer.Option(help="Run extraction on Dask: a scheduler address, or 'local'.")] = None,
) -> None:
    """Read articles, extract attributions and store them; duplicates are skipped.

    Re-running after an interruption resumes: stored articles are skipped before analysis.
    """
    from ..runner import local_analyzer, run_ingest

    repo = _repo()
    settings = STATE.settings
    if dask:
        from ..scale.dask_runner import dask_analyzer

        analyzer = dask_analyzer(settings, dask, workers=max(workers, 2))
    elif workers > 1:
        from ..scale.pool import pool_analyzer

        analyzer = pool_analyzer(settings, workers)
    else:
        analyzer = local_analyzer(settings)
    with _progress(progress) as on_event:
        report = run_ingest(inputs, settings, repo, analyzer=analyzer, on_event=on_event)
    for label, reason in report.failed:
        err.print(f"[red]failed:[/red] {escape(reason) if label in reason else escape(label + ': ' + reason)}",
                  highlight=False)
    out.print(report.summary(), highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def delete(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of stored articles (as `articles` lists them).")],
) -> None:
    """Remove articles (a mistaken or retracted report) and link their stories again without them."""
    from ..runner import delete_articles

    report = delete_articles(article_ids, _repo())
    for aid in report.missing:
        err.print(f"[red]not found:[/red] no stored article has the id {escape(aid)}", highlight=False)
    for label, reason in report.failed:
        err.print(f"[red]failed:[/red] {escape(label)}: {escape(reason)}", highlight=False)
    out.print(report.summary(), highlight=False)
    if not report.ok:
        raise typer.Exit(1)


class _progress:
    """A Rich progress bar fed by ingest events; a no-op when off or not a terminal."""

    def __init__(self, enabled: bool) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=err, transient=True, disable=not enabled or not err.is_terminal)
        self.task = self.bar.add_task("ingesting", total=None)
        self.counts = {"added": 0, "skipped": 0, "failed": 0}

    def __enter__(self) -> Any:
        self.bar.__enter__()
        return self.on_event

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)  # type: ignore[arg-type]

    def on_event(self, kind: str, label: str, detail: str) -> None:
        if kind in self.counts:
            self.counts[kind] += 1
        c = self.counts
        self.bar.update(self.task, description=f"{c['added']} added, {c['skipped']} skipped, "
                                               f"{c['failed']} failed — {Path(label).name[:50]}")


# --- queries ------------------------------------------------------------------------------


@app.command()
def articles(
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
) -> None:
    """List stored articles."""
    rows = _repo().articles(limit=limit, outlet=outlet)
    table = Table("id", "published", "outlet", "title", "attributions")
    for r in rows:
        table.add_row(r["id"], r["published"] or "", r["outlet"] or "", escape(r["title"] or ""), str(r["attributions"]))
    out.print(table)


@app.command()
def attributions(
    source: Annotated[str | None, typer.Option(help="Only sources whose name contains this.")] = None,
    article: Annotated[str | None, typer.Option(help="Only this article id.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """List attributions: who said what, where."""
    rows = _repo().attribution_rows(source=source, article_id=_article_id(article) if article else None, limit=limit)
    table = Table("article", "source", "cue", "type", "content", "stance")
    for r in rows:
        table.add_row(r["article_id"][:8], escape(_who(r) or "—"),
                      escape(r["cue_text"]), r["type"], escape(_short(r["content_text"], 90)), r.get("stance") or "")
    out.print(table)


@app.command()
def show(article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")]) -> None:
    """Show an article with its attributions marked: [source] {cue} «content»."""
    repo = _repo()
    art = repo.article(article_id)
    if art is None:
        raise _fail(f"no article {article_id!r}")
    rows = repo.attribution_rows(article_id=art["id"])
    out.print(f"[bold]{escape(art['title'] or '(untitled)')}[/bold]")
    out.print(" · ".join(x for x in (art["outlet"], art["published"], art["url"] or art["path"]) if x), highlight=False)
    out.print()
    out.print(_marked(art["text"], rows), highlight=False)
    out.print()
    for i, r in enumerate(rows, 1):
        src = _who(r) or "(no source)"
        extra = " ".join(f"{k}={r[k]}" for k in ("hedge", "via", "cites") if r.get(k))
        out.print(f"{i:>3}. {escape(src)} — {escape(r['cue_text'])} ({r['type']}) {escape(extra)}", highlight=False)


def _marked(text: str, rows: list[dict[str, Any]]) -> str:
    """Rich markup of the text with source, cue and content spans coloured."""
    marks: list[tuple[int, int, str]] = []
    for r in rows:
        if r["source_start"] is not None:
            marks.append((r["source_start"], r["source_end"], "bold cyan"))
        marks.append((r["cue_start"], r["cue_end"], "bold magenta"))
        for s, e in (r["content_fragments"] or [[r["content_start"], r["content_end"]]]):
            marks.append((s, e, "green"))
    style = [""] * (len(text) + 1)
    for s, e, st in sorted(marks, key=lambda m: (m[2] == "green", m[0])):
        for i in range(max(0, s), min(e, len(text))):
            style[i] = style[i] or st
    parts, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and style[j] == style[i]:
            j += 1
        chunk = escape(text[i:j])
        parts.append(f"[{style[i]}]{chunk}[/{style[i]}]" if style[i] else chunk)
        i = j
    return "".join(parts)


def _article_id(prefix: str) -> str:
    art = _repo().article(prefix)
    if art is None:
        raise _fail(f"no article {prefix!r}")
    return str(art["id"])


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- export -------------------------------------------------------------------------------


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, graphml, claimreview, ...")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Export attributions (JSONL follows the public contract, see docs/export.md)."""
    from ..export import exporter

    write = exporter(format)
    repo = _repo()
    if output is None:
        n = write(repo, sys.stdout)
    else:
        tmp = output.with_name(output.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = write(repo, fh)
        tmp.replace(output)  # never leave a half-written export under the real name
    err.print(f"{n} records exported", highlight=False)


# --- evaluation ---------------------------------------------------------------------------


@app.command("eval")
def eval_(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSON files/folders, or a PolNeAR-style .jsonl corpus.")],
    pred: Annotated[Path | None, typer.Option(help="A JSONL export to score; default: run the pipeline.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    min_f1: Annotated[float, typer.Option(help="Content token-F1 needed for a match.")] = 0.5,
) -> None:
    """Score extraction against gold annotations (the protocol of shared/eval/PROTOCOL.md)."""
    from .. import eval_run as evaluate

    result = evaluate.run_eval([str(g) for g in gold], pred=str(pred) if pred else None,
                               settings=STATE.settings, min_f1=min_f1)
    if as_json:
        out.print(json.dumps(result), highlight=False)
        return
    for line in evaluate.format_result(result):
        out.print(line, highlight=False)


# --- demo ---------------------------------------------------------------------------------


@app.command()
def demo(
    store: Annotated[Path | None, typer.Option(help="Keep the demo store here (default: a temporary file).")] = None,
    serve: Annotated[bool, typer.Option(help="Then serve the demo store in the web UI.")] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.")] = 8000,
) -> None:
    """Ingest the bundled sample articles into a store and print who said what."""
    import tempfile
    from importlib import resources

    from ..runner import run_ingest
    from ..store import Repository

    samples = resources.files("claimgraph").joinpath("samples")
    with resources.as_file(samples) as folder:
        path = store or Path(tempfile.mkdtemp(prefix="claimgraph-demo-")) / "demo.db"
        repo = Repository.open(STATE.settings.with_(db=str(path)).db_url)
        report = run_ingest([str(folder)], STATE.settings.with_(db=str(path)), repo)
    out.print(f"[bold]claimgraph demo[/bold] — {report.summary()}; store: {path}", highlight=False)
    for label, reason in report.failed:
        err.print(f"failed: {escape(label)}: {escape(reason)}", highlight=False)
    _print_who_said_what(repo)
    if serve:
        _serve(STATE.settings.with_(db=str(path)).db_url, "127.0.0.1", port, None)


def _print_who_said_what(repo: Any) -> None:
    for art in repo.articles(limit=1000):
        out.print(f"\n[bold]{escape(art['title'] or art['id'])}[/bold] · {escape(art['outlet'] or '')} · "
                  f"{art['published'] or ''}", highlight=False)
        for r in repo.attribution_rows(article_id=art["id"]):
            src = _who(r) or "(unnamed)"
            stance = f" [{r['stance']}]" if r.get("stance") else ""
            hedge = " (hedged)" if r["hedged"] else ""
            out.print(f"  • [cyan]{escape(src)}[/cyan] {escape(r['cue_text'])}{stance}{hedge}: "
                      f"{escape(_short(r['content_text'], 110))}", highlight=False)


# --- entities, claims, sources ------------------------------------------------------------


@app.command()
def entities(
    name: Annotated[str | None, typer.Option(help="Only names containing this.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """List canonical entities with their attribution and mention counts."""
    table = Table("name", "type", "role", "affiliation", "attributions", "mentions")
    for r in _repo().entities(name=name, limit=limit):
        table.add_row(escape(r["name"]), r["type"], escape(r["role"] or ""), escape(r["affiliation"] or ""),
                      str(r["attributions"]), str(r["mentions"]))
    out.print(table)


@app.command()
def entity(name: Annotated[str, typer.Argument(help="Canonical name, alias or key.")]) -> None:
    """Show one entity: aliases, role, affiliation, resolution trace and attributions."""
    repo = _repo()
    e = repo.entity(name)
    if e is None:
        raise _fail(f"no entity {name!r}")
    out.print(f"[bold]{escape(e['name'])}[/bold] ({e['type']}{', anonymous' if e['anonymous'] else ''})",
              highlight=False)
    for label, value in (("role", e["role"]), ("affiliation", e["affiliation"]),
                         ("aliases", ", ".join(e["aliases"] or [])), ("trace", "; ".join(e["trace"] or []))):
        if value:
            out.print(f"  {label}: {escape(str(value))}", highlight=False)
    for r in repo.attribution_rows(entity_id=e["id"]):
        stance = f" [{r['stance']}]" if r.get("stance") else ""
        out.print(f"  • {r['article_published'] or ''} {escape(r['article_outlet'] or '')}: "
                  f"{escape(r['cue_text'])}{stance} {escape(_short(r['content_text'], 100))}", highlight=False)


@app.command()
def claims(
    contested: Annotated[bool, typer.Option("--contested", help="Only claims someone disputes or denies.")] = False,
    about: Annotated[str | None, typer.Option(help="Only claims made by or about this entity.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """List claims: propositions across articles, contested ones first."""
    table = Table("id", "first seen", "contested", "attributions", "label")
    for r in _repo().claims(contested=True if contested else None, about=about, limit=limit):
        table.add_row(r["id"], r["first_seen"] or "", "yes" if r["contested"] else "", str(r["attributions"]),
                      escape(_short(r["label"], 90)))
    out.print(table)


@app.command()
def claim(claim_id: Annotated[str, typer.Argument(help="Claim id (see `claimgraph claims`).")]) -> None:
    """A claim's timeline: date, outlet, source, stance and quote, earliest first."""
    repo = _repo()
    c = repo.claim(claim_id)
    if c is None:
        raise _fail(f"no claim {claim_id!r}")
    out.print(f"[bold]{escape(c['label'])}[/bold]{'  [red]contested[/red]' if c['contested'] else ''}",
              highlight=False)
    table = Table("date", "outlet", "source", "stance", "quote")
    rows = repo.attribution_rows(claim_id=claim_id)
    by_seq = {(r["article_id"], r["seq"]): r for r in rows}
    for r in rows:
        quote = escape(_short(r["content_text"], 100))
        answered = by_seq.get((r["article_id"], r.get("target_seq")))
        if answered is not None and answered is not r:  # the statement a denial or doubt answers
            quote += f"\n  [dim]in answer to {escape(_who(answered))}: {escape(_short(answered['content_text'], 60))}[/dim]"
        table.add_row(r["article_published"] or "", escape(r["article_outlet"] or ""), escape(_who(r)),
                      r["stance"] or "", quote)
    out.print(table)


def _who(row: dict[str, Any]) -> str:
    """A row's source as the CLI names it: the canonical entity, else the name or mention.
    (``link.provenance.source_of`` says the same, but importing it loads numpy: not for the CLI.)"""
    return str(row.get("entity_name") or row["source_name"] or row["source_text"] or "")


@app.command()
def source(name: Annotated[str, typer.Argument(help="A source's name (canonical, alias or part of it).")]) -> None:
    """What a source has claimed, disputed and denied."""
    repo = _repo()
    e = repo.entity(name)
    rows = repo.attribution_rows(entity_id=e["id"]) if e else repo.attribution_rows(source=name)
    if not rows:
        raise _fail(f"no attributions by {name!r}")
    out.print(f"[bold]{escape(e['name'] if e else name)}[/bold]", highlight=False)
    by_stance: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_stance.setdefault(r.get("stance") or "unlinked", []).append(r)
    for stance in ("asserts", "supports", "disputes", "denies", "no_comment", "unlinked"):
        for r in by_stance.get(stance, []):
            label = r.get("claim_label") or ""
            out.print(f"  {stance:>10}  {r['article_published'] or '':10}  {escape(_short(r['content_text'], 80))}"
                      + (f"  → {escape(_short(label, 40))}" if label else ""), highlight=False)


@app.command()
def check() -> None:
    """Verify the store's integrity (foreign keys, orphans, full-text index) and report."""
    problems = _repo().check()
    for p in problems:
        err.print(f"problem: {escape(p)}", highlight=False)
    out.print("store is consistent" if not problems else f"{len(problems)} problem(s) found", highlight=False)
    if problems:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="CLAIMGRAPH_TOKEN",
                                                 help="Enable writes (ingest) for requests bearing this token.")] = None,
) -> None:
    """Serve the web UI and HTTP API over the store."""
    _serve(STATE.settings.db_url, host, port, token)


def _serve(db_url: str, host: str, port: int, token: str | None) -> None:
    from . import app as webapp

    out.print(f"claimgraph serving {db_url} at http://{host}:{port}/", highlight=False)
    webapp.run(db_url, host=host, port=port, token=token)


def main() -> None:
    """Console entry point: one-line errors unless --debug."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except ClaimgraphError as exc:
        if STATE.debug:
            raise
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and the unexpected
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if STATE.debug:
            raise
        err.print(f"[red]error:[/red] {type(exc).__name__}: {escape(str(exc))} (run with --debug for details)",
                  highlight=False)
        sys.exit(1)
