"""Reading organizational plans: bad input names the plan and the field (cyclic or unknown precedence, negative
demand, no working time, unknown keys, missing routing file, mismatched jobs); files, lists, folders and paths
relative to the plan file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.errors import InputError
from assistant.stages.organization.loading import load_plan_input, parse_plan, read_plans
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "organization" / "LINE-01.yaml"


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("org-inputs") / "home"))


def _example() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text()))


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(InputError) as caught:
        parse_plan(data)
    return str(caught.value)


def test_the_example_plan_loads_from_a_file_a_dict_and_a_model() -> None:
    plan = load_plan_input(EXAMPLE)
    assert plan.id == "LINE-01" and [e.id for e in plan.operations] == ["A", "B", "C", "D"]
    assert load_plan_input(_example()) == plan
    assert load_plan_input(plan) is plan


def test_cyclic_precedence_names_the_field_and_the_cycle() -> None:
    data = _example()
    data["operations"][0]["predecessors"] = ["B"]
    assert _error(data) == "LINE-01/operations: cyclic precedence: A → B → A"


def test_an_unknown_predecessor_is_named() -> None:
    data = _example()
    data["operations"][3]["predecessors"] = ["Z"]
    assert _error(data) == "LINE-01/operations: element 'D' has unknown predecessor(s) 'Z'"


def test_a_repeated_element_is_named() -> None:
    data = _example()
    data["operations"][3]["id"] = "C"
    assert _error(data) == "LINE-01/operations: element 'C' is listed twice"


def test_negative_demand_names_the_field() -> None:
    data = _example()
    data["demand"] = {"per_day": -480}
    assert _error(data) == "LINE-01/demand.per_day: Input should be greater than 0 (got -480)"


def test_zero_shift_time_names_the_field() -> None:
    data = _example()
    data["calendar"]["shift_min"] = 0
    assert _error(data) == "LINE-01/calendar.shift_min: Input should be greater than 0 (got 0)"
    data["calendar"]["shift_min"] = 30
    assert _error(data) == (
        "LINE-01/calendar: breaks_min 30 must be shorter than shift_min 30 (no working time would be left)"
    )


def test_unknown_keys_are_named_with_the_valid_ones() -> None:
    data = _example()
    data["takt"] = 1.8
    message = _error(data)
    assert message.startswith("LINE-01: unknown key 'takt' (the keys are id, name, demand, calendar,")
    data = _example()
    data["calendar"]["shiftz"] = 3
    assert _error(data) == (
        "LINE-01/calendar: unknown key 'shiftz' (the keys are working_days, shifts, shift_min, breaks_min)"
    )
    data = _example()
    data["operations"][2]["duration"] = 1
    assert _error(data).startswith("LINE-01/operations[C]: unknown key 'duration' (the keys are id, name, time_min")


def test_an_element_time_and_the_missing_essentials_are_named() -> None:
    data = _example()
    data["operations"][1]["time_min"] = 0
    assert _error(data) == "LINE-01/operations[B].time_min: Input should be greater than 0 (got 0)"
    data = _example()
    del data["demand"]
    assert _error(data) == "LINE-01: give demand (with the calendar) or takt_min"
    data = _example()
    data["routing"] = "x.json"
    assert _error(data) == "LINE-01: give operations or routing, not both"
    with pytest.raises(InputError, match="a plan is a mapping of fields"):
        parse_plan(["x"])


def test_a_missing_routing_file_names_the_field(helper: Assistant, tmp_path: Path) -> None:
    data = _example()
    del data["operations"]
    data["routing"] = "routings/none.json"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match=r"^LINE-01/routing: no such routing draft file .*routings/none\.json"):
        helper.draft("organization", plan)
    (tmp_path / "routings").mkdir()
    (tmp_path / "routings" / "none.json").write_text("[1, 2]")
    with pytest.raises(InputError, match=r"^LINE-01/routing: none\.json is not a routing draft"):
        helper.draft("organization", plan)


def test_jobs_with_different_machine_counts_name_the_job(helper: Assistant) -> None:
    data = _example()
    data["schedule"] = {"jobs": [{"id": "P1", "times_min": [1, 2]}, {"id": "P2", "times_min": [1, 2, 3]}]}
    with pytest.raises(InputError) as caught:
        helper.draft("organization", data)
    assert str(caught.value).startswith("LINE-01/schedule.jobs[P2]: 3 machines, but P1 has 2;")
    data["schedule"] = {"jobs": [{"id": "P1"}]}
    assert _error(data) == (
        "LINE-01/schedule.jobs[P1]: give times_min (per machine) or routing (a routing draft's JSON), one of them"
    )


def test_a_kanban_station_beyond_the_line_is_named(helper: Assistant) -> None:
    data = _example()
    data["kanban"][0]["station"] = 3
    with pytest.raises(InputError, match=r"^LINE-01/kanban\[Bar D55\]\.station: station 3, but the balanced line"):
        helper.draft("organization", data)


def test_paths_inside_a_plan_are_relative_to_its_folder(tmp_path: Path) -> None:
    data = _example()
    del data["operations"]
    data["routing"] = "routings/SH-001.json"
    data["costs"] = {"part": "../parts/SH-001.yaml"}
    data["schedule"] = {"jobs": [{"id": "P1", "routing": "r.json"}, {"id": "P2", "routing": "/abs/r.json"}]}
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "line.yaml").write_text(yaml.safe_dump(data))
    plan = load_plan_input(folder / "line.yaml")
    assert plan.routing == folder / "routings" / "SH-001.json"
    assert plan.costs is not None and plan.costs.part == folder / ".." / "parts" / "SH-001.yaml"
    assert plan.schedule is not None
    assert [j.routing for j in plan.schedule.jobs] == [folder / "r.json", Path("/abs/r.json")]


def test_batch_reads_a_list_file_and_a_folder(tmp_path: Path) -> None:
    first, second = _example(), _example()
    second["id"] = "LINE-02"
    (tmp_path / "two.yaml").write_text(yaml.safe_dump([first, second]))
    (tmp_path / "one.json").write_text(json.dumps({**first, "id": "LINE-03"}))
    (tmp_path / "notes.txt").write_text("not a plan")
    labels = [label for label, _ in read_plans(tmp_path)]
    assert labels == ["one.json", "two.yaml#1", "two.yaml#2"]
    with pytest.raises(InputError, match=r"two\.yaml: holds 2 plans; draft them with `prepro batch`"):
        load_plan_input(tmp_path / "two.yaml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no plan files"):
        read_plans(tmp_path / "empty")
    with pytest.raises(InputError, match=r"notes\.txt: plans are read from \.yaml, \.yml or \.json files"):
        read_plans(tmp_path / "notes.txt")


def test_breakdowns_of_a_station_beyond_the_line_are_named(helper: Assistant) -> None:
    data = _example()
    data["simulation"] = {"reliability": {5: {"mtbf_min": 100, "mttr_min": 10}}}
    with pytest.raises(InputError, match=r"^LINE-01/simulation\.reliability: station 5, but the balanced line has 2"):
        helper.draft("organization", data)


def test_whole_numbers_are_element_ids() -> None:
    data = {
        "id": 7,
        "takt_min": 10,
        "operations": [{"id": 1, "time_min": 2}, {"id": 2, "time_min": 3, "predecessors": [1]}],
    }
    plan = parse_plan(data)
    assert plan.id == "7" and [(e.id, e.predecessors) for e in plan.operations] == [("1", []), ("2", ["1"])]
