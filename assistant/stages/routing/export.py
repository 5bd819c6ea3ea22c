"""Route cards out: JSON (the contract), Markdown for reading, DOCX and XLSX laid out like GOST 3.1118."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.engineering.operations import KINDS
from assistant.export import Exporter
from assistant.stages.routing.model import Operation, RoutingDraft


@dataclass(frozen=True)
class CardHeader:
    """The header of a route card: part, material, blank and production data."""

    part_id: str
    name: str = ""
    material: str = ""
    hardness: str = ""
    blank: str = ""
    mass_kg: float | None = None
    annual_volume: int | None = None
    batch_size: int | None = None
    production: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, empty values left out."""
        pairs = [
            ("Part", f"{self.part_id} {self.name}".strip()),
            ("Material", self.material),
            ("Hardness", self.hardness),
            ("Blank", self.blank),
            ("Mass, kg", f"{self.mass_kg:.2f}" if self.mass_kg else ""),
            ("Annual volume", str(self.annual_volume or "")),
            ("Batch size", str(self.batch_size or "")),
            ("Production type", self.production.replace("_", " ")),
            *self.extra.items(),
        ]
        return [(label, value) for label, value in pairs if value]


def workshop(op: Operation) -> str:
    """Workshop of an operation (machining unless blank preparation or heat treatment)."""
    return KINDS[op.kind].workshop


def section(op: Operation) -> str:
    """Section of the workshop where an operation is done."""
    return KINDS[op.kind].section


def card_rows(op: Operation) -> list[tuple[str, str]]:
    """The service-symbol rows of one operation: A (operation), B (equipment), O (content), T (tooling)."""
    stage = f" ({op.stage.replace('_', '-')})" if op.stage else ""
    a = f"{workshop(op)} | {section(op)} | {op.equipment.model} | {op.number} {op.name}{stage}"
    b = (
        f"{op.equipment.model} {op.equipment.type} | {op.profession} | grade {op.worker_grade or '-'} | "
        f"Tsetup {op.setup_time_min if op.setup_time_min is not None else '-'} min | "
        f"Tpiece {op.piece_time_min if op.piece_time_min is not None else '-'} min"
    )
    features = f"Features {', '.join(op.features)}. " if op.features else ""
    o = f"{features}{op.rationale}"
    t = "; ".join(op.fixtures + op.tools + op.measuring)
    return [("A", a), ("B", b), ("O", o), ("T", t)]


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def to_markdown(draft: RoutingDraft, header: CardHeader) -> bytes:
    """Header, the operations table, each operation's tooling and rationale, findings and sources."""
    lines = [f"# Route card — {header.part_id} {header.name}".rstrip(), ""]
    lines += [f"- **{label}:** {value}" for label, value in header.rows()[1:]] + [
        f"- **Drafted by:** {draft.provider}",
        "",
    ]
    lines += [
        "| No | Operation | Kind / stage | Features | Equipment | Tsetup, min | Tpiece, min |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in draft.operations:
        kind = f"{op.kind} / {op.stage}" if op.stage else op.kind
        lines.append(
            f"| {op.number} | {_cell(op.name)} | {kind} | {', '.join(op.features)} | "
            f"{op.equipment.model} {_cell(op.equipment.type)} | {op.setup_time_min} | {op.piece_time_min} |"
        )
    lines.append("")
    for op in draft.operations:
        lines += [f"## {op.number} {op.name}", ""]
        for label, items in (("Fixtures", op.fixtures), ("Tools", op.tools), ("Measuring", op.measuring)):
            if items:
                lines.append(f"- **{label}:** {'; '.join(items)}")
        lines.append(f"- **Worker:** {op.profession}, grade {op.worker_grade}")
        lines.append(f"- **Why:** {op.rationale}")
        cites = ", ".join(s.label() for s in op.sources)
        lines += [f"- **Sources:** {cites}", ""]
    lines += ["## Findings", ""]
    lines += [
        f"- **{f.severity}** `{f.rule}`{' op ' + f.operation if f.operation else ''}"
        f"{' ' + f.feature if f.feature else ''}: {f.message}"
        for f in draft.findings
    ] or ["- none"]
    lines += ["", "## Sources", ""]
    lines += [f"- {s.label()}" for s in draft.sources]
    return ("\n".join(lines) + "\n").encode()


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
        document.add_paragraph(s.label(), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
        card.append(["A", workshop(op), section(op), op.equipment.model, op.number, f"{op.name}{stage}"])
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


def to_json(draft: RoutingDraft, header: CardHeader) -> bytes:
    """The draft as contract JSON."""
    return draft.model_dump_json(indent=2).encode()


def _with_header(layout: Callable[[RoutingDraft, CardHeader], bytes]) -> Exporter:
    """A layout that prints the part id alone when no header is given."""
    return lambda draft, header: layout(draft, header or CardHeader(part_id=draft.part_id))


EXPORTERS: dict[str, Exporter] = {
    fmt: _with_header(layout)
    for fmt, layout in {"json": to_json, "md": to_markdown, "docx": to_docx, "xlsx": to_xlsx}.items()
}
