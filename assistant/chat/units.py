"""Quotable units of a passage: sentences, table rows under their header, lists and formula blocks.

Every line of a unit is verbatim text of its passage, so an answer built from units can be checked line by line
against the passages it cites. Tables are Markdown pipe tables, or column-aligned lines of PDF text (cells apart
by a tab or two spaces); a table that PDF extraction ran into one line is cut into windows that start at the
question's terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.retrieval.keyword import tokenize

SENTENCE, ROW, LIST, FORMULA = "sentence", "row", "list", "formula"

_PIPE_RULE = re.compile(r"^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?$")
_GAP = re.compile(r"\t+|\s{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\d])")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|cf|approx|No|Fig|vs|incl|resp)|\b\w{1,4}\.\w{1,4})\.$", re.I)
CLAUSE = re.compile(r"^((?:\d+|[A-Z])(?:\.\d+)+)\s")
_LIST_ITEM = re.compile(r"^(?:[-*•–]|\(?[a-z0-9]{1,2}\)|\d{1,2}\.)\s+\S")
_TABLE_INTRO = re.compile(
    r"\bTables?\s+[A-Z]?\d+\w*\s+(?:gives?|lists?|shows?|summari[sz]es?|compares?|relates?|explains?|states?|"
    r"contains?|presents?|sets? out)\b|\b(?:given|listed|shown|summari[sz]ed) in Table\s+\d+",
    re.I,
)
_STANDARD = re.compile(r"\b(?:ISO|GOST|DIN|EN|ASTM|ANSI|JIS|RD|OST|STP)(?:\s+R)?[\s-]+[\d.\-:]+", re.I)
_ASSIGNMENT = re.compile(r"(?<![\w=<>≤≥])([A-Za-zΣΔα-ω][\w\-.]*)\s*=\s*([^=;]+)")
_RIGHT_SIDE_END = re.compile(r",\s|;|\s(?:where|with|for|in|and|gives?|takes?|is|are|so|which|then|at)\s")
_OPERATOR = re.compile(r"[·×*/+−√^(]|\bceil\b|\bround\b|\bsqrt\b|-\s")
_VARIABLE = re.compile(r"(?<![\w.])([A-Za-zΣΔα-ω][\w\-]*)")
_UNITS = frozenset({"m", "mm", "min", "rev", "kg", "mpa", "kn", "µm", "um", "hb", "hrc", "hv", "kw", "rpm", "pcs", "π"})
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "over"}
    | {"the", "to", "up", "with", "what", "which", "how", "does", "do", "its", "that", "this", "than", "per"}
)


@dataclass(frozen=True)
class Unit:
    """A quotable piece of passage n: its verbatim lines, its kind and, for a table row, its table's header."""

    n: int
    text: str
    header: str | None = None
    kind: str = SENTENCE
    keys: tuple[str, ...] = ()
    lines: tuple[str, ...] = field(default=(), compare=False)
    caption: str = field(default="", compare=False)

    @property
    def scored_text(self) -> str:
        """What is matched against the question: a row as `header: value` pairs after its table's caption (the
        sentence that introduces the table), a whole table with its header, any other unit as it reads."""
        if self.kind == ROW and self.header:
            names = cells(self.header.splitlines()[0])
            pairs = "; ".join(f"{h}: {v}" for h, v in zip(names, cells(self.text), strict=False))
            return f"{self.caption}\n{pairs}".strip()
        if self.header:
            return f"{self.caption}\n{self.header.splitlines()[0]}\n{self.text}".strip()
        return self.text

    @property
    def quoted(self) -> tuple[str, ...]:
        """The lines the unit prints (its table header is printed apart, once per table)."""
        return self.lines or (self.text,)


def cells(line: str) -> list[str]:
    """The cells of a pipe-table row or of a column-aligned row."""
    if line.strip().startswith("|"):
        return [c.strip() for c in line.strip().strip("|").split("|")]
    return [c.strip() for c in _GAP.split(line.strip()) if c.strip()]


