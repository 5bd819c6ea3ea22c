"""The shapes a document takes between reading and chunking."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """Text of one page (number is None for formats without pages)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class Block:
    """One structural unit of a document: heading, clause, paragraph or table."""

    kind: str
    text: str
    page: int | None
    number: str | None = None
    level: int = 0


@dataclass(frozen=True)
class LoadedDocument:
    """A document read from disk: its pages, or its blocks when the format already has structure."""

    doc: str
    title: str
    kind: str
    markdown: bool
    pages: tuple[Page, ...]
    image_only_pages: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)
    blocks: tuple[Block, ...] = ()
