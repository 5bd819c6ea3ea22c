"""Read PDF, DOCX, Markdown, text and YAML catalogue files into pages of text."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

from assistant.errors import DocumentError, InputError
from assistant.retrieval import pdf
from assistant.retrieval.document import Block, LoadedDocument, Page

DOC_KINDS = ("standard", "process", "catalogue", "guide")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(f"{path.name}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict):  # tolerate unquoted colons in values: `title: Fits: IT grades`
        pairs = (line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
        meta = {key.strip(): value.strip().strip("'\"") for key, value in pairs}
    return meta, text[match.end() :]


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _infer_kind(path: Path, declared: object) -> str:
    if isinstance(declared, str) and declared in DOC_KINDS:
        return declared
    parts = {p.lower() for p in path.parts}
    if parts & {"catalog", "catalogue", "catalogs"} or path.suffix in {".yaml", ".yml"}:
        return "catalogue"
    if parts & {"process", "processes"}:
        return "process"
    if parts & {"guide", "guides"}:
        return "guide"
    return "standard"


def load_markdown(path: Path, password: str | None = None) -> LoadedDocument:
    """Markdown with optional YAML front matter (title, kind)."""
    meta, body = _split_front_matter(path, _read_text(path))
    if not body.strip():
        raise DocumentError(f"{path.name}: no text after the front matter")
    title = str(meta.get("title") or _first_heading(body) or path.stem)
    return LoadedDocument(path.name, title, _infer_kind(path, meta.get("kind")), True, (Page(None, body),))


def load_text(path: Path, password: str | None = None) -> LoadedDocument:
    """Plain text: the first non-empty line is the title."""
    text = _read_text(path)
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return LoadedDocument(path.name, title[:120], _infer_kind(path, None), False, (Page(None, text),))


def load_pdf(path: Path, password: str | None = None) -> LoadedDocument:
    """PDF with page numbers kept (assistant.retrieval.pdf)."""
    return pdf.load_pdf(path, password, _infer_kind)


def _docx_table(table) -> list[str]:  # noqa: ANN001 - python-docx table
    rows = [" | ".join(cell.text.strip().replace("\n", " ") for cell in row.cells) for row in table.rows]
    if not rows:
        return []
    width = rows[0].count("|") + 1
    return [f"| {rows[0]} |", "|" + "---|" * width] + [f"| {row} |" for row in rows[1:]]


def _heading_level(style: str) -> int | None:
    """Markdown heading level of a DOCX paragraph style: Title is 1, Heading N is N + 1."""
    if style == "Title":
        return 1
    if style.startswith("Heading"):
        suffix = style.split()[-1]
        return min(int(suffix) + 1, 6) if suffix.isdigit() else 2
    return None


def load_docx(path: Path, password: str | None = None) -> LoadedDocument:
    """DOCX: headings become Markdown headings, tables become pipe tables."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    if path.stat().st_size == 0:
        raise DocumentError(f"{path.name}: the file is empty")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"{path.name}: not a readable DOCX file ({exc})") from exc
    lines: list[str] = []
    tables = iter(document.tables)
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            lines += ["", *_docx_table(next(tables)), ""]
        elif tag == "p":
            paragraph = Paragraph(element, document)
            text, style = paragraph.text.strip(), (paragraph.style.name if paragraph.style else "")
            if not text:
                lines.append("")
            elif (level := _heading_level(style)) is not None:
                lines += ["", "#" * level + " " + text, ""]
            else:
                lines += [text, ""]
    body = "\n".join(lines)
    if not body.strip():
        raise DocumentError(f"{path.name}: the document has no text")
    core_title = (document.core_properties.title or "").strip()
    title = core_title or _first_heading(body) or path.stem
    return LoadedDocument(path.name, title, _infer_kind(path, None), True, (Page(None, body),))


_ENTRY_KEYS = ("model", "grade", "name", "id")


def _entry_name(key: object, value: object) -> str:
    if isinstance(value, dict):
        for name in _ENTRY_KEYS:
            if name in value and not isinstance(value[name], (dict, list)):
                return str(value[name])
    return str(key)


def _render_value(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_render_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_render_value(v) for v in value)
    return str(value)


def _catalogue_blocks(data: object) -> list[Block]:
    """A heading and a clause, named after the entry, for every entry of the catalogue's lists and mappings."""
    if not isinstance(data, dict):
        return [Block("clause", _render_value(data), None)]
    blocks: list[Block] = []
    for group, value in data.items():
        if isinstance(value, dict):
            entries = list(value.items())
        elif isinstance(value, list):
            entries = list(enumerate(value))
        else:
            entries = [(group, value)]
        for key, entry in entries:
            name = _entry_name(key, entry)
            blocks += [
                Block("heading", f"{group}: {name}", None, name, 1),
                Block("clause", f"{name} ({group}): {_render_value(entry)}", None, name, 1),
            ]
    return blocks


def load_yaml(path: Path, password: str | None = None) -> LoadedDocument:
    """A YAML catalogue: each entry becomes a section named after its model, grade or key."""
    text = _read_text(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DocumentError(f"{path.name}: invalid YAML ({exc})") from exc
    blocks = tuple(_catalogue_blocks(data))
    return LoadedDocument(
        path.name, f"Catalogue: {path.stem}", _infer_kind(path, None), True, (Page(None, text),), blocks=blocks
    )


LOADERS: dict[str, Callable[[Path, str | None], LoadedDocument]] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".yaml": load_yaml,
    ".yml": load_yaml,
}


def load_document(path: Path, password: str | None = None, kind: str | None = None) -> LoadedDocument:
    """Load any supported file; `kind` overrides the inferred document kind."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise InputError(
            f"{path.name}: unsupported file type '{path.suffix}' (supported: {', '.join(sorted(LOADERS))})"
        )
    if kind is not None and kind not in DOC_KINDS:
        raise InputError(f"unknown document kind '{kind}' (choose from: {', '.join(DOC_KINDS)})")
    loaded = loader(path, password)
    return replace(loaded, kind=kind) if kind else loaded
