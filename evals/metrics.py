"""Metric helpers shared by the benchmark scripts and the eval runner."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from assistant.retrieval.models import Passage


def matches_clause(passage: Passage, clause: str) -> bool:
    """True when the passage holds the clause or one of its sub-clauses (or is the table the clause introduces)."""
    held = set(passage.clauses) | ({passage.section} if passage.section else set())
    return clause in held or any(c.startswith(clause + ".") for c in held)


def faithfulness(answer: str, passages: dict[int, str]) -> float:
    """Share of answer lines that occur verbatim in a passage cited on that line (or the next cited line)."""
    lines = [line for line in answer.splitlines() if line.strip()]
    if not lines:
        return 1.0
    good = 0
    for i, line in enumerate(lines):
        markers = [int(n) for later in lines[i:] for n in re.findall(r"\[(\d+)\]", later)]
        own = [int(n) for n in re.findall(r"\[(\d+)\]", line)] or markers[:1]
        text = re.sub(r"\s*\[\d+\]", "", line).strip()
        good += any(text in passages.get(n, "") for n in own)
    return good / len(lines)


_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]|\.{2,}|\u2026")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_MICRO = re.compile(r"[\u00b5\u03bc]m\b")
_TIGHT = re.compile(r"(?<=\d)\s*([-/\u00d7x])\s*(?=\d)")
_GRADE = re.compile(r"\bit\s+(?=\d)")


def normalize_fact_text(text: str) -> str:
    """Lower-case text with dashes, decimal commas, micrometres, spaces and `IT 7` / `9 - 11` spellings unified."""
    text = _DASHES.sub("-", text.lower())
    text = _DECIMAL_COMMA.sub(".", text)
    text = _MICRO.sub("um", text)
    text = " ".join(text.split())
    text = _TIGHT.sub(r"\1", text)
    return _GRADE.sub("it", text)


def _contains(haystack: str, needle: str) -> bool:
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


_HEADER_UNIT = re.compile(r",\s*(mm|µm|um|min|s|kg|%|m/min|mm/rev|rev/min|kW)\s*$")


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
    """The required facts (each a list of accepted spellings) that no spelling of is contained in the answer
    (table cells count with the unit their column header gives)."""
    text = normalize_fact_text("\n".join([answer, *table_values_with_units(answer)]))
    return [
        list(spellings) for spellings in facts if not any(_contains(text, normalize_fact_text(s)) for s in spellings)
    ]


def states_facts(answer: str, facts: Sequence[Sequence[str]]) -> bool:
    """True when every required fact has at least one accepted spelling in the (normalised) answer."""
    return not facts_missing(answer, facts)


def kind_precision_recall(predicted: Sequence[str], reference: Sequence[str]) -> tuple[float, float]:
    """Multiset precision and recall of operation kinds."""
    pred, ref = Counter(predicted), Counter(reference)
    common = sum((pred & ref).values())
    return (common / sum(pred.values()) if pred else 0.0, common / sum(ref.values()) if ref else 0.0)


def sequence_agreement(predicted: Sequence[str], reference: Sequence[str]) -> float:
    """Longest common subsequence of the two operation sequences over the longer one."""
    rows, cols = len(predicted), len(reference)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows):
        for j in range(cols):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if predicted[i] == reference[j] else max(table[i][j + 1], table[i + 1][j])
            )
    return table[rows][cols] / max(rows, cols, 1)
