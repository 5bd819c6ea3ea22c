"""The statistics of eval scores, each pinned to a worked example."""

from __future__ import annotations

import pytest

from assistant.evaluation.stats import bootstrap_ci, holm, paired_bootstrap_ci, pooled, sign_flip_p

ONES = [1.0] * 3


def test_pooled_is_the_mean_with_unit_denominators_and_the_micro_average_otherwise():
    assert pooled([1, 0, 1], ONES) == pytest.approx(2 / 3)
    assert pooled([3, 1], [4, 1]) == pytest.approx(4 / 5)  # 3 of 4 defects found and 1 of 1: 4 of 5, not 0.875
    with pytest.raises(ValueError):
        pooled([0.0], [0.0])


def test_bootstrap_interval_is_seeded_and_degenerate_without_spread():
    assert bootstrap_ci(ONES, ONES, seed=0) == bootstrap_ci(ONES, ONES, seed=1)
    assert (bootstrap_ci(ONES, ONES, seed=0).low, bootstrap_ci(ONES, ONES, seed=0).high) == (1.0, 1.0)
    values = [1.0] * 30 + [0.0] * 10
    first, again = bootstrap_ci(values, [1.0] * 40, seed=7), bootstrap_ci(values, [1.0] * 40, seed=7)
    assert first == again and first.low < 0.75 < first.high
    assert first.low > 0.55 and first.high < 0.95  # about ±1.96 * sqrt(0.75 * 0.25 / 40) = ±0.13
    with pytest.raises(ValueError):
        bootstrap_ci([], [], seed=0)


def test_exact_sign_flip_p_values_by_hand():
    # every case 1 better: of the 8 flips only "all +" and "all -" are as extreme -> 2 / 8
    assert sign_flip_p(([0, 0, 0], ONES), ([1, 1, 1], ONES), seed=0) == pytest.approx(0.25)
    # differences 2, -1, 1: flipped sums 2, 0, 4, 2, -2, -4, 0, -2; |sum| >= 2 in 6 of 8
    assert sign_flip_p(([0, 1, 0], ONES), ([2, 0, 1], ONES), seed=0) == pytest.approx(0.75)
    # ratios 1/2, 1/2 -> 2/2, 2/2: swapping one case gives 0, both -0.5; |delta| >= 0.5 in 2 of 4
    assert sign_flip_p(([1, 1], [2, 2]), ([2, 2], [2, 2]), seed=0) == pytest.approx(0.5)
    assert sign_flip_p(([1, 0], [1, 1]), ([1, 0], [1, 1]), seed=0) == 1.0  # identical runs


def test_sampled_sign_flip_is_seeded_and_never_zero():
    a, b, dens = [0.0] * 20, [1.0] * 20, [1.0] * 20
    p = sign_flip_p((a, dens), (b, dens), seed=3)
    assert p == pytest.approx(1 / 2001)  # no sampled flip is as extreme: (1 + 0) / (1 + 2000)
    mixed = [1.0, 0.0] * 10
    assert sign_flip_p((mixed, dens), (mixed[::-1], dens), seed=3) == sign_flip_p(
        (mixed, dens), (mixed[::-1], dens), seed=3
    )


def test_paired_bootstrap_of_identical_runs_is_zero():
    interval = paired_bootstrap_ci(([1, 0, 1], ONES), ([1, 0, 1], ONES), seed=0)
    assert (interval.low, interval.high) == (0.0, 0.0)
    better = paired_bootstrap_ci(([0] * 10, [1] * 10), ([1] * 10, [1] * 10), seed=0)
    assert (better.low, better.high) == (1.0, 1.0)


def test_holm_worked_example():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04 -> kept monotone: 0.06
    adjusted = holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005})
    assert adjusted == pytest.approx({"d": 0.02, "a": 0.03, "c": 0.06, "b": 0.06})
    assert holm({"x": 0.6, "y": 0.7}) == pytest.approx({"x": 1.0, "y": 1.0})  # capped at 1
    assert holm({}) == {}
