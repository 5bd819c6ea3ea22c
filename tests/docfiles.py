"""Real test documents: PDFs drawn with reportlab, DOCX written with python-docx."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(
    path: Path,
    pages: list[list[str]],
    title: str | None = None,
    image_only: set[int] | None = None,
    cover: str | None = None,
) -> Path:
    """A PDF with one text line per list item; pages listed in image_only get only a drawn picture.

    `title` goes into the metadata; `cover` is printed large at the top of page 1, as a cover title is.
    """
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, start=1):
        top = 780
        if cover and number == 1:
            pdf.setFont("Helvetica-Bold", 22)
            pdf.drawString(60, 800, cover)
            top = 760
        if image_only and number in image_only:
            pdf.setFillGray(0.3)
            pdf.rect(100, 300, 300, 300, fill=1)
        else:
            text = pdf.beginText(60, top)
            text.setFont("Helvetica", 10)
            for line in lines:
                text.textLine(line)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return path


def encrypt_pdf(source: Path, target: Path, password: str) -> Path:
    """A copy of the PDF that needs the password to open."""
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def make_docx(
    path: Path, title: str, sections: list[tuple[str, list[str]]], table: list[list[str]] | None = None
) -> Path:
    """A DOCX with a title, Heading 1 sections of paragraphs and an optional table at the end."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path
