"""Reciprocal rank fusion."""

import pytest

from assistant.retrieval.fusion import FUSION_MODES, FusionParams, promote, reciprocal_rank_fusion


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([[("a", 0.9), ("b", 0.8)], [("b", 7.0), ("c", 3.0)]], k=60)
    assert [item for item, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == 1 / 62 + 1 / 61
    assert fused[1][1] == 1 / 61


def test_rrf_ties_break_by_id_and_empty_inputs() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert [i for i, _ in reciprocal_rank_fusion([[("z", 1.0)], [("a", 1.0)]])] == ["a", "z"]


def test_weights_scale_each_ranking() -> None:
    fused = dict(reciprocal_rank_fusion([[("a", 1.0)], [("b", 1.0)]], k=20, weights=[0.5, 1.0]))
    assert fused == {"a": 0.5 / 21, "b": 1 / 21}


def test_modes_pick_one_side_or_fuse() -> None:
    dense, sparse, params = [("a", 0.5), ("c", 0.4)], [("b", 2.0), ("c", 1.0)], FusionParams(k=20, dense_weight=0.5)
    assert FUSION_MODES["dense"](dense, sparse, params) == dense
    assert FUSION_MODES["bm25"](dense, sparse, params) == sparse
    assert [i for i, _ in FUSION_MODES["hybrid"](dense, sparse, params)] == ["c", "b", "a"]


def test_promote_adds_the_favoured_as_one_more_weighted_ranking() -> None:
    ranked = [("a", 0.10), ("b", 0.09), ("c", 0.08), ("d", 0.07)]
    promoted = promote(ranked, ["d", "c"], k=20, weight=0.5)  # d +0.5/21 = 0.0938, c +0.5/22 = 0.1027
    assert [i for i, _ in promoted] == ["c", "a", "d", "b"]
    assert promoted[2][1] == pytest.approx(0.07 + 0.5 / 21)
    assert promote(ranked, [], k=20, weight=0.5) == ranked
