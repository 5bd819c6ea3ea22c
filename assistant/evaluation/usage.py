"""What a run spent on LLM calls: calls, cache hits, tokens and cost, read from the usage log of the eval homes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from assistant.store import llm_log

if TYPE_CHECKING:
    from assistant.evaluation.bench import Bench


@dataclass(frozen=True)
class Usage:
    """LLM calls and their tokens and cost."""

    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """The fields as a dict."""
        return asdict(self)


def usage_since(bench: Bench, before: dict[str, int]) -> Usage:
    """The calls logged in the bench's homes after the counts in `before` (a home opened since: from when it was opened)."""
    records = []
    for name, store in bench.stores().items():
        records += llm_log.calls(store)[before.get(name, bench.baseline.get(name, 0)) :]
    return Usage(
        calls=len(records),
        cached_calls=sum(r.cached for r in records),
        prompt_tokens=sum(r.prompt_tokens for r in records),
        completion_tokens=sum(r.completion_tokens for r in records),
        cost_usd=sum(r.cost_usd for r in records),
    )
