"""The plan as office files: a DOCX report (key figures, the sections' tables with the station-load chart, the
buffer-level and Gantt charts when present, 5S checkpoints, findings, sources) and an XLSX workbook (one sheet per
section and a 5S audit sheet for the auditor's scores, with a total and a percentage formula per workplace)."""

from __future__ import annotations

import io
from typing import Any

from assistant.stages.organization import tables as t
from assistant.stages.organization.pictures import buffers_png, gantt_png, loads_png
from assistant.stages.organization.plan import OrgPlan
from assistant.stages.organization.tables import OrgHeader, Table

# ---- DOCX


def _document(title: str) -> Any:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    page = document.sections[0]
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Cm(1.5)
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(title, level=1)
    return document


def _grid(document: Any, table: Table) -> None:
    """A heading and a bordered table with a bold heading row."""
    document.add_heading(table.title, level=2)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = t.text(value)


def _picture(document: Any, png: bytes) -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(16))


def _pairs(document: Any, pairs: list[tuple[str, t.Cell]]) -> None:
    grid = document.add_table(rows=0, cols=2)
    grid.style = "Table Grid"
    for label, value in pairs:
        cells = grid.add_row().cells
        cells[0].text, cells[1].text = label, t.text(value)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True


def _notes(document: Any, plan: OrgPlan) -> None:
    document.add_heading("Findings", level=2)
    for f in plan.findings:
        where = " ".join(x for x in (f.operation, f.feature) if x)
        document.add_paragraph(f"{f.severity} {f.rule} {where}: {f.message}".replace("  ", " "), style="List Bullet")
    if not plan.findings:
        document.add_paragraph("none")
    document.add_heading("Sources", level=2)
    for s in plan.sources:
        document.add_paragraph(s.label(), style="List Bullet")


def to_docx(plan: OrgPlan, header: OrgHeader) -> bytes:
    """A DOCX report of the plan with its tables and charts."""
    document = _document(header.title())
    _pairs(document, t.key_figures(plan, header)[1:])
    if plan.summary:
        document.add_paragraph(plan.summary)
    _grid(document, t.stations(plan, header))
    _picture(document, loads_png(plan, header))
    for table in ([t.equipment(plan)] if plan.equipment else []) + ([t.kanban_supply(plan)] if plan.kanban else []):
        _grid(document, table)
    for table in t.simulation(plan):
        _grid(document, table)
    if plan.simulation and plan.simulation.buffers:
        _picture(document, buffers_png(plan, header))
    for table in t.schedule(plan):
        _grid(document, table)
    if plan.schedule:
        _picture(document, gantt_png(plan, header))
    for table in t.cost(plan) + t.salbp2(plan) + ([t.five_s(plan)] if plan.five_s else []):
        _grid(document, table)
    _notes(document, plan)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- XLSX


def _write(sheet: Any, tables: list[Table], empty: str) -> None:
    """Tables one under another, each with a bold title and heading row; `empty` when there are none."""
    from openpyxl.styles import Font

    if not tables:
        sheet.append([empty])
        return
    for table in tables:
        if sheet.max_row > 1:
            sheet.append([])
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(list(table.columns))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 40 if tables[0].columns[1] in {"Elements", "Step"} else 14


def _audit(sheet: Any, plan: OrgPlan) -> None:
    """Workplace, step, checkpoint and an empty score (0..4) per row; per workplace a SUM and a percentage."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append(["Workplace", "Step", "Checkpoint", "Score (0..4)", "Source"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    scores = DataValidation(type="whole", operator="between", formula1="0", formula2="4", allow_blank=True)
    sheet.add_data_validation(scores)
    workplaces = list(dict.fromkeys(c.workplace for c in plan.five_s))
    for workplace in workplaces:
        checks = [c for c in plan.five_s if c.workplace == workplace]
        first = sheet.max_row + 1
        for c in checks:
            sheet.append([c.workplace, c.step, c.checkpoint, None, c.source.label()])
        last = sheet.max_row
        scores.add(f"D{first}:D{last}")
        maximum = 4 * len(checks)
        total = last + 1
        sheet.append([f"{workplace}: total", None, f"score of {len(checks)} checkpoints, max {maximum}"])
        sheet.cell(row=total, column=4, value=f"=SUM(D{first}:D{last})")
        sheet.cell(row=total, column=5, value=f"=D{total}/{maximum}").number_format = "0%"
        for cell in sheet[total]:
            cell.font = Font(bold=True)
        sheet.append([])
    for column, width in zip("ABCDE", (24, 14, 80, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width


def to_xlsx(plan: OrgPlan, header: OrgHeader) -> bytes:
    """Sheets: Plan, Stations, Equipment, Kanban & supply, Simulation, Schedule, Cost, SALBP-2, 5S audit, Findings, Sources."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Plan"
    _write(first, [Table(header.title(), ("Figure", "Value"), list(t.key_figures(plan, header)))], "")
    if plan.summary:
        first.append([])
        first.append(["Summary", plan.summary])
    sheets: list[tuple[str, list[Table], str]] = [
        ("Stations", [t.stations(plan, header)], ""),
        ("Equipment", [t.equipment(plan)] if plan.equipment else [], "no equipment in this plan"),
        ("Kanban & supply", [t.kanban_supply(plan)] if plan.kanban else [], "the plan has no kanban loops"),
        ("Simulation", t.simulation(plan), "the plan has no simulation section"),
        ("Schedule", t.schedule(plan), "the plan has no schedule section"),
        ("Cost", t.cost(plan), "the plan has no costs section"),
    ]
    if plan.salbp2:
        sheets.append(("SALBP-2", t.salbp2(plan), ""))
    for name, tables, empty in sheets:
        _write(book.create_sheet(name), tables, empty)
    _audit(book.create_sheet("5S audit"), plan)
    findings = book.create_sheet("Findings")
    findings.append(["Severity", "Rule", "Operation", "Feature", "Message"])
    for f in plan.findings:
        findings.append([str(f.severity), f.rule, f.operation, f.feature, f.message])
    sources = book.create_sheet("Sources")
    sources.append(["Document", "Section", "Page"])
    for s in plan.sources:
        sources.append([s.doc, s.section, s.page])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
