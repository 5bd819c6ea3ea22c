"""Rank fusion: plain functions over ranked id lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Ranked = list[tuple[str, float]]


def reciprocal_rank_fusion(rankings: Sequence[Ranked], k: int = 60) -> Ranked:
    """Score each id by the sum of 1 / (k + rank) over the rankings it appears in (ranks start at 1)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


FUSION_MODES: dict[str, Callable[[Ranked, Ranked], Ranked]] = {
    "hybrid": lambda dense, keyword: reciprocal_rank_fusion([dense, keyword]),
    "dense": lambda dense, keyword: dense,
    "bm25": lambda dense, keyword: keyword,
}
