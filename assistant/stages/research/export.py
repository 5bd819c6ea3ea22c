"""Research briefs out: JSON (the contract), Markdown for review, and DOCX, each showing the same brief."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from assistant.citation import Citation
from assistant.export import Exporter
from assistant.stages.research.model import Reference, ResearchBrief, ResearchRequest


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _cites(sources: list[Citation]) -> str:
    return "; ".join(s.label() for s in sources)


def _reference(ref: Reference) -> str:
    return f"{Citation(doc=ref.doc, section=ref.section, page=ref.page).label()}: {ref.why}"


def _production(brief: ResearchBrief) -> str:
    volume = brief.production.annual_volume
    stated = f"{volume} a year" if volume is not None else "annual volume not stated"
    return f"{stated}; {brief.production.type or 'production type not set'}"


def _header_pairs(brief: ResearchBrief, request: ResearchRequest | None) -> list[tuple[str, str]]:
    pairs = [("Request", " ".join(request.request.split()))] if request else []
    if request and request.constraints:
        pairs.append(("Constraints", "; ".join(request.constraints)))
    return [*pairs, ("Production", _production(brief)), ("Drafted by", brief.provider)]


def _lists(brief: ResearchBrief) -> list[tuple[str, list[str]]]:
    """The brief's lists, each under its heading, as lines of text."""
    findings = [f"{f.severity} {f.rule}{' ' + f.feature if f.feature else ''}: {f.message}" for f in brief.findings]
    return [
        ("Standards", [_reference(r) for r in brief.standards]),
        ("Analogues", [_reference(r) for r in brief.analogues]),
        ("Risks", brief.risks),
        ("Open questions", brief.open_questions),
        ("Findings", findings),
        ("Sources", [s.label() for s in brief.sources]),
    ]


def to_markdown(brief: ResearchBrief, request: ResearchRequest | None) -> bytes:
    """Header, restatement, requirements and materials as tables, then standards, analogues, risks and findings."""
    lines = [f"# Research brief — {brief.request_id}", ""]
    lines += [f"- **{label}:** {value}" for label, value in _header_pairs(brief, request)]
    lines += ["", "## Restated", "", brief.restated, "", "## Requirements", ""]
    lines += ["| No | Requirement | Origin | Sources |", "|---|---|---|---|"]
    lines += [f"| {r.n} | {_cell(r.text)} | {r.origin} | {_cell(_cites(r.sources))} |" for r in brief.requirements]
    lines += ["", "## Materials (best first)", ""]
    lines += ["| Grade | Hardness reachable | Machinability | Cost class | Why |", "|---|---|---|---|---|"]
    lines += [
        f"| {m.grade} | {_cell(m.hardness_reachable)} | {m.machinability:g} | {m.cost_class} | "
        f"{_cell('; '.join(m.reasons))} |"
        for m in brief.materials
    ] or ["| none | | | | |"]
    for heading, items in _lists(brief):
        lines += ["", f"## {heading}", ""]
        lines += [f"- {item}" for item in items] or ["- none"]
    return ("\n".join(lines) + "\n").encode()


def _table(document: Any, columns: list[str], rows: list[list[str]]) -> None:
    """A bordered table with a bold heading row."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def to_docx(brief: ResearchBrief, request: ResearchRequest | None) -> bytes:
    """The brief as a Word document: the same sections as the Markdown view."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(f"Research brief — {brief.request_id}", level=1)
    _table(document, ["", ""], [[label, value] for label, value in _header_pairs(brief, request)])
    document.add_heading("Restated", level=2)
    document.add_paragraph(brief.restated)
    document.add_heading("Requirements", level=2)
    rows = [[str(r.n), r.text, r.origin, _cites(r.sources)] for r in brief.requirements]
    _table(document, ["No", "Requirement", "Origin", "Sources"], rows)
    document.add_heading("Materials (best first)", level=2)
    rows = [
        [m.grade, m.hardness_reachable, f"{m.machinability:g}", m.cost_class, "; ".join(m.reasons)]
        for m in brief.materials
    ]
    _table(document, ["Grade", "Hardness reachable", "Machinability", "Cost class", "Why"], rows)
    for heading, items in _lists(brief):
        document.add_heading(heading, level=2)
        for item in items:
            document.add_paragraph(item, style="List Bullet")
        if not items:
            document.add_paragraph("none")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_json(brief: ResearchBrief, request: ResearchRequest | None) -> bytes:
    """The brief as contract JSON."""
    return brief.model_dump_json(indent=2).encode()


def _layout(render: Callable[[ResearchBrief, ResearchRequest | None], bytes]) -> Exporter:
    return lambda brief, header: render(brief, header if isinstance(header, ResearchRequest) else None)


EXPORTERS: dict[str, Exporter] = {
    fmt: _layout(render) for fmt, render in {"json": to_json, "md": to_markdown, "docx": to_docx}.items()
}
