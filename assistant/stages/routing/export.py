"""Route cards out: JSON (the contract), Markdown for review, DOCX and XLSX route cards laid out like GOST 3.1118,
and a DOCX operation card laid out like GOST 3.1404.

The cards carry the content of the operations (O rows), never the planner's reasoning: `rationale` stays in the
JSON and in the Markdown review view (route-review-rules.md, section 7).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.export import Exporter, with_default_header
from assistant.stages.routing.card import (
    COLUMNS,
    CONTENT_FROM,
    SIGNATURE_COLUMNS,
    SIGNATURES,
    CardHeader,
    card_rows,
    cutting_text,
    cutting_values,
    equipment_label,
    feature_content,
    main_time,
    material_rows,
    number,
    section,
    tooling,
    workshop,
)
from assistant.stages.routing.model import Operation, RoutingDraft


def _header_pairs(draft: RoutingDraft, header: CardHeader) -> list[tuple[str, str]]:
    return [*header.rows(), ("Drafted by", draft.provider)]


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


# ---- Markdown: the review view (it keeps the reasoning, "Why")


def _markdown_operation(op: Operation) -> list[str]:
    lines = [f"## {op.number} {op.name}", ""]
    lines.append(f"- **Content:** {feature_content(op) if not op.setups else ''}".rstrip())
    for setup in op.setups:
        lines.append(f"  - Setup {setup.id}")
        for t in setup.transitions:
            data = f" ({cutting_text(t.cutting)})" if t.cutting and cutting_text(t.cutting) else ""
            lines.append(f"    {t.n}. {t.text}{data}")
    for label, items in (("Fixtures", op.fixtures), ("Tools", op.tools), ("Measuring", op.measuring)):
        if items:
            lines.append(f"- **{label}:** {'; '.join(items)}")
    if op.coolant:
        lines.append(f"- **Coolant:** {op.coolant}")
    lines.append(f"- **Worker:** {op.profession}, grade {op.worker_grade}")
    lines.append(f"- **Why:** {op.rationale}")
    cites = ", ".join(s.label() for s in op.sources)
    return [*lines, f"- **Sources:** {cites}", ""]


def to_markdown(draft: RoutingDraft, header: CardHeader) -> bytes:
    """Header, the operations table, each operation's content, tooling and rationale, findings and sources."""
    lines = [f"# Route card — {header.part_id} {header.name}".rstrip(), ""]
    lines += [f"- **{label}:** {value}" for label, value in header.rows()[1:]]
    lines += [f"- **M{i:02d}:** {row.text}" for i, row in enumerate(material_rows(draft, header), start=1)]
    lines += [f"- **Drafted by:** {draft.provider}", ""]
    lines += [
        "| No | Operation | Kind / stage | Features | Equipment | Tsetup, min | Tpiece, min |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in draft.operations:
        kind = f"{op.kind} / {op.stage}" if op.stage else op.kind
        lines.append(
            f"| {op.number} | {_cell(op.name)} | {kind} | {', '.join(op.features)} | "
            f"{_cell(equipment_label(op.equipment))} | {op.setup_time_min} | {op.piece_time_min} |"
        )
    lines.append("")
    for op in draft.operations:
        lines += _markdown_operation(op)
    lines += ["## Findings", ""]
    lines += [
        f"- **{f.severity}** `{f.rule}`{' op ' + f.operation if f.operation else ''}"
        f"{' ' + f.feature if f.feature else ''}: {f.message}"
        for f in draft.findings
    ] or ["- none"]
    lines += ["", "## Sources", ""]
    lines += [f"- {s.label()}" for s in draft.sources]
    return ("\n".join(lines) + "\n").encode()


# ---- DOCX: the route card and the operation card

WIDTHS_CM = (0.9, 0.8, 2.4, 2.3, 1.4, 1.1, 4.2, 5.2, 2.4, 1.1, 1.4, 1.4)
OPCARD_COLUMNS = ("Sym", "Content", "t, mm", "s, mm/rev", "n, rev/min", "v, m/min", "To, min")
OPCARD_WIDTHS_CM = (0.9, 15.0, 1.8, 1.8, 1.9, 1.8, 1.8)


def _document(title: str) -> Any:
    """A landscape A4 document with small print and a title."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Cm(1.5)
    document.styles["Normal"].font.size = Pt(8)
    document.add_heading(title, level=1)
    return document


@dataclass(frozen=True)
class _Grid:
    """A DOCX table and the widths of its columns (Word wants a width on every cell)."""

    table: Any
    widths: list[Any]


def _table(document: Any, columns: Iterable[str], widths_cm: Iterable[float]) -> _Grid:
    """A bordered table with a bold heading row repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    names, widths = list(columns), [Cm(w) for w in widths_cm]
    table = document.add_table(rows=1, cols=len(names))
    table.style = "Table Grid"
    table.autofit = False
    for cell, name, width in zip(table.rows[0].cells, names, widths, strict=True):
        cell.text = name
        cell.width = width
        for run in cell.paragraphs[0].runs:
            run.bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    return _Grid(table, widths)


def _row(grid: _Grid, values: Iterable[str], merge_from: int | None = None) -> None:
    """A row of values; with `merge_from`, the cells from that column to the last are one wide cell."""
    cells = grid.table.add_row().cells
    for cell, width in zip(cells, grid.widths, strict=True):
        cell.width = width
    values = list(values)
    if merge_from is not None:
        wide = cells[merge_from].merge(cells[-1])
        for i, value in enumerate(values[:merge_from]):
            cells[i].text = value
        wide.text = values[merge_from] if len(values) > merge_from else ""
        return
    for cell, value in zip(cells, values, strict=False):
        cell.text = value


def _pairs(document: Any, pairs: list[tuple[str, str]], per_row: int = 2) -> None:
    """Label and value pairs as a grid, `per_row` pairs to a row, labels in bold."""
    table = document.add_table(rows=0, cols=2 * per_row)
    table.style = "Table Grid"
    for start in range(0, len(pairs), per_row):
        cells = table.add_row().cells
        for i, (label, value) in enumerate(pairs[start : start + per_row]):
            cells[2 * i].text, cells[2 * i + 1].text = label, value
            for run in cells[2 * i].paragraphs[0].runs:
                run.bold = True


def _signatures(document: Any) -> None:
    """The signature fields of the main inscription: developed, checked, approved, standards control."""
    document.add_paragraph()
    table = _table(document, SIGNATURE_COLUMNS, (5.0, 6.0, 5.0, 4.0))
    for label in SIGNATURES:
        _row(table, (label, "", "", ""))


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _title(kind: str, header: CardHeader) -> str:
    return f"{kind} — {header.part_id} {header.name}".rstrip()


def to_docx(draft: RoutingDraft, header: CardHeader) -> bytes:
    """A DOCX route card: header block, one table row per service line (M, A, B, O, T), signature fields.

    The draft's findings and sources follow on a separate page as review notes; they are not part of the card.
    """
    from docx.enum.text import WD_BREAK

    document = _document(_title("Route card (MK, GOST 3.1118)", header))
    _pairs(document, _header_pairs(draft, header), per_row=3)
    document.add_paragraph()
    table = _table(document, COLUMNS, WIDTHS_CM)
    for line, row in enumerate(card_rows(draft, header), start=1):
        if row.cells:
            _row(table, (row.symbol, f"{line:02d}", *row.cells))
        else:
            _row(table, (row.symbol, f"{line:02d}", row.text), merge_from=CONTENT_FROM)
    _signatures(document)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Review notes (not part of the card): findings", level=2)
    for f in draft.findings:
        document.add_paragraph(
            f"{f.severity} {f.rule} {f.operation or ''} {f.feature or ''}: {f.message}", style="List Bullet"
        )
    if not draft.findings:
        document.add_paragraph("none")
    document.add_heading("Sources", level=2)
    for s in draft.sources:
        document.add_paragraph(s.label(), style="List Bullet")
    return _save(document)


def operation_card_pairs(op: Operation, header: CardHeader) -> list[tuple[str, str]]:
    """The header of an operation card (GOST 3.1404): part, operation, equipment, fixture, coolant and times."""
    return [
        ("Part", f"{header.part_id} {header.name}".strip()),
        ("Material", header.material or "-"),
        ("Hardness", header.hardness or "-"),
        ("Workshop", workshop(op)),
        ("Section", section(op)),
        ("Operation", f"{op.number} {op.name}"),
        ("Equipment", equipment_label(op.equipment)),
        ("Fixture", "; ".join(op.fixtures) or "-"),
        ("Coolant", op.coolant or "-"),
        ("Tp.z., min", number(op.setup_time_min) or "-"),
        ("Tsht, min", number(op.piece_time_min) or "-"),
        ("To, min", number(main_time(op)) or "-"),
    ]


def operation_card_rows(op: Operation) -> list[tuple[str, ...]]:
    """The body of an operation card: O lines (setups, transitions), R lines (cutting data), T lines (tooling)."""
    rows: list[tuple[str, ...]] = []
    for setup in op.setups:
        rows.append(("O", f"Setup {setup.id}"))
        for t in setup.transitions:
            rows.append(("O", f"{t.n}. {t.text}"))
            if t.cutting is not None and any(cutting_values(t.cutting)):
                rows.append(("R", f"transition {t.n}", *cutting_values(t.cutting)))
    if not rows:
        rows.append(("O", feature_content(op)))
    rows += [("T", item) for item in tooling(op)]
    return rows


def to_operation_card(draft: RoutingDraft, header: CardHeader) -> bytes:
    """A DOCX operation card (OK, GOST 3.1404): per operation its header, setups, transitions, R and T rows."""
    from docx.enum.text import WD_BREAK

    document = _document(_title("Operation cards (OK, GOST 3.1404)", header))
    for i, op in enumerate(draft.operations):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"Operation {op.number} {op.name}", level=2)
        _pairs(document, operation_card_pairs(op, header), per_row=3)
        document.add_paragraph()
        table = _table(document, OPCARD_COLUMNS, OPCARD_WIDTHS_CM)
        for row in operation_card_rows(op):
            _row(table, row, merge_from=None if row[0] == "R" else 1)
        _signatures(document)
    return _save(document)


