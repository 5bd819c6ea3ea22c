"""The route card as a spreadsheet laid out like GOST 3.1118: one row group per operation."""

from __future__ import annotations

import io

from assistant.export.card import SECTIONS, CardHeader, workshop
from assistant.route_card import RoutingDraft

COLUMNS = (
    "Row",
    "Workshop",
    "Section",
    "Workplace",
    "Operation",
    "Name / content",
    "Equipment",
    "Profession",
    "Grade",
    "Tsetup, min",
    "Tpiece, min",
)


def to_xlsx(draft: RoutingDraft, header: CardHeader) -> bytes:
    """Sheets: the route card (header, A/B/O/T rows), findings and sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    card = book.active
    card.title = "Route card"
    card.append([f"Route card (MK, GOST 3.1118) — {header.part_id}"])
    card["A1"].font = Font(bold=True, size=12)
    for label, value in [*header.rows(), ("Drafted by", draft.provider)]:
        card.append([label, value])
    card.append([])
    card.append(list(COLUMNS))
    for cell in card[card.max_row]:
        cell.font = Font(bold=True)
    for op in draft.operations:
        stage = f" ({op.stage.replace('_', '-')})" if op.stage else ""
        card.append(
            ["A", workshop(op), SECTIONS.get(op.kind, "Machining"), op.equipment.model, op.number, f"{op.name}{stage}"]
        )
        card.append(
            [
                "B",
                "",
                "",
                "",
                "",
                "",
                f"{op.equipment.model} {op.equipment.type}",
                op.profession,
                op.worker_grade,
                op.setup_time_min,
                op.piece_time_min,
            ]
        )
        card.append(
            ["O", "", "", "", "", (f"Features {', '.join(op.features)}. " if op.features else "") + op.rationale]
        )
        card.append(["T", "", "", "", "", "; ".join(op.fixtures + op.tools + op.measuring)])
    for column, width in zip("ABCDEFGHIJK", (5, 16, 14, 14, 9, 70, 30, 16, 7, 11, 11), strict=True):
        card.column_dimensions[column].width = width
    for row in card.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
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