def sentences(line: str) -> list[str]:
    """The sentences of one line of prose; a clause number stays with its sentence, `Tp.z.` and `e.g.` do not end one."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(line.strip()):
        if parts and (_ABBREVIATION.search(parts[-1]) or CLAUSE.fullmatch(parts[-1] + " ")):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return [p for p in parts if len(p) > 2]


def plain_words(text: str) -> set[str]:
    """Lower-case words, stop words left out and a plural `s` dropped (matched as written, not by their stems)."""
    words = re.findall(r"[a-zа-я0-9]+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in STOPWORDS}


def table_intro(sentence: str) -> bool:
    """True for a sentence that only introduces a table ("Table 8 gives the economical accuracy ...")."""
    if not _TABLE_INTRO.search(sentence):
        return False
    rest = _STANDARD.sub("", re.sub(r"Tables?\s+[A-Z]?\d+\w*|^[\d.A-Z]+\s", "", sentence))
    return not any(ch.isdigit() for ch in rest)


def units(n: int, text: str) -> list[Unit]:
    """Sentences, table rows, lists and formula blocks of passage n, in reading order (lists and formulas last)."""
    lines = [line for line in text.splitlines() if line.strip()]
    result: list[Unit] = []
    prose: list[Unit] = []
    for kind, block in _blocks(lines):
        if kind in ("pipe", "aligned"):
            caption = prose[-1].text if prose and result[-1] is prose[-1] and table_intro(prose[-1].text) else ""
            rows = table_rows(n, block, kind == "pipe", caption)
            result += rows
            if len(rows) >= 2:
                result.append(_joined(n, block, LIST, rows[0].header, caption))
        elif kind == "list":
            lead = [prose[-1].text] if prose and result[-1] is prose[-1] and prose[-1].text.endswith(":") else []
            items = [Unit(n, line.strip()) for line in block]
            result += [*items, _joined(n, lead + [u.text for u in items], LIST)]
        else:
            found = [Unit(n, s) for s in sentences(block[0])]
            prose += found
            result += found
    return result + sibling_lists(n, lines) + formula_blocks(n, prose)


def _aligned(line: str) -> bool:
    return len(cells(line)) >= 2 and bool(_GAP.search(line.strip()))


def _piped(line: str) -> bool:
    return line.lstrip().startswith("|")


def _blocks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Runs of lines: ('pipe', table), ('aligned', three or more column-aligned lines), ('list', items), ('prose', [line])."""
    i = 0
    while i < len(lines):
        for kind, test, least in (("pipe", _piped, 1), ("aligned", _aligned, 3), ("list", _LIST_ITEM.match, 1)):
            j = i
            while j < len(lines) and test(lines[j].strip() if kind == "list" else lines[j]):
                j += 1
            if j - i >= least:
                yield kind, lines[i:j]
                i = j
                break
        else:
            yield "prose", [lines[i]]
            i += 1


def table_rows(n: int, block: list[str], pipe: bool, caption: str = "") -> list[Unit]:
    """The rows of a table, each with the table's header (a pipe header with its rule line) and key cells."""
    header: str | None = None
    rows: list[Unit] = []
    for i, line in enumerate(block):
        if pipe and _PIPE_RULE.match(line.strip()):
            continue
        below = block[i + 1].strip() if i + 1 < len(block) else ""
        if (pipe and _PIPE_RULE.match(below)) or (not pipe and i == 0):
            header = f"{line}\n{below}" if pipe else line
            continue
        rows.append(Unit(n, line, header, ROW, row_keys(line, header), caption=caption))
    return rows


def row_keys(row: str, header: str | None) -> tuple[str, ...]:
    """The key cells of a row: the first, and any under a repeat of the first column's header (two-up tables)."""
    values = cells(row)
    names = cells(header.splitlines()[0]) if header else []
    keys = tuple(v for v, name in zip(values, names, strict=False) if names and name == names[0])
    return keys or tuple(values[:1])


