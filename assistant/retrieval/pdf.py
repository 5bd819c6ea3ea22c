"""PDF pages as text: running headers and footers removed by repetition, scanned pages counted, a real title."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.retrieval.docmeta import usable_title
from assistant.retrieval.document import LoadedDocument, Page

EDGE_LINES = 8  # lines at the top and at the bottom of a page where running headers and footers may sit
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_BOILERPLATE = re.compile(
    r"approved|distribution|supersed|downloaded|http|www\.|page \d|effective date|expiration|compliance is"
    r"|inch-pound|metric|measurement sensitive|comments|revision|change no|\bdate\b|^\W*$",
    re.I,
)


_PAGE_WORDS = re.compile(r"\b(page|pg|p|of|rev|revision|change|no|sheet)\b", re.I)


def running_key(line: str) -> str:
    """How a header/footer line is recognised on every page.

    Its exact text; numbers are masked only where they can be page numbers: in short lines ("12", "45 of
    114") and in lines that name a page or revision ("Revision A 3-4 CHANGE NO. 3", "Page 12 of 19").
    """
    text = _SPACES.sub(" ", line.strip().lower())
    return _DIGITS.sub("#", text) if len(text.split()) <= 4 or _PAGE_WORDS.search(text) else text


def _peel(lines: list[str], running: set[str]) -> list[str]:
    """The lines without the running ones at the top and at the bottom (a header may take several lines)."""
    start, end = 0, len(lines)
    while start < min(end, EDGE_LINES) and running_key(lines[start]) in running:
        start += 1
    while end > max(start, len(lines) - EDGE_LINES) and running_key(lines[end - 1]) in running:
        end -= 1
    return lines[start:end]


def strip_running_lines(texts: list[str]) -> list[str]:
    """Drop the lines at the page edges that repeat (numbers masked) on at least 40 % of the pages."""
    if len(texts) < 3:
        return texts
    edges: Counter[str] = Counter()
    for text in texts:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        edges.update({running_key(ln) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    floor = max(2, math.ceil(0.4 * len(texts)))
    running = {key for key, n in edges.items() if n >= floor and len(key) < 160}
    return ["\n".join(_peel([ln for ln in text.splitlines() if ln.strip()], running)) for text in texts]


def open_pdf(path: Path, password: str | None) -> Any:
    """A pypdf reader, decrypted; a broken, empty or locked file is a DocumentError naming it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if path.stat().st_size == 0:
        raise DocumentError(f"{path.name}: the file is empty")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            if password:
                raise DocumentError(f"{path.name}: the PDF password is wrong")
            raise DocumentError(f"{path.name}: the PDF is encrypted; give its password with --password")
        _ = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{path.name}: not a readable PDF ({exc})") from exc
    return reader


def _page_texts(reader: Any) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types for one bad page
            warnings.append(f"page {number}: text could not be extracted ({type(exc).__name__})")
            texts.append("")
    return texts, warnings


_LETTER_RUN = re.compile(r"[A-Za-z]{12,}")
_TOKEN = re.compile(r"\S+")


def runs_words_together(text: str) -> bool:
    """True for a page whose text layer lost its spaces (some OCR'd scans): many very long letter runs."""
    tokens = _TOKEN.findall(text)
    long_runs = sum(1 for t in tokens if re.search(r"[A-Za-z]{16,}", t))
    return len(tokens) >= 20 and long_runs / len(tokens) > 0.05


def mend_spacing(text: str) -> str:
    """Put the spaces back into run-together words ("shallbetoleranceclass6g" -> "shall be tolerance class6g")."""
    import wordninja

    return _LETTER_RUN.sub(lambda m: " ".join(wordninja.split(m.group(0))), text)


def _title_line(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 8 and len(text.split()) >= 2 and not _BOILERPLATE.search(text)


def first_page_title(page: Any) -> str | None:
    """The first page's title: the largest-printed lines that read like a title, not boilerplate."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            runs.append((round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1), text.strip()))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - a title is optional; the metadata or a line stands in
        return None
    grouped: list[tuple[float, str]] = []  # consecutive runs of one size read as one line ("Ames" "Procedural" ...)
    for size, text in runs:
        if grouped and grouped[-1][0] == size:
            grouped[-1] = (size, f"{grouped[-1][1]} {text}")
        else:
            grouped.append((size, text))
    candidates = [(size, text) for size, text in grouped if _title_line(text)]
    if not candidates:
        return None
    body = sorted(size for size, _ in runs)[len(runs) // 2]
    biggest = max(size for size, _ in candidates)
    if biggest < 1.2 * body:  # nothing is printed larger than the text: no title on this page
        return None
    return " ".join(text for size, text in candidates if size >= biggest - 0.5)[:160]


def pdf_title(reader: Any, pages: tuple[Page, ...], stem: str) -> str:
    """First-page title, else a metadata title that is not junk ("Microsoft Word - x.doc", "*.tmp"), else a line."""
    if title := first_page_title(reader.pages[(pages[0].number or 1) - 1]):
        return title
    meta = ((reader.metadata.title if reader.metadata else None) or "").strip()
    if usable_title(meta):
        return meta[:160]
    lines = (ln.strip() for page in pages[:1] for ln in page.text.splitlines())
    return next((ln for ln in lines if _title_line(ln)), stem)[:160]


def load_pdf(path: Path, password: str | None, kind_of: Any) -> LoadedDocument:
    """PDF with page numbers kept; pages without a text layer (or only a running stamp) are counted, not indexed."""
    reader = open_pdf(path, password)
    raw, warnings = _page_texts(reader)
    texts = [mend_spacing(t) if runs_words_together(t) else t for t in strip_running_lines(raw)]
    mended = sum(1 for t in raw if runs_words_together(t))
    if mended:
        warnings.append(f"{mended} page(s) had words run together in their text layer; spaces were restored")
    image_only = sum(1 for t in texts if not t.strip())
    if image_only == len(texts):
        raise DocumentError(
            f"{path.name}: none of its {len(texts)} pages has a text layer beyond running stamps (scanned?); "
            "run OCR on it first"
        )
    if image_only:
        warnings.append(f"{image_only} page(s) have no text layer and were not indexed")
    pages = tuple(Page(n, t) for n, t in enumerate(texts, start=1) if t.strip())
    declared = re.search(r"kind:\s*(\w+)", (reader.metadata.subject if reader.metadata else None) or "")
    kind = kind_of(path, declared.group(1) if declared else None)
    title = pdf_title(reader, pages, path.stem)
    return LoadedDocument(path.name, title, kind, False, pages, image_only, tuple(warnings))
