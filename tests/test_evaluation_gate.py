"""Comparison and gate on hand-made runs: bounds, pinned cases, failed cases, regressions against a baseline."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluation.compare import compare, regressed_cases
from assistant.evaluation.gate import Gates, Pin, check, load_gates
from assistant.evaluation.metrics import NotApplicable, Score
from assistant.evaluation.results import aggregates, encode


def make_run(
    values: dict[str, Score], tier: str = "deterministic", dataset: str = "h1", tags: tuple[str, ...] = ("t",)
) -> dict[str, Any]:
    """A run of one suite `s` with one metric `m` (higher is better) over the given cases."""
    cases = [{"id": i, "tags": list(tags), "scores": {"m": encode(v)}} for i, v in sorted(values.items())]
    suite = {
        "metrics": {"m": {"description": "", "higher_is_better": True}},
        "cases": cases,
        "errors": 0,
        "dataset_hash": dataset,
        "aggregates": aggregates("s", ["m"], cases, 0),
    }
    return {"tier": tier, "provider": "offline", "support": "lexical", "suites": {"s": suite}}


BASE = {f"c{i:02d}": 1.0 for i in range(20)}


def test_a_deterministic_drop_is_a_regression_case_by_case():
    after = BASE | {"c03": 0.0}
    result = compare(make_run(BASE), make_run(after))
    m = result["suites"]["s"]["metrics"]["m"]
    assert m["delta"] == pytest.approx(-0.05) and m["regression"] and not m["significant"]
    assert regressed_cases(result) == ["s/c03: m 1.000 -> 0.000"]


def test_a_stochastic_drop_counts_only_when_significant():
    one = compare(make_run(BASE, "stochastic"), make_run(BASE | {"c03": 0.0}, "stochastic"))["suites"]["s"]["metrics"][
        "m"
    ]
    assert one["worse"] and not one["regression"] and one["p_holm"] == 1.0  # exact p of one case in 20 is 1
    half = BASE | {f"c{i:02d}": 0.0 for i in range(12)}
    many = compare(make_run(BASE, "stochastic"), make_run(half, "stochastic"))["suites"]["s"]["metrics"]["m"]
    assert many["regression"] and many["p_holm"] < 0.01 and many["ci95"][1] < 0


def test_compare_warns_when_the_datasets_differ():
    result = compare(make_run(BASE), make_run(BASE | {"c99": 1.0}, dataset="h2"))
    assert any("datasets differ" in w for w in result["warnings"])
    assert result["suites"]["s"]["only_in_b"] == ["c99"]


def test_gate_bounds_pins_and_failed_cases():
    gates = Gates(
        bounds={"s": {"all": {"m": 0.9}, "nosuchtag": {"m": 0.5}}}, pinned={"s": [Pin(metric="m", case="c03")]}
    )
    assert check(make_run(BASE), gates)["failures"] == []
    assert check(make_run(BASE), gates)["skipped"] == ["s/nosuchtag/m"]
    failures = check(make_run(BASE | {"c03": 0.0, "c04": 0.0, "c05": 0.0}), gates)["failures"]
    assert any("below its floor 0.9" in f for f in failures) and any("c03: pinned m" in f for f in failures)
    broken = make_run(BASE | {"c07": NotApplicable("case failed: ValueError: x")})
    broken["suites"]["s"]["cases"][7]["error"] = "ValueError: x"
    assert check(broken, Gates())["failures"] == ["s/c07: ValueError: x"]


def test_a_stochastic_floor_fails_only_outside_the_interval():
    run = make_run(BASE | {f"c{i:02d}": 0.0 for i in range(10)}, "stochastic")  # 0.5, interval about 0.28-0.72
    assert check(run, Gates(bounds={"s": {"all": {"m": 0.6}}}))["failures"] == []
    assert check(run, Gates(bounds={"s": {"all": {"m": 0.8}}}))["failures"]
    assert check({**run, "tier": "deterministic"}, Gates(bounds={"s": {"all": {"m": 0.6}}}))["failures"]


def test_gate_with_a_baseline_fails_on_a_regression():
    verdict = check(make_run(BASE | {"c03": 0.0}), Gates(), baseline=make_run(BASE))
    assert verdict["failures"] == ["s m regressed 1.000 -> 0.950 (exact)"]


def test_the_shipped_gates_file_parses():
    gates = load_gates(None)
    assert gates.bounds["routing"]["core"]["satisfied"] == 0.95 and gates.alpha == 0.05
