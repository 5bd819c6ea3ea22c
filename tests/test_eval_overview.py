"""The read-only view of saved eval runs (assistant.evaluation.overview) and the UI's Evals page that shows it: three
real offline runs of the harness, the second with a planted regression; corrupt folders are skipped."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st

from assistant.api import Assistant
from assistant.evaluation.overview import CaseRegression, overview
from assistant.evaluation.paths import shipped_datasets, user_datasets
from assistant.evaluation.runs import load
from assistant.evaluation.service import RunOptions, run_and_save
from tests.conftest import make_settings
from tests.uiapp import ADMIN_PASSWORD, TOKEN, UI, page, texts

MINE = ("MINE-1", "MINE-2")


@dataclass(frozen=True)
class Runs:
    """A PREPRO_HOME holding three runs, oldest first: A (organization and routing), B (organization, MINE-1 now
    expects 4 stations where the plan has 3), C (routing only)."""

    home: Path
    a: str
    b: str
    c: str


def _write_cases(home: Path, stations: int) -> None:
    """Two organization plan cases in the user's datasets (LINE-H1's input: takt 1.125, 3 stations)."""
    line = (shipped_datasets() / "organization" / "plans.jsonl").read_text(encoding="utf-8").splitlines()[2]  # type: ignore[operator]
    plan = json.loads(line)
    assert plan["id"] == "LINE-H1"
    folder = user_datasets(home) / "organization"
    folder.mkdir(parents=True, exist_ok=True)
    cases = [
        plan | {"id": "MINE-1", "tags": ["mine"], "expected": {"takt_min": 1.125, "stations": stations}},
        plan | {"id": "MINE-2", "tags": ["mine"], "expected": {"takt_min": 1.125, "min_stations": 3}},
    ]
    (folder / "mine.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    home = tmp_path_factory.mktemp("evals") / "home"
    settings = make_settings(home)
    _write_cases(home, stations=3)
    a, _ = run_and_save(
        settings, RunOptions(("organization", "routing"), "offline", cases=(*MINE, "SH-101")), None, None
    )
    _write_cases(home, stations=4)  # the planted regression: MINE-1 now matches 1 of its 2 figures
    b, _ = run_and_save(settings, RunOptions(("organization",), "offline", cases=MINE), None, None)
    c, _ = run_and_save(settings, RunOptions(("routing",), "offline", cases=("SH-101",)), None, None)
    return Runs(home, a.name, b.name, c.name)


@pytest.fixture
def runs(made: Runs, tmp_path: Path) -> Runs:
    """A copy of the module's runs that a test may change."""
    home = tmp_path / "home"
    shutil.copytree(made.home, home)
    return Runs(home, made.a, made.b, made.c)


def test_no_runs_is_an_empty_overview(tmp_path: Path) -> None:
    seen = overview(tmp_path / "home")
    assert (seen.suites, seen.runs, seen.skipped) == ([], [], [])
    assert seen.folder == tmp_path / "home" / "evals"


def test_each_suite_shows_its_latest_run_with_aggregates(made: Runs) -> None:
    seen = Assistant(make_settings(made.home)).evaluations()
    assert seen.runs == [made.a, made.b, made.c] == sorted(seen.runs)
    assert seen.skipped == []  # evals/datasets holds no run and is no corrupt run either
    by_name = {s.name: s for s in seen.suites}
    assert list(by_name) == ["organization", "routing"]
    organization, routing = by_name["organization"], by_name["routing"]
    assert (organization.run_id, routing.run_id) == (made.b, made.c)
    meta = load(made.home / "evals" / made.b)[1]
    assert (organization.provider, organization.model, organization.started_at) == (
        "offline",
        "offline",
        meta["started_at"],
    )
    assert organization.tier == "deterministic" and organization.cases == 2 and organization.errors == 0
    metrics = {m.name: m for m in organization.metrics}
    assert list(metrics) == ["exact", "rpw_optimum", "salbp2_within", "salbp_optimum"]  # results.json sorts keys
    exact = metrics["exact"]
    assert exact.mean == pytest.approx(0.75)  # MINE-1 1 of 2 figures, MINE-2 2 of 2: pooled 3/4
    assert exact.n == 2 and exact.higher_is_better
    assert exact.low is not None and exact.high is not None and exact.low <= 0.75 <= exact.high
    assert (exact.low, exact.high) == (0.5, 1.0)
    salbp = metrics["salbp_optimum"]
    assert (salbp.mean, salbp.low, salbp.n, salbp.not_applicable) == (None, None, 0, 2)
    assert {m.name: m.mean for m in routing.metrics}["satisfied"] == 1.0


