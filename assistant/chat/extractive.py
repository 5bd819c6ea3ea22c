"""Offline answers: the sentences (or table rows) of the best passages that answer the question, verbatim."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.retrieval.keyword import tokenize

Embed = Callable[[list[str]], list[list[float]]]

_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(])|\n+")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:\.\.|…|–|-|to)\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Unit:
    """A quotable piece of passage n: a sentence, or a table row under its header."""

    n: int
    text: str
    header: str | None = None

    @property
    def scored_text(self) -> str:
        """What is matched against the question: the row with its header."""
        return f"{self.header}\n{self.text}" if self.header else self.text


@dataclass(frozen=True)
class Extract:
    """A unit chosen for the answer, with its score."""

    unit: Unit
    score: float


def units(n: int, text: str) -> list[Unit]:
    """Sentences of prose and rows of tables (a row remembers its table's header)."""
    lines = text.splitlines()
    result: list[Unit] = []
    header: str | None = None
    for i, line in enumerate(lines):
        if line.startswith("|"):
            if _TABLE_RULE.match(line):
                continue
            if i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
                header = line
                continue
            result.append(Unit(n, line, header))
        else:
            header = None
            result += [Unit(n, s.strip()) for s in _SPLIT.split(line) if len(s.strip()) > 2]
    return result


def _in_range(numbers: list[float], text: str) -> bool:
    """True when a number of the question falls in an `over a to b` range of the text (a < x <= b)."""
    return any(float(a) < x <= float(b) for a, b in _RANGE.findall(text) for x in numbers)


def _lexical(terms: set[str], weights: dict[str, float], words: set[str]) -> float:
    total = sum(weights.get(t, 1.0) for t in terms)
    return sum(weights.get(t, 1.0) for t in terms & words) / total if total else 0.0


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def extract(question: str, passages: list[str], limit: int = 3, embed: Embed | None = None) -> list[Extract]:
    """The best `limit` units (passage n = index + 1) in passage order.

    A unit scores by the question terms it shares (rarer terms weigh more), by a question number falling in
    a size range of its row, by its meaning when an embedding function is given, and by its passage's rank.
    """
    terms = set(tokenize([question])[0])
    numbers = [float(x) for x in _NUMBER.findall(question)]
    candidates = [u for n, text in enumerate(passages, start=1) for u in units(n, text)]
    if not candidates or not terms:
        return []
    words = [set(tokenize([u.scored_text])[0]) for u in candidates]
    weights = {t: math.log(1 + len(candidates) / (1 + sum(t in w for w in words))) for t in terms}
    vectors = embed([question] + [u.scored_text for u in candidates]) if embed else None
    scored = []
    for i, unit in enumerate(candidates):
        lexical = _lexical(terms, weights, words[i])
        if lexical == 0:
            continue
        meaning = _cosine(vectors[0], vectors[i + 1]) if vectors else 0.0
        bonus = 0.5 if numbers and unit.header and _in_range(numbers, unit.text) else 0.0
        score = (lexical + meaning + bonus) / (1 + 0.1 * (unit.n - 1))
        scored.append(Extract(unit, score))
    best = sorted(scored, key=lambda e: -e.score)[:limit]
    position = {id(u): i for i, u in enumerate(candidates)}
    return sorted(best, key=lambda e: position[id(e.unit)])


def compose(extracts: list[Extract]) -> str:
    """One line per quoted unit with its passage marker; a table header is printed once before its rows."""
    lines: list[str] = []
    header: str | None = None
    for e in extracts:
        if e.unit.header and e.unit.header != header:
            lines.append(e.unit.header)
        header = e.unit.header
        lines.append(f"{e.unit.text} [{e.unit.n}]")
    return "\n".join(lines)