def _joined(n: int, lines: list[str], kind: str, header: str | None = None, caption: str = "") -> Unit:
    """One unit of several lines (a table's header lines are kept apart, in `header`)."""
    skip = set(header.splitlines()) if header else set()
    body = [line for line in lines if line not in skip and not (header and _PIPE_RULE.match(line.strip()))]
    return Unit(n, "\n".join(body), header, kind, lines=tuple(body), caption=caption)


def sibling_lists(n: int, lines: list[str], alike: bool = True) -> list[Unit]:
    """The opening sentences of three or more clauses of one parent (3.1, 3.2, 3.3 ...) as one list: those that
    open alike ("A production kanban ...", "A withdrawal kanban ..."), or all of them when `alike` is False."""
    firsts: dict[str, list[str]] = {}
    for line in lines:
        if (m := CLAUSE.match(line.strip())) and (first := sentences(line)):
            firsts.setdefault(m.group(1).rsplit(".", 1)[0], []).append(first[0])
    return [
        _joined(n, items, LIST)
        for items in firsts.values()
        if len(items) >= 3 and (not alike or set.intersection(*(plain_words(" ".join(s.split()[1:5])) for s in items)))
    ]


def flat_windows(unit: Unit, terms: frozenset[str], size: int = 20) -> list[Unit]:
    """Stretches of `size` words that start at a question term, cut from a long unpunctuated line: a table that
    PDF extraction ran into one line ("Method Indenter and force ... Rockwell HRC diamond cone 120°, ...")."""
    spans = [m.span() for m in re.finditer(r"\S+", unit.text)]
    if unit.kind != SENTENCE or len(spans) < 30 or unit.text.rstrip().endswith((".", "!", "?")):
        return []
    if len(re.findall(r"\w: ", unit.text)) >= 3:  # a catalogue entry ("grade: D16T; aliases: ..."), not a table
        return []
    starts = [i for i, (a, b) in enumerate(spans) if set(tokenize([unit.text[a:b]])[0]) & terms][:8]
    texts = dict.fromkeys(unit.text[spans[i][0] : spans[min(i + size, len(spans)) - 1][1]] for i in starts)
    return [Unit(unit.n, text) for text in texts]


def continuation(unit: Unit, passages: list[str]) -> Unit | None:
    """The opening of another passage that completes a sentence cut off at the end of the unit's passage."""
    own = passages[unit.n - 1].rstrip()
    if unit.kind != SENTENCE or not own.endswith(unit.text) or unit.text.endswith((".", "!", "?", ":", ";", ")")):
        return None
    for m, text in enumerate(passages, start=1):
        first = text.lstrip().split("\n", 1)[0]
        if m != unit.n and first[:1].islower() and (head := sentences(first)):
            return Unit(m, head[0])
    return None


def formula_terms(sentence: str) -> tuple[str, set[str]] | None:
    """The symbol a sentence defines by a formula and the symbols of its right side; None for no formula.

    `Tpc = Top · (1 + a / 100)` is a formula; `t1 = 5.5 mm` and `To = (20 + 3) / 0.2 = 0.16 min` (numbers only) are not.
    """
    for m in _ASSIGNMENT.finditer(sentence):
        right = _RIGHT_SIDE_END.split(m.group(2))[0]
        symbols = {v for v in _VARIABLE.findall(right) if v.lower() not in _UNITS}
        if symbols and _OPERATOR.search(right) and len(right.split()) <= 25:
            return m.group(1), symbols
    return None


def formula_blocks(n: int, prose: list[Unit]) -> list[Unit]:
    """Each formula sentence with (at most two) sentences of the passage that define symbols of its right side."""
    blocks: list[Unit] = []
    for unit in prose:
        if not (terms := formula_terms(unit.text)):
            continue
        defining = [
            other.text
            for other in prose
            if other is not unit and (found := formula_terms(other.text)) and found[0] in terms[1]
        ][:2]
        lines = tuple(p.text for p in prose if p is unit or p.text in defining)
        blocks.append(Unit(n, "\n".join(lines), kind=FORMULA, lines=lines))
    return blocks
