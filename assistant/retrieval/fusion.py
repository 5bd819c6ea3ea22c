"""Rank fusion: plain functions over ranked id lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Ranked = list[tuple[str, float]]


def reciprocal_rank_fusion(rankings: Sequence[Ranked], k: int = 60, weights: Sequence[float] | None = None) -> Ranked:
    """Score each id by the weighted sum of 1 / (k + rank) over the rankings it appears in (ranks start at 1)."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def promote(ranked: Ranked, favoured: Sequence[str], k: int, weight: float) -> Ranked:
    """`ranked` with `favoured` fused in as one more ranking of the given weight (their order kept)."""
    bonus = {item: weight / (k + rank) for rank, item in enumerate(favoured, start=1)}
    return sorted(((item, score + bonus.get(item, 0.0)) for item, score in ranked), key=lambda p: (-p[1], p[0]))


def relevance(similarity: float, coverage: float, dense_weight: float) -> float:
    """How well the index can answer a query at all, 0 to 1, for the relevance floor (RRF scores rank, not judge).

    The dense side's evidence (cosine similarity of the nearest chunk) and the keyword side's (share of the query's
    terms that occur in the searchable chunks), weighted as the fusion weighs the two rankings (keyword: 1).
    """
    return (dense_weight * max(similarity, 0.0) + coverage) / (dense_weight + 1.0)


@dataclass(frozen=True)
class FusionParams:
    """RRF constant and the weight of the dense ranking (the keyword ranking weighs 1)."""

    k: int = 20
    dense_weight: float = 0.5


FUSION_MODES: dict[str, Callable[[Ranked, Ranked, FusionParams], Ranked]] = {
    "hybrid": lambda dense, keyword, p: reciprocal_rank_fusion([dense, keyword], p.k, [p.dense_weight, 1.0]),
    "dense": lambda dense, keyword, p: dense,
    "bm25": lambda dense, keyword, p: keyword,
}
