"""Organization suite: line plans whose figures were computed by hand (takt, minimum stations, stations,
efficiency, kanban cards) and Scholl's SALBP instances, where the exact balance must reach the known optimum
and prove it (SALBP-1) and the least cycle on m stations must not exceed the listed one (SALBP-2)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from assistant.engineering.balancing import balance_cycle, balance_exact
from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import NotApplicable, Score, ratio
from assistant.evaluation.paths import shared_data
from assistant.evaluation.salbp import Instance, read_in2
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite

RELATIVE = 5e-4  # a figure matches when it is within 0.05 % of the hand-computed one (0.7407 for 0.740741)
TIME_LIMIT_S = 60.0
_NOT_PLAN, _NOT_SALBP1, _NOT_SALBP2 = (NotApplicable(f"not {what}") for what in ("a plan", "SALBP-1", "SALBP-2"))


def plan_figures(draft: Any) -> dict[str, Any]:
    """The figures of a plan a case can check."""
    return {
        "takt_min": draft.takt_min,
        "total_work_min": draft.total_work_min,
        "min_stations": draft.min_stations,
        "stations": len(draft.stations),
        "efficiency": draft.efficiency,
        "kanban": {k.item: k.cards for k in draft.kanban},
    }


def figures_matching(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The expected figures the plan gives (kanban cards compared per item)."""
    matched = []
    for key, want in expected.items():
        if key == "kanban":
            matched += [f"kanban {item}" for item, cards in want.items() if got["kanban"].get(item) == cards]
        elif key in got and math.isclose(got[key], want, rel_tol=RELATIVE):
            matched.append(key)
    return matched


def _plan(bench: Bench, case: Case) -> CaseResult:
    source = case.path(case.input) if isinstance(case.input, str) else case.input
    got = plan_figures(bench.drafter().draft("organization", source, provider=bench.provider))
    expected = case.expected
    total = sum(len(v) if k == "kanban" else 1 for k, v in expected.items())
    matched = figures_matching(got, expected)
    scores = {"exact": ratio(len(matched), total, "no expected figure"), "salbp_optimum": _NOT_SALBP1}
    scores |= {"rpw_optimum": _NOT_SALBP1, "salbp2_within": _NOT_SALBP2}
    return CaseResult(case.id, case.tags, scores, {"figures": got, "matched": matched})


@lru_cache(maxsize=16)
def _instance(name: str) -> Instance:
    return read_in2(shared_data("benchmarks/salbp") / f"{name}.IN2")


def _salbp(case: Case) -> CaseResult:
    folder = shared_data("benchmarks/salbp")
    name = case.input["instance"]
    if not (folder / f"{name}.IN2").is_file():
        missing = NotApplicable(f"SALBP data not found at {folder}")
        return CaseResult(
            case.id, case.tags, dict.fromkeys(("exact", "salbp_optimum", "rpw_optimum", "salbp2_within"), missing)
        )
    elements = _instance(name).elements()
    scores: dict[str, Score] = {"exact": _NOT_PLAN}
    detail: dict[str, Any]
    if "cycle" in case.input:
        plan = balance_exact(elements, case.input["cycle"], time_limit_s=TIME_LIMIT_S)
        known = case.expected["stations"]
        scores |= {"salbp_optimum": float(plan.count == known and plan.optimal)}
        scores |= {"rpw_optimum": float(plan.heuristic_stations == known), "salbp2_within": _NOT_SALBP2}
        detail = {"stations": plan.count, "rpw": plan.heuristic_stations, "proven": plan.optimal}
    else:
        cycle = balance_cycle(elements, case.input["stations"], time_limit_s=TIME_LIMIT_S)
        scores |= {"salbp_optimum": _NOT_SALBP1, "rpw_optimum": _NOT_SALBP1}
        scores |= {"salbp2_within": float(cycle.cycle <= case.expected["cycle_at_most"])}
        detail = {"cycle": cycle.cycle, "rpw_cycle": cycle.heuristic_cycle, "proven": cycle.optimal}
    return CaseResult(case.id, case.tags, scores, detail)


def score(bench: Bench, case: Case) -> CaseResult:
    """A plan's figures, or a SALBP instance's balance."""
    return _salbp(case) if isinstance(case.input, dict) and "instance" in case.input else _plan(bench, case)


SUITE = Suite(
    name="organization",
    summary="line plans against hand-computed figures; SALBP optima reached and proven (full set long)",
    metrics=(
        MetricSpec("exact", "hand-computed figures the plan gives, over those expected (pooled)"),
        MetricSpec("salbp_optimum", "SALBP-1: the exact balance has the known m* stations and proves it"),
        MetricSpec("rpw_optimum", "SALBP-1: ranked positional weight alone reaches m* (for comparison)"),
        MetricSpec("salbp2_within", "SALBP-2: the least cycle on m stations is at most the listed one"),
    ),
    sources=(Source("organization/*.jsonl"),),
    score=score,
)
