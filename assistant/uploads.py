"""Documents uploaded through the UI: the limits a file must keep (type, size, pages) and where it is kept.

Files are kept under PREPRO_HOME/uploads by their own name, which is the document's name in the index: an upload
with the name of an indexed document replaces it (re-indexed when its content or metadata changed).
"""

from __future__ import annotations

import io
from pathlib import Path

from assistant.errors import InputError

MAX_MB = 50  # a standard with drawings runs to a few MB; past this it is a scan that needs OCR first
MAX_PAGES = 2000
UPLOAD_LIMITS = f"up to {MAX_MB} MB and {MAX_PAGES} pages a file"
SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt", ".yaml", ".yml")


def pdf_pages(data: bytes) -> int | None:
    """The page count of a PDF (None when it cannot be told before decrypting: ingest reports that file)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, OSError):
        return None


def check_upload(name: str, data: bytes, replaces: str | None = None) -> str:
    """The name the file is kept under, when it is within the limits; else an input error saying which."""
    kept = Path(replaces or name).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{name}: documents are {', '.join(SUFFIXES)} files, not '{suffix or 'no extension'}'")
    if replaces and Path(replaces).suffix.lower() != suffix:
        raise InputError(f"{name} cannot replace {replaces}: give a {Path(replaces).suffix} file")
    size_mb = len(data) / 1e6
    if size_mb > MAX_MB:
        raise InputError(f"{name} is {size_mb:.1f} MB; the limit is {MAX_MB} MB (split it or compress its images)")
    if not data.strip():
        raise InputError(f"{name} is empty")
    pages = pdf_pages(data) if suffix == ".pdf" else None
    if pages is not None and pages > MAX_PAGES:
        raise InputError(f"{name} has {pages} pages; the limit is {MAX_PAGES} (split it into parts)")
    return kept


def keep_uploads(folder: Path, files: list[tuple[str, bytes]], replaces: str | None = None) -> list[Path]:
    """Check every file first, then write them all under `folder` (none is written when one is refused)."""
    names = [check_upload(name, data, replaces) for name, data in files]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kept, (_, data) in zip(names, files, strict=True):
        path = folder / kept
        path.write_bytes(data)
        paths.append(path)
    return paths