# ---- XLSX: the route card as a sheet


def to_xlsx(draft: RoutingDraft, header: CardHeader) -> bytes:
    """Sheets: the route card (header, M/A/B/O/T rows, signature fields), findings and sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    card = book.active
    card.title = "Route card"
    card.append([_title("Route card (MK, GOST 3.1118)", header)])
    card["A1"].font = Font(bold=True, size=12)
    for label, value in _header_pairs(draft, header):
        card.append([label, "", value])
        card.merge_cells(start_row=card.max_row, start_column=1, end_row=card.max_row, end_column=2)
    card.append([])
    card.append(list(COLUMNS))
    for cell in card[card.max_row]:
        cell.font = Font(bold=True)
    card.print_title_rows = f"{card.max_row}:{card.max_row}"
    last = len(COLUMNS)
    for line, row in enumerate(card_rows(draft, header), start=1):
        if row.cells:
            card.append([row.symbol, f"{line:02d}", *row.cells])
        else:
            card.append([row.symbol, f"{line:02d}", row.text])
            card.merge_cells(
                start_row=card.max_row, start_column=CONTENT_FROM + 1, end_row=card.max_row, end_column=last
            )
    card.append([])
    card.append(list(SIGNATURE_COLUMNS))
    for cell in card[card.max_row]:
        cell.font = Font(bold=True)
    for label in SIGNATURES:
        card.append([label])
    for i, width in enumerate((5, 5, 16, 14, 10, 7, 30, 40, 16, 7, 11, 11), start=1):
        card.column_dimensions[get_column_letter(i)].width = width
    for row in card.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    card.page_setup.orientation = "landscape"
    card.page_setup.fitToWidth = 1
    card.sheet_properties.pageSetUpPr.fitToPage = True
    findings = book.create_sheet("Findings")
    findings.append(["Severity", "Rule", "Operation", "Feature", "Message"])
    for f in draft.findings:
        findings.append([f.severity, f.rule, f.operation, f.feature, f.message])
    sources = book.create_sheet("Sources")
    sources.append(["Document", "Section", "Page"])
    for s in draft.sources:
        sources.append([s.doc, s.section, s.page])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(draft: RoutingDraft, header: CardHeader) -> bytes:
    """The draft as contract JSON."""
    return draft.model_dump_json(indent=2).encode()


EXPORTERS: dict[str, Exporter] = with_default_header(
    {
        "json": to_json,
        "md": to_markdown,
        "docx": to_docx,
        "xlsx": to_xlsx,
        "opcard": to_operation_card,  # DOCX operation cards (GOST 3.1404)
    },
    lambda draft: CardHeader(part_id=draft.part_id),
)
