"""Ranking, set and sequence metrics, each pinned to a worked example (a perfect case gives exactly 1.0)."""

from __future__ import annotations

import math

import pytest

from assistant.evaluation.metrics import (
    NotApplicable,
    Ratio,
    as_unit,
    distinct_hits,
    flip_rate,
    lcs_agreement,
    multiset_precision_recall,
    ndcg_at_k,
    ratio,
    recall_at_k,
    reciprocal_rank,
    value_of,
)

PERFECT = [True, False, False, False, False]


def test_a_perfect_ranking_scores_exactly_one():
    assert recall_at_k(PERFECT, 1) == 1.0
    assert reciprocal_rank(PERFECT, 10) == 1.0
    assert ndcg_at_k(PERFECT, 10) == 1.0
    assert ndcg_at_k([True, True, False], 10, n_relevant=2) == 1.0


def test_recall_at_k_by_hand():
    third = [False, False, True]
    assert recall_at_k(third, 1) == 0.0 and recall_at_k(third, 5) == 1.0
    assert recall_at_k([True, False, False, False, False], 5, n_relevant=2) == 0.5
    assert recall_at_k([True, False, True], 3, n_relevant=2) == 1.0
    with pytest.raises(ValueError):
        recall_at_k(third, 0)


def test_reciprocal_rank_by_hand():
    assert reciprocal_rank([False, False, True], 10) == pytest.approx(1 / 3)
    assert reciprocal_rank([False, False, True], 2) == 0.0  # beyond the depth


def test_ndcg_by_hand():
    assert ndcg_at_k([False, True], 10) == pytest.approx(1 / math.log2(3))  # 0.6309
    # hits at 1 and 3 of 2 relevant: (1 + 1/log2 4) / (1 + 1/log2 3) = 1.5 / 1.6309 = 0.9197
    assert ndcg_at_k([True, False, True], 3, n_relevant=2) == pytest.approx(0.9197, abs=1e-4)
    assert ndcg_at_k([False] * 10, 10) == 0.0


def test_distinct_hits_count_a_clause_once():
    assert distinct_hits(["3.2", None, "3.2", "4.1"]) == [True, False, False, True]


def test_multiset_precision_and_recall_by_hand():
    precision, recall = multiset_precision_recall(["turning", "turning", "milling"], ["turning", "grinding"])
    assert precision == pytest.approx(1 / 3) and recall == pytest.approx(1 / 2)
    assert multiset_precision_recall(["a", "b"], ["b", "a"]) == (1.0, 1.0)
    assert isinstance(multiset_precision_recall([], ["a"])[0], NotApplicable)


def test_lcs_agreement_by_hand():
    assert lcs_agreement(["a", "b", "c"], ["a", "c"]) == pytest.approx(2 / 3)
    assert lcs_agreement(["a", "b"], ["a", "b"]) == 1.0
    assert lcs_agreement(["a", "b"], ["b", "a"]) == 0.5


def test_scores_ratio_and_not_applicable():
    assert ratio(1, 0, "nothing planted") == NotApplicable("nothing planted")
    assert as_unit(Ratio(3, 4)) == (3, 4) and as_unit(0.5) == (0.5, 1.0) and as_unit(NotApplicable("x")) is None
    assert value_of(Ratio(3, 4)) == 0.75 and value_of(NotApplicable("x")) is None


def test_flip_rate_by_hand():
    assert flip_rate([1.0, 1.0, 0.0, 1.0]) == 0.25
    assert flip_rate([1.0, 1.0]) == 0.0
    assert flip_rate([0.5, 1.0]) == 0.5
