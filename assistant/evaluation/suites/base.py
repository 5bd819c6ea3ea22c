"""What a suite is: its metrics, where its cases come from, and how one case is scored on the bench."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import Score

if TYPE_CHECKING:
    from assistant.evaluation.bench import Bench


@dataclass(frozen=True)
class MetricSpec:
    """A metric a suite reports: its name, what it measures, and which way is better."""

    name: str
    description: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class CaseResult:
    """One case scored: a score per metric (a number, a ratio or not applicable) and JSON-able detail."""

    id: str
    tags: tuple[str, ...]
    scores: Mapping[str, Score]
    detail: dict[str, Any] = field(default_factory=dict)


Scorer = Callable[["Bench", Case], CaseResult]
YamlReader = Callable[[Path], tuple[list[Case], list[Path]]]
"""Cases of a commented YAML dataset under a datasets root, and the files read (for the dataset hash)."""


@dataclass(frozen=True)
class Suite:
    """A suite: metrics, JSONL sources (and commented YAML datasets), and the scorer of one case."""

    name: str
    summary: str
    metrics: tuple[MetricSpec, ...]
    sources: tuple[Source, ...]
    score: Scorer
    yaml_cases: YamlReader | None = None
    # False where results vary from run to run even offline (the batch suite's wall time); such a suite is
    # compared and gated statistically. Dense search repeats: its HNSW breadth is pinned (retrieval.vectors)
    repeatable: bool = True

    def metric(self, name: str) -> MetricSpec:
        """The metric of that name; an unknown one names the valid ones."""
        for spec in self.metrics:
            if spec.name == name:
                return spec
        raise KeyError(f"suite {self.name} has no metric {name!r} (it has {', '.join(m.name for m in self.metrics)})")
