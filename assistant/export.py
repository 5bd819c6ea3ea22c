"""Drafts out: the format registry every stage's exporters share, and atomic file writes."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from assistant.errors import InputError

Exporter = Callable[[Any, Any], bytes]  # (draft, header) -> file content


def with_default_header(layouts: Mapping[str, Exporter], default: Callable[[Any], Any]) -> dict[str, Exporter]:
    """Each layout as an exporter that prints `default(draft)` (e.g. the part id alone) when no header is given."""

    def wrap(layout: Exporter) -> Exporter:
        return lambda draft, header: layout(draft, header or default(draft))

    return {fmt: wrap(layout) for fmt, layout in layouts.items()}


def render(exporters: Mapping[str, Exporter], draft: Any, fmt: str, header: Any = None) -> bytes:
    """The draft in one of its stage's formats; an unknown format lists the valid ones."""
    if fmt not in exporters:
        raise InputError(f"unknown format '{fmt}' (choose from: {', '.join(exporters)})")
    return exporters[fmt](draft, header)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write a file so that a reader never sees it half-written; its folder is created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
