"""Find the structure of a standard in its text: headings, numbered clauses, paragraphs and tables."""

from __future__ import annotations

import re

from assistant.retrieval.document import Block, Page

_NUMBER = r"(?:[A-Z]|\d{1,2})(?:\.\d{1,3}){0,5}"
_CLAUSE = re.compile(rf"^\s*({_NUMBER})\.?\s+(?=[A-Za-zА-Яа-я(«\"])(.*)$")
# PDF/text: clauses start capitalised; a lone capital letter is an article or a label ("A Guide", "R"), not a clause
_PLAIN_NUMBER = r"(?:[A-Z](?:\.\d{1,3}){1,5}|\d{1,2}(?:\.\d{1,3}){0,5})"
_PLAIN_CLAUSE = re.compile(rf"^\s*({_PLAIN_NUMBER})\.?\s+(?=[A-ZА-Я(«\"])(.*)$")
_TOC_LINE = re.compile(r"(?:\.\s?){3,}\s*[\w-]*\s*$|\s\.{2,}\s*\S+\s*$")  # "3.1 SCOPE 3-1. . . ." or "Scope ..... 12"
_DOTTED_CLAUSE = re.compile(rf"^\s*({_NUMBER}\.\d{{1,3}}(?:\.\d{{1,3}})*)\.?\s+(\S.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NUMBERED_TITLE = re.compile(rf"^({_NUMBER})\.?\s+(.*)$")
_ANNEX = re.compile(r"^\s*(?:Annex|Appendix)\s+([A-Z])\b(.*)$", re.I)


def _parts(number: str) -> tuple[str, ...]:
    return tuple(number.split("."))


def _as_int(part: str) -> int:
    return ord(part) - ord("A") + 1000 if part.isalpha() else int(part)


class ClauseTracker:
    """Accepts a clause number only when it plausibly follows the previous one.

    Numbers inside tables, dates and measurements are rejected because they do not continue the
    document's numbering (a child .1, the next sibling, or the next number of an ancestor).
    """

    def __init__(self) -> None:
        self.history: list[tuple[str, ...]] = []

    @property
    def last(self) -> tuple[str, ...] | None:
        """The clause accepted last."""
        return self.history[-1] if self.history else None

    @staticmethod
    def follows(parts: tuple[str, ...], last: tuple[str, ...] | None) -> bool:
        """True when `parts` is a child .1, a next sibling, or the next number of an ancestor of `last`."""
        if last is None:
            return _as_int(parts[0]) <= 10 or parts[0].isalpha()
        if parts[0].isalpha() and parts[0] != last[0]:
            return len(parts) == 1 or parts[1:] == ("1",)
        if parts[: len(last)] == last and parts[len(last) :] in {("1",), ("0",)}:
            return True
        for depth in range(min(len(parts), len(last)), 0, -1):
            if parts[: depth - 1] == last[: depth - 1]:
                step = _as_int(parts[depth - 1]) - _as_int(last[depth - 1])
                return 1 <= step <= 3 and all(p == "1" for p in parts[depth:])
        return False

    def plausible(self, number: str) -> bool:
        """True when `number` can follow the last accepted clause."""
        return self.follows(_parts(number), self.last)

    def recover(self, number: str, reach: int = 5) -> int:
        """How many recent acceptances were false (0 if none): `number` continues an earlier clause instead."""
        parts = _parts(number)
        if len(parts) < 2:
            return 0
        for back in range(1, min(reach, len(self.history) - 1) + 1):
            if self.follows(parts, self.history[-back - 1]):
                return back
        return 0

    def accept(self, number: str) -> None:
        """Record `number` as the current clause."""
        self.history = [*self.history[-9:], _parts(number)]

    def drop(self, count: int) -> list[str]:
        """Forget the last `count` acceptances; returns their numbers."""
        dropped, self.history = self.history[-count:], self.history[:-count]
        return [".".join(p) for p in dropped]


def _is_table_line(line: str) -> bool:
    return line.lstrip().startswith("|")


def _looks_like_heading(text: str) -> bool:
    return len(text) <= 80 and len(text.split()) <= 10 and not text.rstrip().endswith((".", ":", ";", ",", "-"))


class _Builder:
    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.tracker = ClauseTracker()
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.kind = "para"
        self.number: str | None = None
        self.page: int | None = None
        self.maybe_heading = False

    def flush(self) -> None:
        text = "\n".join(self.lines).strip() if self.kind == "table" else _join_wrapped(self.lines)
        kind = "heading" if self.kind == "clause" and self.maybe_heading else self.kind
        if text:
            self.blocks.append(Block(kind, text, self.page, self.number, _depth(self.number)))
        self.lines, self.kind, self.number, self.maybe_heading = [], "para", None, False

    def start(self, kind: str, line: str, page: int | None, number: str | None) -> None:
        self.flush()
        self.kind, self.page, self.number, self.lines = kind, page, number, [line]

    def heading(self, text: str, page: int | None, level: int) -> None:
        self.flush()
        match = _NUMBERED_TITLE.match(text) or _ANNEX.match(text)
        number = match.group(1) if match else None
        if number:
            self.tracker.accept(number)
        self.blocks.append(Block("heading", text.strip(), page, number, level if not number else _depth(number)))

    def _is_clause(self, number: str) -> bool:
        """Multi-level numbers that open a Markdown paragraph are clauses; others must continue the numbering."""
        if self.markdown and not self.lines and "." in number:
            return True
        if self.tracker.plausible(number):
            return True
        back = self.tracker.recover(number)
        if back:
            self.flush()
            self._demote(self.tracker.drop(back))
        return bool(back)

    def _demote(self, numbers: list[str]) -> None:
        """Turn blocks wrongly taken for clauses (table cells, list items) back into plain paragraphs."""
        wrong = set(numbers)
        for i in range(len(self.blocks) - 1, max(-1, len(self.blocks) - 3 * len(numbers) - 3), -1):
            block = self.blocks[i]
            if block.number in wrong:
                self.blocks[i] = Block("para", block.text, block.page)
                wrong.discard(block.number)

    def line(self, line: str, page: int | None) -> None:
        stripped = line.strip()
        if not stripped:
            if self.kind != "table":
                self.flush()
            return
        if self.markdown and (m := _MD_HEADING.match(stripped)):
            self.heading(m.group(2), page, len(m.group(1)))
            return
        if _is_table_line(stripped):
            if self.kind != "table":
                self.start("table", stripped, page, None)
            else:
                self.lines.append(stripped)
            return
        if self.kind == "table":
            self.flush()
        if not self.markdown and _TOC_LINE.search(stripped):  # a contents line names a clause, it is not one
            self.text_line(stripped, page)
            return
        if not self.markdown and (m := _ANNEX.match(stripped)) and _looks_like_heading(stripped):
            self.heading(stripped, page, 1)
            return
        m = (
            (_CLAUSE.match(stripped) or _DOTTED_CLAUSE.match(stripped))
            if self.markdown
            else _PLAIN_CLAUSE.match(stripped)
        )
        if m and self._is_clause(m.group(1)):
            self.tracker.accept(m.group(1))
            self.start("clause", stripped, page, m.group(1))
            # in plain text a short numbered line is a heading unless the next line continues it
            self.maybe_heading = not self.markdown and _looks_like_heading(m.group(2))
            return
        self.text_line(stripped, page)

    def text_line(self, stripped: str, page: int | None) -> None:
        """A line of running text: it continues the current block."""
        if not self.lines:
            self.page = page
        self.lines.append(stripped)
        self.maybe_heading = False


def _depth(number: str | None) -> int:
    return len(_parts(number)) if number else 0


def _join_wrapped(lines: list[str]) -> str:
    """Join lines of one paragraph, mending words hyphenated at line ends; list items keep their line."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        elif line.startswith(("- ", "* ", "• ")) or re.match(r"^[a-z]\)\s", line):
            text += "\n" + line
        else:
            text += " " + line
    return text.strip()


def parse_blocks(pages: tuple[Page, ...], markdown: bool) -> list[Block]:
    """Split a document's pages into headings, numbered clauses, paragraphs and tables, in order."""
    builder = _Builder(markdown)
    for page in pages:
        for line in page.text.splitlines():
            builder.line(line, page.number)
        if page.number is not None or builder.kind == "table":
            builder.flush()  # a block never crosses a page, so every passage cites the page that holds it
    builder.flush()
    return builder.blocks
