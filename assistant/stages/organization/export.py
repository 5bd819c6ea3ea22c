"""Organizational plans out: JSON (the contract), Markdown for review, DOCX and XLSX (export_office.py), and PNG
charts: station loads against takt, the launch schedule's Gantt chart and the simulated buffer levels."""

from __future__ import annotations

from assistant.export import Exporter, with_default_header
from assistant.stages.organization.export_office import to_docx, to_xlsx
from assistant.stages.organization.pictures import buffers_png, gantt_png, loads_png
from assistant.stages.organization.plan import OrgPlan
from assistant.stages.organization.tables import Cell, OrgHeader, Table, all_tables, five_s, key_figures, text

SUFFIXES = {"loads": "loads.png", "gantt": "gantt.png", "buffers": "buffers.png"}


def to_json(plan: OrgPlan, header: OrgHeader) -> bytes:
    """The plan as contract JSON (optional sections only when present)."""
    return plan.model_dump_json(indent=2).encode()


def _cell(value: Cell) -> str:
    return text(value).replace("|", "/").replace("\n", " ")


def _markdown_table(table: Table) -> list[str]:
    lines = [f"## {table.title}", "", f"| {' | '.join(table.columns)} |", f"|{'---|' * len(table.columns)}"]
    lines += [f"| {' | '.join(_cell(v) for v in row)} |" for row in table.rows]
    return [*lines, ""]


def to_markdown(plan: OrgPlan, header: OrgHeader) -> bytes:
    """Key figures, the summary, every section as a table, the 5S checkpoints, findings and sources."""
    lines = [f"# {header.title()}", ""]
    lines += [f"- **{label}:** {text(value)}" for label, value in key_figures(plan, header)[1:]]
    lines.append("")
    if plan.summary:
        lines += [plan.summary, ""]
    for table in all_tables(plan, header):
        lines += _markdown_table(table)
    if plan.five_s:
        lines += _markdown_table(five_s(plan))
    lines += ["## Findings", ""]
    lines += [
        f"- **{f.severity}** `{f.rule}`{' ' + f.operation if f.operation else ''}"
        f"{' ' + f.feature if f.feature else ''}: {f.message}"
        for f in plan.findings
    ] or ["- none"]
    lines += ["", "## Sources", ""]
    lines += [f"- {s.label()}" for s in plan.sources]
    return ("\n".join(lines) + "\n").encode()


EXPORTERS: dict[str, Exporter] = with_default_header(
    {
        "json": to_json,
        "md": to_markdown,
        "docx": to_docx,
        "xlsx": to_xlsx,
        "loads": loads_png,
        "gantt": gantt_png,
        "buffers": buffers_png,
    },
    lambda draft: OrgHeader(plan_id=draft.plan_id),
)