def test_the_trend_covers_every_run_of_the_suite_oldest_first(made: Runs) -> None:
    by_name = {s.name: s for s in overview(made.home).suites}
    organization, routing = by_name["organization"], by_name["routing"]
    assert [(p.run_id, p.means["exact"]) for p in organization.trend] == [(made.a, 1.0), (made.b, 0.75)]
    assert organization.trend[0].means["salbp_optimum"] is None
    assert [p.run_id for p in routing.trend] == [made.a, made.c]
    assert routing.trend[0].means == routing.trend[1].means


def test_the_planted_regression_is_found_against_the_previous_run_of_the_suite(made: Runs) -> None:
    by_name = {s.name: s for s in overview(made.home).suites}
    organization, routing = by_name["organization"], by_name["routing"]
    assert organization.baseline == made.a
    assert organization.regressions == [CaseRegression("MINE-1", "exact", 1.0, 0.5)]
    assert organization.regressed_metrics == ["exact"]  # deterministic tier: any drop counts
    assert any("datasets differ" in w for w in organization.warnings)
    assert routing.baseline == made.a  # run B has no routing: the previous run of routing is A
    assert (routing.regressions, routing.regressed_metrics, routing.warnings) == ([], [], [])


def test_a_corrupt_run_folder_is_skipped_with_the_reason(runs: Runs) -> None:
    evals = runs.home / "evals"
    broken = evals / "20000101-000000-offline"
    broken.mkdir()
    (broken / "results.json").write_text("{not json", encoding="utf-8")
    partial = evals / "99990101-000000-offline"  # sorts last: would be the latest run were it readable
    partial.mkdir()
    (partial / "results.json").write_text(json.dumps({"suites": {"organization": {"metrics": {}}}}), "utf-8")
    seen = overview(runs.home)
    assert [(s.run_id, s.reason.split(":")[0]) for s in seen.skipped] == [
        ("20000101-000000-offline", "JSONDecodeError"),
        ("99990101-000000-offline", "KeyError"),
    ]
    assert seen.runs == [runs.a, runs.b, runs.c]
    assert {s.name: s.run_id for s in seen.suites} == {"organization": runs.b, "routing": runs.c}


def _ui_token(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The admin's session token for the app on this home (a workspace without an index: none is needed)."""
    monkeypatch.setenv("PREPRO_HOME", str(home))
    monkeypatch.setenv("PREPRO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.syspath_prepend(str(UI))
    st.cache_resource.clear()
    workspace = Assistant(make_settings(home, admin_password=ADMIN_PASSWORD)).workspace
    workspace.first_admin()
    return workspace.login("admin", ADMIN_PASSWORD).token


def test_the_evals_page_without_runs_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = page("pages/5_Evals.py", _ui_token(tmp_path / "home", monkeypatch))
    assert not app.exception
    assert app.session_state[TOKEN]
    assert app.title[0].value == "Evaluations"
    (info,) = texts(app, "info")
    assert "No eval run yet" in info and "`prepro eval run`" in info
    assert not app.dataframe and not app.header


def test_the_evals_page_shows_metrics_trend_and_regressions(runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    app = page("pages/5_Evals.py", _ui_token(runs.home, monkeypatch))
    assert not app.exception
    assert [h.value for h in app.header] == ["organization", "routing"]
    assert not texts(app, "info")
    organization, worse, routing = (d.value for d in app.dataframe)
    row = organization.set_index("Metric").loc["exact"]
    assert row["Mean"] == pytest.approx(0.75)
    assert (row["95 % interval"], row["n"], row["Better"]) == ("[0.500, 1.000]", 2, "higher")
    assert worse.to_dict("records") == [{"Case": "MINE-1", "Metric": "exact", "Before → after": "1.000 → 0.500"}]
    assert texts(app, "error") == [f"1 case score(s) worse than in run {runs.a} (worse overall: exact)"]
    assert texts(app, "success") == [f"No regressions against run {runs.a}."]
    assert routing.set_index("Metric").loc["satisfied", "Mean"] == 1.0
    assert len(app.get("vega_lite_chart")) == 2  # one trend chart per suite
    assert any(runs.b in c and "provider offline" in c for c in texts(app, "caption"))
