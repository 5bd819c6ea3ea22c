"""Figures a generated answer states that no cited passage holds: the check that catches an invented value."""

from __future__ import annotations

import re
from collections.abc import Iterable

_MARKER = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_GRADE = re.compile(r"\bIT\s+(?=\d)", re.IGNORECASE)  # "IT 7" and "IT7" are one grade
_TOKEN = re.compile(r"[A-Za-z]*\d+(?:[.,]\d+)*[A-Za-z]*")
_SMALL = 10  # bare 1-10 are ordinals and counts ("2 sides", "step 3") far more often than technical values


def _figures(text: str) -> set[str]:
    """IT grades as "it7", other numbers as values with decimal commas read as points ("0,80" -> "0.8")."""
    found = set()
    for token in _TOKEN.findall(_GRADE.sub("IT", _MARKER.sub(" ", text))):
        grade = re.fullmatch(r"(?i)it(\d+)", token)
        if grade:
            found.add(f"IT{grade.group(1)}")
            continue
        value = re.sub(r"[A-Za-z]", "", token).replace(",", ".")
        found.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return found


def _worth_checking(figure: str) -> bool:
    return figure.startswith("IT") or "." in figure or int(figure) > _SMALL


def unsupported_figures(answer: str, cited: Iterable[str], question: str = "") -> list[str]:
    """Figures of the answer that occur in no cited passage nor in the question (bare small counts are not checked)."""
    known = _figures(question).union(*(_figures(text) for text in cited))
    return sorted(f for f in _figures(answer) - known if _worth_checking(f))
