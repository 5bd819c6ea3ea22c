"""Regression gate: the offline routing drafts keep their scores against the hand-built reference routes."""

from __future__ import annotations

from pathlib import Path

from assistant.api import Assistant
from evals.run_routing import GATES, evaluate
from tests.conftest import make_settings


def test_routing_eval_stays_above_its_gates(tmp_path: Path) -> None:
    report = evaluate(Assistant(make_settings(tmp_path / "home")), "offline")
    assert report["parts"] >= 30
    for metric, floor in GATES.items():
        assert report["means"][metric] >= floor, (metric, report["means"][metric])
    unsatisfied = [r["part"] for r in report["rows"] if r["group"] == "core" and not r["satisfied"]]
    assert not unsatisfied, unsatisfied
    assert report["wrong_specs_caught"] == "1/1", "the deliberately wrong spec (SH-299) carries an error"
    review = [r for r in report["rows"] if r["group"] == "review" and r["reference_operations"]]
    assert len(review) >= 20 and report["review_means"]["review_clean"] >= 0.9
