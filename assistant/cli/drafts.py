"""Stage commands: draft, check, batch and extract."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.chat import PROVIDER_OPTION
from assistant.cli.common import FORMAT_OPTION, Format, assistant, console, err_console, print_json, progress_bar

if TYPE_CHECKING:
    from assistant.api import Finding

FORMATS = "json, md, docx; also xlsx and opcard for routing; xlsx, loads, gantt, buffers (PNG) for organization"
STAGE_HELP = (
    "Stage: research (product request -> research brief), design (part spec -> technical assignment and DFM "
    "review), routing (part spec -> route card), organization (line plan -> balanced line, kanban, cost)."
)
INPUT_HELP = (
    "The stage's input file: a part spec (YAML or JSON, one part) for routing and design; a request (a text file, "
    "or YAML with id, request, annual_volume, constraints) for research; a plan (ORG_PLAN.md) for organization. "
    "Or give --text instead."
)


def draft(
    stage: str = typer.Argument(..., help=STAGE_HELP),
    source: Path | None = typer.Argument(None, metavar="INPUT", help=INPUT_HELP),
    text: str | None = typer.Option(
        None, "--text", "-t", help="The input as text instead of a file (research: the request in words)."
    ),
    provider: str | None = PROVIDER_OPTION,
    format: str = typer.Option("md", "--format", "-f", help=f"Output format: {FORMATS}."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: stdout for json/md)."),
) -> None:
    """Draft a stage artifact for one input: a route card, a design review, or a research brief."""
    from assistant.api import Severity, count

    if (source is None) == (text is None):
        raise typer.BadParameter("give the input as a file or as --text, not both and not neither", param_hint="INPUT")
    value: Path | str = source if source is not None else str(text)
    helper = assistant()
    with progress_bar("wording") as show:
        result = helper.draft(stage, value, provider=provider, progress=show)
    exported = helper.export_file(stage, result, format, value)
    if output is None and exported.text:
        sys.stdout.write(exported.data.decode())
    else:
        target = output or Path(exported.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(exported.data)
        err_console.print(f"wrote {target}", highlight=False)
    errors = count(result.findings, Severity.ERROR)
    if errors:
        err_console.print(f"[red]{errors} error finding(s)[/red] in the draft; see its findings", highlight=False)


def _print_findings(findings: list[Finding]) -> None:
    if not findings:
        console.print("no findings")
    for f in findings:
        where = " ".join(x for x in (f"op {f.operation}" if f.operation else "", f.feature or "") if x)
        color = {"error": "red", "warning": "yellow", "info": "blue"}[f.severity]
        console.print(f"[{color}]{f.severity:<7}[/{color}] {f.rule:<32} {where:<12} {f.message}", highlight=False)


def check(
    stage: str = typer.Argument(..., help=STAGE_HELP),
    draft_file: Path = typer.Argument(..., metavar="DRAFT", help="The draft JSON to check."),
    part: Path = typer.Option(
        ..., "--input", "--part", help="The input the draft is for: its part spec, request or plan."
    ),
    format: Format = FORMAT_OPTION,
) -> None:
    """Check a draft against its part; exit 0 when no error finding, 1 when there is one, 2 on bad input."""
    from assistant.api import Severity, count

    findings = assistant().check(stage, draft_file, part)
    if format is Format.json:
        print_json(findings)
    else:
        _print_findings(findings)
    if count(findings, Severity.ERROR):
        raise typer.Exit(1)


def batch(
    stage: str = typer.Argument(..., help=STAGE_HELP),
    parts: Path = typer.Argument(..., help="parts.yaml, parts.csv, or a folder of part files."),
    outdir: Path = typer.Option(..., "--output", "-o", help="Folder for one output file per part."),
    concurrency: int = typer.Option(4, "--concurrency", "-c", help="Parts drafted at once."),
    format: str = typer.Option("json", "--format", "-f", help=f"Output format: {FORMATS}."),
    provider: str | None = PROVIDER_OPTION,
) -> None:
    """Draft many parts; re-running skips parts already drafted; one bad part does not stop the rest."""
    with progress_bar("drafting") as show:
        result = assistant().draft_batch(
            stage, parts, concurrency=concurrency, outdir=outdir, fmt=format, provider=provider, progress=show
        )
    for item in sorted(result.items, key=lambda i: i.label):
        if item.status == "failed":
            err_console.print(f"[red]failed[/red]  {item.label}: {item.error}", highlight=False)
        elif item.errors:
            err_console.print(
                f"[yellow]flagged[/yellow] {item.part_id}: {item.errors} error finding(s) in {item.output}",
                highlight=False,
            )
    console.print(result.summary(), highlight=False)
    if result.count("failed"):
        raise typer.Exit(1)


def extract(
    text: str = typer.Argument(..., help="Free-text description of the part."),
    provider: str | None = PROVIDER_OPTION,
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the part spec YAML here."),
) -> None:
    """Read a part spec out of free text with the LLM; review it, then draft it with `prepro draft`."""
    import yaml

    spec = assistant().extract_part(text, provider=provider)
    data = yaml.safe_dump(
        spec.model_dump(exclude_none=True, exclude_defaults=False), sort_keys=False, allow_unicode=True
    )
    if output:
        output.write_text(data, encoding="utf-8")
        err_console.print(f"wrote {output}; check it before drafting", highlight=False)
    else:
        sys.stdout.write(data)


def register(app: typer.Typer) -> None:
    """Add the stage commands to the root app."""
    for command in (draft, check, batch, extract):
        app.command()(command)
