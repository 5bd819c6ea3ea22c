"""Knowledge-base commands: ingest, search, sources, remove."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from assistant.cli.common import FORMAT_OPTION, Format, assistant, console, err_console, print_json, progress_bar

if TYPE_CHECKING:
    from assistant.api import IngestReport, Passage


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders to index."),
    password: str | None = typer.Option(None, help="Password for encrypted PDFs."),
    kind: str | None = typer.Option(None, help="Document kind: standard, process, catalogue, guide."),
    force: bool = typer.Option(False, help="Re-index files even when unchanged."),
    access: str | None = typer.Option(
        None,
        help="Who may read the documents: public, internal or restricted "
        "(default internal; a re-indexed document keeps its level unless this is given).",
    ),
    title: str | None = typer.Option(None, help="Title of the document (one file); default: the file's own title."),
    revision: str | None = typer.Option(None, help="Revision of the documents (e.g. B, 2024-03)."),
    effective_date: str | None = typer.Option(None, help="Date the documents take effect, YYYY-MM-DD."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Index documents (PDF, DOCX, Markdown, text, YAML catalogues) into the knowledge base."""
    with progress_bar("indexing") as show:
        report = assistant().ingest(
            paths,
            password=password,
            kind=kind,
            force=force,
            progress=show,
            access=access,
            title=title,
            revision=revision,
            effective_date=effective_date,
        )
    if format is Format.json:
        print_json(report)
    else:
        _print_report(report)
    if report.count("failed"):
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    for outcome in report.files:
        if outcome.status == "failed":
            err_console.print(f"[red]failed[/red]  {outcome.reason}", highlight=False)
        elif outcome.status in {"added", "updated"}:
            pages = f", {outcome.pages} pages" if outcome.pages else ""
            flagged = f", {outcome.flagged} flagged" if outcome.flagged else ""
            console.print(
                f"{outcome.status:<8} {outcome.doc} ({outcome.chunks} chunks{pages}{flagged})", highlight=False
            )
        for warning in outcome.warnings:
            err_console.print(f"[yellow]warning[/yellow] {outcome.doc}: {warning}", highlight=False)
    console.print(report.summary(), highlight=False)


def search(
    query: str = typer.Argument(..., help="The question or keywords."),
    k: int = typer.Option(5, "-k", help="Number of passages."),
    kind: str | None = typer.Option(None, help="Only documents of this kind."),
    doc: str | None = typer.Option(None, help="Only this document (file name)."),
    mode: str = typer.Option("hybrid", help="hybrid, dense or bm25."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Find cited passages in the knowledge base."""
    passages = assistant().search(query, k=k, kind=kind, doc=doc, mode=mode)
    if format is Format.json:
        print_json(passages)
        return
    if not passages:
        console.print("no good match in the knowledge base for this query (try other words or fewer filters)")
    for n, passage in enumerate(passages, start=1):
        _print_passage(n, passage)


def _print_passage(n: int, passage: Passage) -> None:
    console.print(f"[bold][{n}] {passage.citation.label()}[/bold]  score {passage.score:.4f}", highlight=False)
    if passage.heading:
        console.print(f"    {passage.heading}", style="dim", highlight=False)
    console.print(textwrap.indent(textwrap.shorten(passage.text, 600, placeholder=" …"), "    "), highlight=False)


def sources(format: Format = FORMAT_OPTION) -> None:
    """List the indexed documents."""
    items = assistant().sources()
    if format is Format.json:
        print_json(items)
        return
    table = Table("doc", "kind", "access", "revision", "effective", "chunks", "pages", "flagged", "title")
    for s in items:
        table.add_row(
            s.doc,
            s.kind,
            s.access,
            s.revision or "",
            s.effective_date or "",
            str(s.chunks),
            "" if s.pages is None else str(s.pages),
            str(s.flagged) if s.flagged else "",
            s.title,
        )
    console.print(table)
    flagged = sum(s.flagged for s in items)
    note = f"; {flagged} passages with instruction-like text (kept out of prompts)" if flagged else ""
    console.print(f"{len(items)} documents, {sum(s.chunks for s in items)} chunks{note}")


def remove(doc: str = typer.Argument(..., help="Document name as `prepro sources` shows it.")) -> None:
    """Delete a document from the knowledge base."""
    removed = assistant().remove(doc)
    console.print(f"removed {doc} ({removed} chunks)", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the knowledge-base commands to the root app."""
    for command in (ingest, search, sources, remove):
        app.command()(command)
