"""Table rows keyed by a range ("38..44", "over 30 to 120") that hold a size the question gives ("a 40 mm shaft").

Neither BM25 nor the embedding sees that 40 lies in 38..44, so the passage whose row answers a sized question
ranks below passages that only share its words; `rows_holding` lets the search promote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NUMBER = r"\d+(?:[.,]\d+)?"
# A size as a question gives it: after Ø or "diameter", or before a unit of length, mass or count
_SIZED = re.compile(
    rf"(?:[Øø⌀]\s*|\bdiameter\s+(?:of\s+)?)({_NUMBER})|(?<![\w.])({_NUMBER})\s*(?:mm|m|kg|pcs|pieces|parts)\b",
    re.IGNORECASE,
)
_RANGE_CELL = re.compile(
    rf"^\s*(?:over\s+|from\s+|>\s*)?({_NUMBER})\s*(?:\.\.|to|[-–—]|…)\s*(?:incl\.?\s*)?({_NUMBER})\b", re.IGNORECASE
)


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def sizes_in(question: str) -> list[float]:
    """The sizes a question gives with their unit or diameter sign (not the numbers of M12, IT7 or ISO 2768)."""
    return [_value(a or b) for a, b in _SIZED.findall(question)]


def _row_ranges(text: str) -> list[tuple[float, float]]:
    """The (low, high) range of the first cell of every Markdown table row of a passage."""
    ranges = []
    for line in text.splitlines():
        cells = line.strip().strip("|").split("|")
        if line.lstrip().startswith("|") and (found := _RANGE_CELL.match(cells[0])):
            low, high = sorted((_value(found.group(1)), _value(found.group(2))))
            ranges.append((low, high))
    return ranges


def rows_holding(text: str, sizes: Sequence[float]) -> bool:
    """Whether a table row of the passage is keyed by a range that holds one of the sizes (ends included)."""
    return any(low <= size <= high for low, high in _row_ranges(text) for size in sizes)
