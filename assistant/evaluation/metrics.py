"""Score values and the ranking, set and sequence metrics of the suites (pure functions, no I/O).

A case's score is a number (aggregated as a mean), a `Ratio` (aggregated pooled: planted defects found over
planted, checklist items met over items) or `NotApplicable` with the reason, never NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class NotApplicable:
    """The metric does not apply to this case, and why (an out-of-domain question has no facts to state)."""

    reason: str


@dataclass(frozen=True)
class Ratio:
    """A count over a count (4 of 5 facts); its aggregate over cases is sum(num) / sum(den)."""

    num: float
    den: float

    @property
    def value(self) -> float:
        """num / den."""
        return self.num / self.den


Score = float | Ratio | NotApplicable


def ratio(num: float, den: float, reason: str) -> Ratio | NotApplicable:
    """Ratio(num, den), or not applicable for `reason` when there is nothing to count (den 0)."""
    return Ratio(num, den) if den > 0 else NotApplicable(reason)


def as_unit(score: Score) -> tuple[float, float] | None:
    """(num, den) of a score for pooling: a number x is (x, 1); not applicable is None."""
    if isinstance(score, NotApplicable):
        return None
    if isinstance(score, Ratio):
        return (score.num, score.den)
    return (float(score), 1.0)


def value_of(score: Score) -> float | None:
    """The case's own value (a ratio divided out), or None when not applicable."""
    unit = as_unit(score)
    return None if unit is None else unit[0] / unit[1]


# ---- ranking ---------------------------------------------------------------------------------------------------
def first_relevant(relevant: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant item, or None."""
    return next((rank for rank, hit in enumerate(relevant, start=1) if hit), None)


def recall_at_k(relevant: Sequence[bool], k: int, n_relevant: int = 1) -> float:
    """Relevant items in the top k over the relevant items there are (at most k of them can be found).

    With one relevant item (one clause answers the question) this is the hit rate: 1 when it is in the top k.
    """
    if n_relevant < 1 or k < 1:
        raise ValueError(f"recall@k needs n_relevant >= 1 and k >= 1 (got {n_relevant}, {k})")
    return sum(bool(r) for r in relevant[:k]) / min(n_relevant, k)


def reciprocal_rank(relevant: Sequence[bool], depth: int) -> float:
    """1 / rank of the first relevant item within `depth`, else 0 (its mean over questions is MRR@depth)."""
    rank = first_relevant(relevant[:depth])
    return 1.0 / rank if rank else 0.0


def ndcg_at_k(relevant: Sequence[bool], k: int, n_relevant: int = 1) -> float:
    """Binary-gain nDCG@k: sum over hits of 1 / log2(rank + 1), over the same sum for n_relevant hits ranked first."""
    if n_relevant < 1 or k < 1:
        raise ValueError(f"nDCG@k needs n_relevant >= 1 and k >= 1 (got {n_relevant}, {k})")
    dcg = sum(1 / math.log2(rank + 1) for rank, hit in enumerate(relevant[:k], start=1) if hit)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg / ideal


def distinct_hits(keys: Sequence[object | None]) -> list[bool]:
    """Relevance flags that count each relevant key once: the first passage of a clause, not its repeats.

    `keys[i]` is what relevant item the i-th passage holds (None: not relevant).
    """
    seen: set[object] = set()
    flags = []
    for key in keys:
        flags.append(key is not None and key not in seen)
        if key is not None:
            seen.add(key)
    return flags


# ---- sets and sequences ----------------------------------------------------------------------------------------
def multiset_precision_recall(predicted: Sequence[str], reference: Sequence[str]) -> tuple[Score, Score]:
    """Precision and recall of two multisets (operation kinds): common items over predicted, over reference;
    not applicable when that side is empty."""
    common = sum((Counter(predicted) & Counter(reference)).values())
    precision = common / len(predicted) if predicted else NotApplicable("nothing predicted")
    recall = common / len(reference) if reference else NotApplicable("empty reference")
    return precision, recall


def lcs_agreement(predicted: Sequence[str], reference: Sequence[str]) -> float:
    """Longest common subsequence of the two sequences over the longer one (1.0 for equal sequences)."""
    rows, cols = len(predicted), len(reference)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows):
        for j in range(cols):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if predicted[i] == reference[j] else max(table[i][j + 1], table[i + 1][j])
            )
    return table[rows][cols] / max(rows, cols, 1)


def flip_rate(values: Sequence[float]) -> float:
    """Share of repeats that disagree with the most frequent value (0 when every repeat agrees)."""
    if not values:
        raise ValueError("a flip rate needs at least one repeat")
    most = Counter(round(v, 9) for v in values).most_common(1)[0][1]
    return 1 - most / len(values)
