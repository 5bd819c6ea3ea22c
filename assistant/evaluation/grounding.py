"""Answer metrics (pure): reference facts stated, statements and the passages they cite, faithfulness and
ALCE-style citation recall and precision, with a lexical support test unless an LLM judge gives one.

A statement is one non-empty line of the answer (a quoted sentence, a list item or a table row, the unit the
extractive answers quote), without its [n] markers; a line without markers cites what the next cited line cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.evaluation.metrics import Score, ratio

_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_CITED = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_AFTER_MARKER = re.compile(r"(?<=\])[.;]?\s+(?=[A-Z])")  # "... [1]. Next sentence [2]." is two statements
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]|\.{2,}|\u2026")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_MICRO = re.compile(r"[\u00b5\u03bc]m\b")
_TIGHT = re.compile(r"(?<=\d)\s*([-/\u00d7x])\s*(?=\d)")
_GRADE = re.compile(r"\bit\s+(?=\d)")
_HEADER_UNIT = re.compile(r",\s*(mm|µm|um|min|s|kg|%|m/min|mm/rev|rev/min|kW)\s*$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP = frozenset(
    "the a an of to in on for and or is are be by with as at from that this it its which than into per".split()  # noqa: SIM905
)
SUPPORT_WORDS = 0.8  # lexical support: share of a statement's content words the passage must hold

Support = Callable[[str, str], bool]
"""support(statement, passage text): whether the passage supports the statement."""


# ---- reference facts -------------------------------------------------------------------------------------------
def normalize_fact_text(text: str) -> str:
    """Lower-case text with dashes, decimal commas, micrometres, spaces and `IT 7` / `9 - 11` spellings unified."""
    text = _DASHES.sub("-", text.lower())
    text = _DECIMAL_COMMA.sub(".", text)
    text = _MICRO.sub("um", text)
    text = " ".join(text.split())
    text = _TIGHT.sub(r"\1", text)
    return _GRADE.sub("it", text)


def contains_whole(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` without cutting a number: `0.8` is not found in `0.85` nor `21` in `121`."""
    if not needle:
        return False
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        before = haystack[max(0, start - 2) : start]
        after = haystack[end : end + 2]
        cuts_before = needle[0].isdigit() and (before[-1:].isdigit() or (before[-1:] == "." and before[:1].isdigit()))
        cuts_after = needle[-1].isdigit() and (after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit()))
        if not (cuts_before or cuts_after):
            return True
        start = haystack.find(needle, start + 1)
    return False


def table_values_with_units(answer: str) -> list[str]:
    """Cells of the answer's Markdown tables as "value unit" where the column header ends with its unit
    ("Total allowance on diameter 2z, mm" over "4" reads "4 mm"), as a reader takes them."""
    values: list[str] = []
    header: list[str] = []
    for line in answer.splitlines():
        line = re.sub(r"\s*\[\d+\]\s*$", "", line.strip())
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not header:
            header = cells
        elif not set("".join(cells)) <= set("-: "):
            units = [m.group(1) if (m := _HEADER_UNIT.search(h)) else "" for h in header]
            values += [f"{cell} {unit}" for cell, unit in zip(cells, units, strict=False) if unit and cell]
    return values


def facts_missing(answer: str, facts: Sequence[Sequence[str]]) -> list[list[str]]:
    """The required facts (each a list of accepted spellings) no spelling of which the answer contains
    (table cells count with the unit their column header gives)."""
    text = normalize_fact_text("\n".join([answer, *table_values_with_units(answer)]))
    return [
        list(spellings)
        for spellings in facts
        if not any(contains_whole(text, normalize_fact_text(s)) for s in spellings)
    ]


def fact_rate(answer: str, facts: Sequence[Sequence[str]]) -> Score:
    """Reference facts the answer states over the facts required (not applicable when none is required)."""
    return ratio(len(facts) - len(facts_missing(answer, facts)), len(facts), "no reference facts")


# ---- statements and support ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One line of an answer and the passage numbers it cites."""

    text: str
    cites: tuple[int, ...]


def statements(answer: str) -> list[Statement]:
    """The answer's statements: its non-empty lines (table rules skipped; a line split after a marker that a new
    sentence follows), each with its markers' numbers."""
    lines = [part.strip() for line in answer.splitlines() for part in _AFTER_MARKER.split(line)]
    lines = [line for line in lines if line and not set(line) <= set("|-: ")]
    own = [tuple(int(n) for group in _MARKERS.findall(line) for n in group.split(",")) for line in lines]
    out = []
    for i, line in enumerate(lines):
        cites = own[i] or next((c[:1] for c in own[i + 1 :] if c), ())
        out.append(Statement(_CITED.sub("", line).strip(), cites))
    return out


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if w not in _STOP}


def lexical_support(statement: str, passage: str) -> bool:
    """The passage holds the statement verbatim (after normalisation), or holds every number of it and at least
    SUPPORT_WORDS of its content words. A lexical proxy for entailment: it cannot see a paraphrase."""
    said, source = normalize_fact_text(statement.strip("-*| ")), normalize_fact_text(passage)
    if not said or said in source:
        return True
    numbers = _NUMBER.findall(said)
    if not all(contains_whole(source, n) for n in numbers):
        return False
    words = _words(said)
    if not words:  # a row of figures: its numbers decide
        return bool(numbers)
    return len(words & _words(source)) / len(words) >= SUPPORT_WORDS


def faithfulness(answer_statements: Sequence[Statement], cited: Mapping[int, str], support: Support) -> Score:
    """Statements supported by the passages the answer cites, all of them together (its citation list, whether or
    not a marker points at them), over its statements."""
    pool = "\n".join(cited[n] for n in sorted(cited))
    held = sum(support(s.text, pool) for s in answer_statements)
    return ratio(held, len(answer_statements), "no statements (refused)")


def _supported(statement: Statement, numbers: Sequence[int], cited: Mapping[int, str], support: Support) -> bool:
    texts = [cited[n] for n in numbers if n in cited]
    return bool(texts) and support(statement.text, "\n".join(texts))


def citation_recall(answer_statements: Sequence[Statement], cited: Mapping[int, str], support: Support) -> Score:
    """ALCE citation recall: statements that their own citations, together, support, over all statements
    (a statement without a citation counts against it)."""
    held = sum(_supported(s, s.cites, cited, support) for s in answer_statements)
    return ratio(held, len(answer_statements), "no statements (refused)")


def citation_precision(answer_statements: Sequence[Statement], cited: Mapping[int, str], support: Support) -> Score:
    """ALCE citation precision: a citation is relevant when it supports its statement alone, or when its statement
    is supported by all its citations but not without it; relevant citations over all citations."""
    relevant = total = 0
    for s in answer_statements:
        full = _supported(s, s.cites, cited, support)
        for n in s.cites:
            total += 1
            alone = _supported(s, (n,), cited, support)
            needed = full and not _supported(s, tuple(m for m in s.cites if m != n), cited, support)
            relevant += alone or needed
    return ratio(relevant, total, "no citations")


def refused(answer: str, refusal: str) -> float:
    """1.0 when the answer is the refusal text."""
    return 1.0 if answer.strip() == refusal.strip() else 0.0
