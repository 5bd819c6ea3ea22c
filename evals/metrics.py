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
