"""The route card as a Word document laid out like GOST 3.1118 (header, A/B/O/T rows per operation)."""

from __future__ import annotations

import io

from assistant.export.card import CardHeader, card_rows
from assistant.route_card import RoutingDraft


def to_docx(draft: RoutingDraft, header: CardHeader) -> bytes:
    """A DOCX route card: header table, one row group per operation, findings and sources."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.size = Pt(8)
    document.add_heading(f"Route card (MK, GOST 3.1118) — {header.part_id}", level=1)
    head = document.add_table(rows=0, cols=2)
    head.style = "Table Grid"
    for label, value in [*header.rows(), ("Drafted by", draft.provider)]:
        cells = head.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Row", "Workshop | Section | Workplace | Operation"
    for op in draft.operations:
        for symbol, text in card_rows(op):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = symbol, text
    document.add_heading("Findings", level=2)
    for f in draft.findings or []:
        document.add_paragraph(
            f"{f.severity} {f.rule} {f.operation or ''} {f.feature or ''}: {f.message}", style="List Bullet"
        )
    if not draft.findings:
        document.add_paragraph("none")
    document.add_heading("Sources", level=2)
    for s in draft.sources:
        document.add_paragraph(
            f"{s.doc} §{s.section or '-'}" + (f", p. {s.page}" if s.page else ""), style="List Bullet"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
