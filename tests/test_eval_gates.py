"""`prepro eval` end to end: run, report, compare, a passing and a failing gate, the dry-run estimate.

The gate over the default offline suites runs in CI (`.ci/run`: `prepro eval gate`); here it runs on the
hand-computed line plans, which take seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_knowledge import prepro

pytestmark = pytest.mark.slow  # subprocesses import the whole stack


def test_run_report_compare_and_gate(tmp_path: Path) -> None:
    home = tmp_path / "home"
    plans = ("--suite", "organization", "--tag", "plan")
    first = prepro("eval", "run", *plans, home=home)
    assert first.returncode == 0, first.stderr
    assert "exact" in first.stdout and "1.000 [1.000, 1.000] n=3" in first.stdout
    assert prepro("eval", "run", *plans, home=home).returncode == 0
    runs = sorted(p for p in (home / "evals").iterdir() if (p / "results.json").is_file())
    assert len(runs) == 2 and (runs[0] / "results.json").read_bytes() == (runs[1] / "results.json").read_bytes()

    report = prepro("eval", "report", home=home)
    assert report.returncode == 0 and (runs[1] / "report.html").is_file()
    assert (runs[1] / "organization-distribution.png").read_bytes()[:4] == b"\x89PNG"
    assert "| LINE-01 |" in (runs[1] / "report.md").read_text()

    compared = prepro("eval", "compare", "previous", "latest", "--format", "json", home=home)
    assert compared.returncode == 0 and json.loads(compared.stdout)["tier"] == "deterministic"

    assert prepro("eval", "gate", "--run", "latest", "--baseline", "previous", home=home).returncode == 0
    strict = tmp_path / "gates.yaml"
    strict.write_text("bounds:\n  organization:\n    plan: {rpw_optimum: 1.0, exact: 1.0}\n", encoding="utf-8")
    assert prepro("eval", "gate", "--run", "latest", "--gates", str(strict), home=home).returncode == 0  # n/a: skipped
    strict.write_text("pinned:\n  organization:\n    - {case: LINE-01, metric: salbp_optimum}\n", encoding="utf-8")
    assert prepro("eval", "gate", "--run", "latest", "--gates", str(strict), home=home).returncode == 0
    impossible = tmp_path / "impossible.yaml"
    impossible.write_text("bounds:\n  organization:\n    all: {exact: 1.5}\n", encoding="utf-8")
    failed = prepro("eval", "gate", "--run", "latest", "--gates", str(impossible), home=home)
    assert failed.returncode == 1 and "below its floor 1.5" in failed.stderr


def test_dry_run_estimates_calls_without_running(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shown = prepro(
        "eval", "run", "--suite", "answers", "--provider", "openai", "--judge", "openai", "--dry-run", home=home
    )
    assert shown.returncode == 0, shown.stderr
    assert "answers 75" in shown.stdout and "judge" in shown.stdout and "$" in shown.stdout
    assert not (home / "evals").exists() or not any((home / "evals").glob("2*"))
    offline = prepro("eval", "run", "--dry-run", home=home)
    assert "no LLM calls" in offline.stdout
