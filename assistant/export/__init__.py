"""Route cards out: JSON (the contract), Markdown for reading, DOCX and XLSX laid out like GOST 3.1118."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import InputError
from assistant.export.card import CardHeader
from assistant.export.docx_card import to_docx
from assistant.export.markdown import to_markdown
from assistant.export.xlsx_card import to_xlsx
from assistant.route_card import RoutingDraft


def to_json(draft: RoutingDraft, header: CardHeader) -> bytes:
    """The draft as contract JSON."""
    return draft.model_dump_json(indent=2).encode()


EXPORTERS: dict[str, Callable[[RoutingDraft, CardHeader], bytes]] = {
    "json": to_json,
    "md": to_markdown,
    "docx": to_docx,
    "xlsx": to_xlsx,
}
TEXT_FORMATS = frozenset({"json", "md"})


def export(draft: RoutingDraft, fmt: str, header: CardHeader | None = None) -> bytes:
    """The draft in one of the formats (json, md, docx, xlsx)."""
    if fmt not in EXPORTERS:
        raise InputError(f"unknown format '{fmt}' (choose from: {', '.join(EXPORTERS)})")
    return EXPORTERS[fmt](draft, header or CardHeader(part_id=draft.part_id))


def write(draft: RoutingDraft, fmt: str, path: Path, header: CardHeader | None = None) -> Path:
    """Write the export to a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export(draft, fmt, header))
    return path
