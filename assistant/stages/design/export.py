"""Design drafts out: JSON (the contract), Markdown for review, and a DOCX technical assignment with the BOM and
the design review."""

from __future__ import annotations

import io
from dataclasses import dataclass

from assistant.export import Exporter, with_default_header
from assistant.stages.design.model import BomLine, DesignDraft
from assistant.stages.findings import Finding


@dataclass(frozen=True)
class DesignHeader:
    """What the exports print above the draft: the part and its material."""

    part_id: str
    name: str = ""
    kind: str = ""
    material: str = ""
    hardness: str = ""
    annual_volume: int | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, empty values left out."""
        pairs = [
            ("Part", f"{self.part_id} {self.name}".strip()),
            ("Kind", self.kind),
            ("Material", self.material),
            ("Hardness", self.hardness),
            ("Annual volume", str(self.annual_volume or "")),
        ]
        return [(label, value) for label, value in pairs if value]


BOM_COLUMNS = ("Pos.", "Name", "Qty", "Material", "Note")


def _bom_row(line: BomLine) -> tuple[str, ...]:
    quantity = f"{line.quantity:g}"
    return (str(line.position), line.name, quantity, line.material or "", line.note or "")


def _finding_text(f: Finding) -> str:
    where = f" {f.feature}" if f.feature else ""
    cites = f" ({', '.join(s.label() for s in f.sources)})" if f.sources else ""
    return f"{f.severity} `{f.rule}`{where}: {f.message}{cites}"


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def to_json(draft: DesignDraft, header: DesignHeader) -> bytes:
    """The draft as contract JSON."""
    return draft.model_dump_json(indent=2).encode()


def to_markdown(draft: DesignDraft, header: DesignHeader) -> bytes:
    """Header, the assignment's sections with their sources, the BOM, the review's findings and all sources."""
    lines = [f"# Technical assignment — {header.part_id} {header.name}".rstrip(), ""]
    lines += [f"- **{label}:** {value}" for label, value in header.rows()[1:]]
    lines += [f"- **Drafted by:** {draft.provider}", ""]
    for n, section in enumerate(draft.technical_assignment.sections, start=1):
        lines += [f"## {n} {section.title}", "", section.text, ""]
        if section.sources:
            lines += [f"*Sources:* {', '.join(s.label() for s in section.sources)}", ""]
    lines += ["## Bill of materials", ""]
    if draft.bom:
        lines += [f"| {' | '.join(BOM_COLUMNS)} |", f"|{'---|' * len(BOM_COLUMNS)}"]
        lines += [f"| {' | '.join(_cell(v) for v in _bom_row(line))} |" for line in draft.bom]
    else:
        lines.append("- none (a single part without components)")
    lines += ["", "## Design review", ""]
    lines += [f"- {_finding_text(f)}" for f in draft.findings] or ["- no findings"]
    lines += ["", "## Sources", ""]
    lines += [f"- {s.label()}" for s in draft.sources]
    return ("\n".join(lines) + "\n").encode()


def to_docx(draft: DesignDraft, header: DesignHeader) -> bytes:
    """A DOCX technical assignment: header table, numbered sections with sources, BOM table, review, sources."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Technical assignment — {header.part_id} {header.name}".rstrip(), level=1)
    pairs = [*header.rows()[1:], ("Drafted by", draft.provider)]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for n, section in enumerate(draft.technical_assignment.sections, start=1):
        document.add_heading(f"{n} {section.title}", level=2)
        for paragraph in section.text.split("\n"):
            document.add_paragraph(paragraph)
        if section.sources:
            document.add_paragraph(f"Sources: {', '.join(s.label() for s in section.sources)}").runs[0].italic = True
    document.add_heading("Bill of materials", level=2)
    if draft.bom:
        grid = document.add_table(rows=1, cols=len(BOM_COLUMNS))
        grid.style = "Table Grid"
        for cell, name in zip(grid.rows[0].cells, BOM_COLUMNS, strict=True):
            cell.text = name
        for line in draft.bom:
            for cell, value in zip(grid.add_row().cells, _bom_row(line), strict=True):
                cell.text = value
    else:
        document.add_paragraph("none (a single part without components)")
    document.add_heading("Design review", level=2)
    for f in draft.findings:
        document.add_paragraph(_finding_text(f).replace("`", ""), style="List Bullet")
    if not draft.findings:
        document.add_paragraph("no findings")
    document.add_heading("Sources", level=2)
    for s in draft.sources:
        document.add_paragraph(s.label(), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


EXPORTERS: dict[str, Exporter] = with_default_header(
    {"json": to_json, "md": to_markdown, "docx": to_docx},
    lambda draft: DesignHeader(part_id=draft.part_id),
)
