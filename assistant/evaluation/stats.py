"""Seeded statistics of eval scores: bootstrap intervals, the paired sign-flip test, Holm's correction.

Every aggregate is a pooled ratio over cases, sum(num) / sum(den): a plain mean when each case has den 1, a
micro-average (planted defects found / planted) when cases weigh differently. Cases are the resampling unit
throughout, so an interval or a p-value says how much the figure would move with other cases like these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

RESAMPLES = 2000
CONFIDENCE = 0.95
EXACT_UP_TO = 12  # cases: the sign-flip test enumerates all 2^n flips up to here, samples beyond


@dataclass(frozen=True)
class Interval:
    """A bootstrap percentile interval."""

    low: float
    high: float


def pooled(nums: Sequence[float] | np.ndarray, dens: Sequence[float] | np.ndarray) -> float:
    """sum(nums) / sum(dens); a mean when every den is 1."""
    total = float(np.sum(dens))
    if total <= 0:
        raise ValueError("a pooled ratio needs a positive total denominator")
    return float(np.sum(nums)) / total


def _resample_ratios(nums: np.ndarray, dens: np.ndarray, picks: np.ndarray) -> np.ndarray:
    totals = dens[picks].sum(axis=1)
    return np.divide(nums[picks].sum(axis=1), totals, out=np.full(len(picks), np.nan), where=totals > 0)


def _percentiles(values: np.ndarray, confidence: float) -> Interval:
    values = values[~np.isnan(values)]
    tail = (1 - confidence) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return Interval(float(low), float(high))


def bootstrap_ci(
    nums: Sequence[float],
    dens: Sequence[float],
    seed: int,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Percentile interval of the pooled ratio over `resamples` resamplings of the cases with replacement."""
    n_arr, d_arr = np.asarray(nums, dtype=float), np.asarray(dens, dtype=float)
    if len(n_arr) == 0:
        raise ValueError("a bootstrap interval needs at least one case")
    picks = np.random.default_rng(seed).integers(0, len(n_arr), size=(resamples, len(n_arr)))
    return _percentiles(_resample_ratios(n_arr, d_arr, picks), confidence)


def paired_bootstrap_ci(
    a: tuple[Sequence[float], Sequence[float]],
    b: tuple[Sequence[float], Sequence[float]],
    seed: int,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Interval of pooled(b) - pooled(a), resampling the same cases for both runs."""
    an, ad = (np.asarray(x, dtype=float) for x in a)
    bn, bd = (np.asarray(x, dtype=float) for x in b)
    if len(an) == 0 or len(an) != len(bn):
        raise ValueError("a paired interval needs the same, non-empty list of cases in both runs")
    picks = np.random.default_rng(seed).integers(0, len(an), size=(resamples, len(an)))
    return _percentiles(_resample_ratios(bn, bd, picks) - _resample_ratios(an, ad, picks), confidence)


def _flips(n: int, seed: int, resamples: int) -> np.ndarray:
    """Rows of swap masks: every one of the 2^n when n is small (an exact test), else seeded random ones."""
    if n <= EXACT_UP_TO:
        return np.array(list(product((False, True), repeat=n)), dtype=bool)
    return np.random.default_rng(seed).random((resamples, n)) < 0.5


def sign_flip_p(
    a: tuple[Sequence[float], Sequence[float]],
    b: tuple[Sequence[float], Sequence[float]],
    seed: int,
    resamples: int = RESAMPLES,
) -> float:
    """Two-sided p-value of pooled(b) - pooled(a) under the null that each case's two runs are exchangeable.

    Each flip swaps the runs of some cases (for den 1: flips the sign of those cases' differences). Exact
    enumeration gives count / 2^n; sampled flips give (1 + count) / (1 + resamples), never 0.
    """
    an, ad = (np.asarray(x, dtype=float) for x in a)
    bn, bd = (np.asarray(x, dtype=float) for x in b)
    if len(an) == 0 or len(an) != len(bn):
        raise ValueError("a paired test needs the same, non-empty list of cases in both runs")
    observed = pooled(bn, bd) - pooled(an, ad)
    if np.array_equal(an, bn) and np.array_equal(ad, bd):
        return 1.0  # no case differs: nothing to test
    masks = _flips(len(an), seed, resamples)
    swap_n_a, swap_d_a = np.where(masks, bn, an), np.where(masks, bd, ad)
    swap_n_b, swap_d_b = np.where(masks, an, bn), np.where(masks, ad, bd)
    stats = swap_n_b.sum(1) / swap_d_b.sum(1) - swap_n_a.sum(1) / swap_d_a.sum(1)
    extreme = int(np.sum(np.abs(stats) >= abs(observed) - 1e-12))
    if len(an) <= EXACT_UP_TO:
        return extreme / len(masks)
    return (1 + extreme) / (1 + len(masks))


def holm(pvalues: Mapping[str, float]) -> dict[str, float]:
    """Holm-Bonferroni adjusted p-values: the k-th smallest times (m - k + 1), kept monotone, capped at 1."""
    ordered = sorted(pvalues.items(), key=lambda item: (item[1], item[0]))
    adjusted: dict[str, float] = {}
    running = 0.0
    for rank, (name, p) in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - rank) * p))
        adjusted[name] = running
    return adjusted
