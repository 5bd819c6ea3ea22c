"""The metrics of the benchmark scripts; they live in assistant/evaluation (kept here for the scripts and tests)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evaluation.grounding import facts_missing, normalize_fact_text, table_values_with_units
from assistant.evaluation.suites.retrieval import matches_clause

__all__ = ["facts_missing", "matches_clause", "normalize_fact_text", "states_facts", "table_values_with_units"]


def states_facts(answer: str, facts: Sequence[Sequence[str]]) -> bool:
    """True when every required fact has at least one accepted spelling in the (normalised) answer."""
    return not facts_missing(answer, facts)
