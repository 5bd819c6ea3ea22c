"""The suites, one module each, and the one registry `prepro eval run --suite NAME` looks names up in."""

from __future__ import annotations

from assistant.errors import ConfigError
from assistant.evaluation.suites import answers, batch, design, organization, research, retrieval, routing
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite

SUITES: dict[str, Suite] = {
    suite.name: suite
    for suite in (
        retrieval.SUITE,
        answers.SUITE,
        routing.SUITE,
        design.SUITE,
        research.SUITE,
        organization.SUITE,
        batch.SUITE,
    )
}


def get_suites(names: list[str] | None) -> list[Suite]:
    """The suites named (all when none or `all`); an unknown name is an error listing the valid ones."""
    if not names or names == ["all"]:
        return list(SUITES.values())
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise ConfigError(f"unknown eval suite {', '.join(unknown)} (valid: {', '.join(SUITES)}, all)")
    return [SUITES[n] for n in names]


__all__ = ["SUITES", "CaseResult", "MetricSpec", "Suite", "get_suites"]
