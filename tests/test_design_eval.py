"""Regression gate: the design review keeps finding every planted defect, raises no error on a clean or shipped
part, and catches the deliberately wrong specification."""

from __future__ import annotations

from pathlib import Path

from assistant.api import Assistant
from assistant.stages.design.model import DFM_RULES
from evals.run_design import GATES, evaluate
from tests.conftest import make_settings


def test_design_eval_stays_above_its_gates(tmp_path: Path) -> None:
    report = evaluate(Assistant(make_settings(tmp_path / "home")), "offline")
    assert report["cases"] >= 20
    assert report["recall"] >= GATES["recall"] and report["precision"] >= GATES["precision"]
    assert report["false_error_rate"] <= GATES["false_error_rate_max"] and report["must_not_fire_kept"]
    assert set(report["rules"]) == {str(rule) for rule in DFM_RULES}, "every rule has planted cases"
    assert all(entry["planted"] >= 2 for entry in report["rules"].values())
    assert not report["shipped_with_error"] and report["wrong_specs_caught"] == ["SH-299"]
