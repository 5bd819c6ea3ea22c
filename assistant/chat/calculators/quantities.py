"""Quantities in question text: numbers with their units read from a question, and numbers written in an answer."""

from __future__ import annotations

import re

N = r"(\d+(?:[.,]\d+)?)"
WORDS = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4}
COUNT = r"(\d+|a|an|one|single|two|three|four)"
UNIT_TIME = r"(h|hours?|hrs?|min|minutes?)"


def number(text: str) -> float:
    """'1.5', '1,5' (decimal comma), '1,200' (thousands) or a small number word."""
    text = text.lower()
    if text in WORDS:
        return float(WORDS[text])
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def first(text: str, patterns: tuple[str, ...]) -> re.Match[str] | None:
    """The first match of the first pattern that matches (case-insensitive)."""
    for pattern in patterns:
        if match := re.search(pattern, text, re.I):
            return match
    return None


def minutes(value: float, unit: str | None) -> float:
    """A time in minutes from a value in hours or minutes."""
    return value * 60 if unit and unit.lower().startswith("h") else value


def fmt(value: float, digits: int = 3) -> str:
    """A number as an engineer writes it: no trailing zeros, a minus sign for negatives."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text.replace("-", "−")


def signed(value: float) -> str:
    """A deviation with its sign: +25, 0, −9."""
    return fmt(value) if value <= 0 else f"+{fmt(value)}"


def term(value: float) -> str:
    """A value inside a formula: negative ones in parentheses."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


_DEMAND = (
    rf"demand(?:\s*(?:is|of|=|:|per\s+day|a\s+day))*\s*{N}",
    rf"{N}\s*(?:pcs|pieces|parts|units|items)?\s*(?:a|per|/|each)\s*day\b",
    rf"{N}\s*(?:pcs|pieces|parts|units|items)?\s+daily\b",
    rf"\bD\s*=\s*{N}",
)


def daily_demand(question: str) -> float | None:
    """Demand in pieces per day: 'demand 600', '600 a day', '600 pcs/day', '600 daily'."""
    match = first(question, _DEMAND)
    return number(match.group(1)) if match else None


def blank(text: str, match: re.Match[str] | None) -> str:
    """The text with a match removed, so that '30 min per shift' of the breaks is not read as the shift."""
    return text if match is None else text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
