"""Clause-aware, token-bounded chunks: headings start chunks, clauses are packed, tables split by rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from assistant.llm.tokens import count_tokens
from assistant.retrieval.document import Block

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\"«])")


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with the structure it came from."""

    ord: int
    text: str
    context: str
    section: str | None
    clauses: tuple[str, ...]
    heading: str
    page: int | None

    @property
    def index_text(self) -> str:
        """What is embedded and keyword-indexed: the heading context, then the passage."""
        return f"{self.context}\n{self.text}"


def _windows(parts: list[str], max_tokens: int, overlap: int, glue: str, header: list[str]) -> list[str]:
    """Pack parts into windows of at most max_tokens; consecutive windows share `overlap` tokens of parts."""
    sizes = [count_tokens(p) for p in parts]
    head_size = sum(count_tokens(h) for h in header)
    windows: list[str] = []
    start = 0
    while start < len(parts):
        end, used = start, head_size
        while end < len(parts) and (end == start or used + sizes[end] <= max_tokens):
            used += sizes[end]
            end += 1
        windows.append(glue.join(header + parts[start:end]))
        if end >= len(parts):
            break
        back, shared = end, 0
        while back - 1 > start and shared + sizes[back - 1] <= overlap:
            back -= 1
            shared += sizes[back]
        start = back
    return windows


def split_block(block: Block, max_tokens: int, overlap: int) -> list[str]:
    """A block as pieces of at most max_tokens: tables by whole rows (header repeated), text by sentences."""
    if count_tokens(block.text) <= max_tokens:
        return [block.text]
    if block.kind == "table":
        rows = block.text.splitlines()
        header = rows[:2] if len(rows) > 2 and set(rows[1].replace("|", "").strip()) <= set("-: ") else []
        return _windows(rows[len(header) :], max_tokens, 0, "\n", header)
    sentences = [s for s in _SENTENCE_END.split(block.text) if s.strip()]
    words = [w for s in sentences for w in (s.split() if count_tokens(s) > max_tokens else [s])]
    return _windows(words, max_tokens, overlap, " ", [])


def document_label(doc: str, title: str) -> str:
    """How a question names the document: the title, after the file name when that carries a document number.

    Running headers that carried the number ("MSFC-STD-2594C", "GOST 3.1118") are stripped from the pages, so
    the label puts it back into every chunk's context once, as a field BM25 and the embedding both see. A
    descriptive file name without a number ("cutting-data.md") adds nothing the title does not say.
    """
    name = re.sub(r"[_\s]+", " ", PurePath(doc).stem).strip()
    if not re.search(r"\d", name) or name.lower() in title.lower():
        return title
    return f"{name} · {title}"


class _Packer:
    def __init__(self, title: str, max_tokens: int) -> None:
        self.title, self.max_tokens = title, max_tokens
        self.chunks: list[Chunk] = []
        self.heading: str = ""
        self.heading_number: str | None = None
        self.last_clause: str | None = None
        self._reset()

    def _reset(self) -> None:
        self.texts: list[str] = []
        self.tokens = 0
        self.clauses: list[str] = []
        self.owner: str | None = None
        self.page: int | None = None

    def flush(self) -> None:
        if self.texts:
            section = self.clauses[0] if self.clauses else self.owner or self.heading_number
            context = f"{self.title} › {self.heading}" if self.heading else self.title
            self.chunks.append(
                Chunk(
                    len(self.chunks),
                    "\n".join(self.texts),
                    context,
                    section,
                    tuple(self.clauses),
                    self.heading,
                    self.page,
                )
            )
        self._reset()

    def add(self, piece: str, block: Block) -> None:
        size = count_tokens(piece)
        if self.texts and (self.tokens + size > self.max_tokens or block.page != self.page):
            self.flush()  # chunks never cross a page: the cited page holds the passage
        if not self.texts:
            self.page = block.page
            self.owner = block.number or self.last_clause
        self.texts.append(piece)
        self.tokens += size
        if block.number and block.number not in self.clauses:
            self.clauses.append(block.number)
            self.last_clause = block.number


def _within(number: str, heading_number: str) -> bool:
    """Whether clause `number` lies under the heading numbered `heading_number` (4.2.1 under 4.2, A.3 under A)."""
    return number == heading_number or number.startswith(heading_number + ".")


def chunk_blocks(blocks: list[Block], label: str, max_tokens: int = 200, overlap: int = 30) -> list[Chunk]:
    """Turn a document's blocks into chunks that never cross a heading or a page and never tear a table row.

    `label` names the document in every chunk's context (see `document_label`).
    """
    packer = _Packer(label, max_tokens)
    for block in blocks:
        if block.kind == "heading":
            packer.flush()
            packer.heading = block.text
            packer.heading_number = block.number or packer.heading_number
            packer.last_clause = None
            continue
        if block.number and packer.heading_number and not _within(block.number, packer.heading_number):
            packer.flush()  # a clause outside the heading's numbering: the heading no longer describes the text
            packer.heading, packer.heading_number = "", None
        for piece in split_block(block, max_tokens, overlap):
            packer.add(piece, block)
    packer.flush()
    return packer.chunks
