"""A cited passage shown where it stands: its PDF page as a PNG with the passage's words highlighted, or, for a
document without pages (Markdown, text, DOCX, YAML), the passage within the text around it.

The passage's words are found on the page by aligning the page's words with the passage's (difflib, case and
punctuation ignored), so line breaks, hyphenation and the running headers the index dropped do not stop a
match; each run of at least `MIN_RUN` matching words is boxed with pdfium's text rectangles.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.retrieval.loaders import load_document

SCALE = 2.0  # 144 dpi: the excerpt stays sharp when a browser column shrinks it
MARGIN = 48.0  # points of the page shown above and below the passage in the excerpt (about four lines)
MIN_RUN = 2  # words in a row that count as the passage (a lone common word would light up half the page)
HIGHLIGHT = (255, 214, 0, 96)  # semi-transparent yellow (RGBA)
CONTEXT_CHARS = 700  # text shown before and after a passage in a document without pages
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
_WORD = re.compile(r"\w+")

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass(frozen=True)
class CitedPage:
    """What a citation opens: the page image (PDFs) or the passage with its surrounding text, and a note when
    the original could not be shown (file moved, encrypted) or the passage was not found on it."""

    doc: str
    page: int | None
    image: bytes | None = None  # PNG of the PDF page with the passage highlighted
    excerpt: bytes | None = None  # PNG of the band of that page around the passage (None: not found on it)
    before: str = ""  # text before the passage (documents without pages)
    passage: str = ""  # the passage as the document has it
    after: str = ""  # text after the passage
    highlighted: int = 0  # words of the passage highlighted on the page image
    note: str = ""


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _runs(source: list[str], passage: list[str]) -> list[tuple[int, int]]:
    """(first index in `source`, length) of the runs of at least MIN_RUN passage words that make up the passage
    in `source`: the longest run and those within a passage's length of it (a stray "of the" elsewhere is not)."""
    matcher = SequenceMatcher(None, source, passage, autojunk=False)
    least = max(min(MIN_RUN, len(passage)), 1)
    runs = [(b.a, b.size) for b in matcher.get_matching_blocks() if b.size >= least]
    if not runs:
        return []
    anchor, size = max(runs, key=lambda run: run[1])
    reach = len(passage)
    return [(a, n) for a, n in runs if anchor - reach <= a and a + n <= anchor + size + reach]


def _boxes(textpage: object, text: str, passage: str) -> tuple[list[Box], int]:
    """Rectangles (PDF points) of the passage's words on a text page, and how many words they cover."""
    words = _words(text)
    runs = _runs([w.group().lower() for w in words], [w.group().lower() for w in _words(passage)])
    boxes: list[Box] = []
    for first, size in runs:
        start, end = words[first].start(), words[first + size - 1].end()
        count = textpage.count_rects(start, end - start)  # type: ignore[attr-defined]
        boxes += [textpage.get_rect(n) for n in range(count)]  # type: ignore[attr-defined]
    return boxes, sum(size for _, size in runs)


@dataclass(frozen=True)
class Rendered:
    """A PDF page drawn with the passage highlighted: the page, the band around the passage, the words found."""

    page: bytes
    excerpt: bytes | None
    found: int


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _band(boxes: list[Box], text_area: list[Box], height: float, scale: float) -> tuple[int, int, int, int]:
    """The image region (left, top, right, bottom in pixels) of the passage's lines, MARGIN above and below,
    as wide as the page's text."""
    left = min(b[0] for b in text_area) - MARGIN / 2
    right = max(b[2] for b in text_area) + MARGIN / 2
    top = height - max(b[3] for b in boxes) - MARGIN
    bottom = height - min(b[1] for b in boxes) + MARGIN
    return int(max(left, 0) * scale), int(max(top, 0) * scale), int(right * scale), int(min(bottom, height) * scale)


def render_page(path: Path, page: int, passage: str, scale: float = SCALE) -> Rendered:
    """A PDF page (1-based) with the passage's words boxed in semi-transparent yellow, and the band around them."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{path.name}: cannot open the PDF to show page {page} ({exc})") from None
    try:
        if not 1 <= page <= len(pdf):
            raise InputError(f"{path.name} has pages 1 to {len(pdf)}; there is no page {page}")
        sheet = pdf[page - 1]
        height = sheet.get_height()
        textpage = sheet.get_textpage()
        boxes, found = _boxes(textpage, textpage.get_text_range(), passage)
        text_area = [textpage.get_rect(n) for n in range(textpage.count_rects(0, -1))]
        image = sheet.render(scale=scale).to_pil().convert("RGBA")
    finally:
        pdf.close()
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for left, bottom, right, top in boxes:  # PDF y grows upwards, the image's downwards
        draw.rectangle(
            (left * scale - 1, (height - top) * scale - 1, right * scale + 1, (height - bottom) * scale + 1),
            fill=HIGHLIGHT,
        )
    drawn = Image.alpha_composite(image, layer)
    excerpt = _png(drawn.crop(_band(boxes, text_area, height, scale))) if boxes else None
    return Rendered(_png(drawn), excerpt, found)


def document_text(path: Path) -> str:
    """The text of a document without pages, as its loader reads it (Markdown and text files as they are)."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    loaded = load_document(path)
    parts = [p.text for p in loaded.pages] or [b.text for b in loaded.blocks]
    return "\n\n".join(parts)


def in_context(text: str, passage: str, around: int = CONTEXT_CHARS) -> tuple[str, str, str] | None:
    """(text before, the passage as the document has it, text after), cut at line ends; None when not found."""
    words = _words(text)
    runs = _runs([w.group().lower() for w in words], [w.group().lower() for w in _words(passage)])
    if not runs:
        return None
    first, (last, size) = runs[0][0], runs[-1]
    start = text.rfind("\n", 0, words[first].start()) + 1  # from the start of the passage's first line
    stop = text.find("\n", words[last + size - 1].end())
    end = len(text) if stop < 0 else stop
    head = text.rfind("\n", 0, start - around) + 1 if start > around else 0
    tail = text.find("\n", end + around) if end + around < len(text) else -1
    tail = len(text) if tail < 0 else tail
    return text[head:start].rstrip("\n"), text[start:end], text[end:tail].lstrip("\n")


def cited_page(path: Path, doc: str, page: int | None, passage: str) -> CitedPage:
    """What a citation of `doc` (indexed from `path`) opens: its PDF page highlighted, or the passage in context."""
    if not path.is_file():
        return CitedPage(doc, page, passage=passage, note=f"the original file {path} is no longer there")
    if path.suffix.lower() == ".pdf":
        if page is None:
            return CitedPage(doc, page, passage=passage, note="the citation names no page")
        try:
            drawn = render_page(path, page, passage)
        except InputError as exc:
            return CitedPage(doc, page, passage=passage, note=str(exc))
        note = "" if drawn.found else "the passage's words were not found on this page's text layer"
        return CitedPage(doc, page, image=drawn.page, excerpt=drawn.excerpt, highlighted=drawn.found, note=note)
    placed = in_context(document_text(path), passage)
    if placed is None:
        return CitedPage(doc, page, passage=passage, note=f"the passage was not found in {path.name} as it is now")
    before, found_text, after = placed
    return CitedPage(doc, page, before=before, passage=found_text, after=after)
