"""Running suites: the offline tier gives byte-identical results from run to run; the metadata carries what varies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.paths import shipped_datasets
from assistant.evaluation.runner import RunOptions, run, suite_cases
from assistant.evaluation.runs import RESULTS, load
from assistant.evaluation.service import run_and_save
from assistant.evaluation.suites import SUITES
from tests.conftest import make_settings

FEW = (
    "SH-101",  # routing, core
    "SH-299",  # routing, the deliberately wrong spec
    "DS-201",  # design, own planted defect
    "HO-002",  # design, held-out
    "shipped/SH-001",
    "LINE-01",  # organization, hand-computed plan
    "LINE-H1",
    "JACKSON-c007",  # SALBP-1
    "MANSOOR-m02",  # SALBP-2
)
DRAFTING = ("routing", "design", "organization")


def test_every_shipped_dataset_loads_with_unique_ids():
    root = shipped_datasets()
    assert root is not None
    counts = {name: len(suite_cases(suite, [root])[0]) for name, suite in SUITES.items()}
    assert counts["retrieval"] == 116 + 108 and counts["answers"] == 257 + 10
    assert counts["routing"] == 66 and counts["design"] == 38 + 30 + 67 and counts["research"] == 26
    assert counts["organization"] >= 3 + 25


def test_two_offline_runs_give_identical_bytes(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home")
    options = RunOptions(suites=DRAFTING, cases=FEW)
    first, results = run_and_save(settings, options, None, None)
    second, _ = run_and_save(settings, options, None, None)
    assert first != second
    assert (first / RESULTS).read_bytes() == (second / RESULTS).read_bytes()
    assert results["tier"] == "deterministic" and results["provider"] == "offline"
    routing = {c["id"]: c for c in results["suites"]["routing"]["cases"]}
    assert routing["SH-101"]["scores"]["satisfied"] == 1.0
    assert routing["SH-299"]["scores"]["spec_error_caught"] == 1.0
    assert routing["SH-299"]["scores"]["kind_recall"] == {
        "not_applicable": "deliberately wrong spec: no reference route"
    }
    _, meta = load(first)
    assert meta["provider"] == "offline" and set(meta["durations_s"]) == set(DRAFTING)
    assert meta["dataset_hashes"]["routing"] == results["suites"]["routing"]["dataset_hash"]
    assert meta["totals"]["calls"] == 0 and "route_card" in meta["prompt_versions"]


def test_repeats_report_flip_rates_and_a_user_file_joins_its_suite(tmp_path: Path) -> None:
    extra = tmp_path / "datasets" / "organization"
    extra.mkdir(parents=True)
    plan = json.loads((shipped_datasets() / "organization" / "plans.jsonl").read_text().splitlines()[2])  # type: ignore[operator]
    plan |= {"id": "MINE-1", "tags": ["mine"], "expected": {"takt_min": 1.125, "stations": 4}}  # 4 is wrong: 3
    (extra / "mine.jsonl").write_text(json.dumps(plan) + "\n", encoding="utf-8")
    options = RunOptions(suites=("organization",), tags=("mine",), repeats=2, datasets=tmp_path / "datasets")
    done = run(make_settings(tmp_path / "home"), options)
    case = done.results["suites"]["organization"]["cases"][0]
    assert case["id"] == "MINE-1" and case["scores"]["exact"] == {"num": 1.0, "den": 2.0}
    assert case["flip_rate"] == {"exact": 0.0} and len(case["repeats"]) == 2


@pytest.mark.slow
def test_the_drafting_suites_repeat_exactly_and_pass_their_gates(tmp_path: Path) -> None:
    from assistant.evaluation.gate import check, load_gates

    settings = make_settings(tmp_path / "home")
    first, results = run_and_save(settings, RunOptions(suites=DRAFTING), None, None)
    second, _ = run_and_save(settings, RunOptions(suites=DRAFTING), None, None)
    assert (first / RESULTS).read_bytes() == (second / RESULTS).read_bytes()
    assert check(results, load_gates(None))["failures"] == []
