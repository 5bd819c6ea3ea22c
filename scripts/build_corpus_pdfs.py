"""Render the Markdown sources in knowledge/_pdf_sources/ to PDFs in knowledge/corpus/.

Some corpus documents ship as PDFs so that page-level citations are exercised on our own content.
Run after editing a source:  python scripts/build_corpus_pdfs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "knowledge" / "_pdf_sources"
TARGET = ROOT / "knowledge" / "corpus"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


def register_font() -> tuple[str, str]:
    """DejaVu Sans when installed (covers µ, ≤, ±), else reportlab's bundled Vera."""
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").is_file():
            pdfmetrics.registerFont(TTFont("Body", str(folder / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("Body-Bold", str(folder / "DejaVuSans-Bold.ttf")))
            return "Body", "Body-Bold"
    return "Helvetica", "Helvetica-Bold"


def styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=bold, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=12, leading=15),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=bold, fontSize=10.5, leading=13),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontName=font, fontSize=8, leading=10),
    }


def table_flowable(rows: list[str], style: dict[str, ParagraphStyle]) -> Table:
    cells = [[Paragraph(escape(c.strip()), style["cell"]) for c in row.strip().strip("|").split("|")]
             for row in rows if not re.fullmatch(r"\|?[\s:|-]+\|?", row.strip())]
    table = Table(cells, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def flowables(body: str, style: dict[str, ParagraphStyle]) -> list:
    story: list = []
    table: list[str] = []
    for line in body.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            story += [table_flowable(table, style), Spacer(1, 3 * mm)]
            table = []
        text = line.strip()
        if not text:
            continue
        if text.startswith("# "):
            story.append(Paragraph(escape(text[2:]), style["title"]))
        elif text.startswith("### "):
            story.append(Paragraph(escape(text[4:]), style["h3"]))
        elif text.startswith("## "):
            story.append(Paragraph(escape(text[3:]), style["h2"]))
        else:
            story.append(Paragraph(escape(text), style["body"]))
    return story


def render(source: Path, font: tuple[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    target = TARGET / f"{source.stem}.pdf"
    designation = meta.get("designation", "")

    def page_decor(canvas, document) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(font[0], 8)
        canvas.drawString(20 * mm, 287 * mm, f"prepro knowledge base — {designation}")
        canvas.drawRightString(190 * mm, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(target), pagesize=A4, title=meta["title"], author="prepro",
                            subject=f"kind: {meta.get('kind', 'standard')}",
                            leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm,
                            invariant=1)
    doc.build(flowables(body, styles(*font)), onFirstPage=page_decor, onLaterPages=page_decor)
    return target


def main() -> int:
    font = register_font()
    sources = sorted(SOURCES.glob("*.md"))
    for source in sources:
        print(f"{source.name} -> {render(source, font).relative_to(ROOT)}")
    return 0 if sources else 1


if __name__ == "__main__":
    sys.exit(main())
