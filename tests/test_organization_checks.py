"""Checks of any organizational plan against its input, each rule planted in a correct plan: takt, a station over
takt, an element in no or two stations or unknown, a predecessor in a later station, a load that is not its elements'
sum, efficiency and balance delay, kanban cards not by the formula."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.errors import InputError
from assistant.stages.findings import Severity
from assistant.stages.organization.model import OrgRule
from assistant.stages.organization.plan import OrgPlan
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "organization" / "LINE-01.yaml"


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("org-checks") / "home"))


@pytest.fixture(scope="module")
def correct(helper: Assistant) -> dict[str, Any]:
    plan = helper.draft("organization", EXAMPLE)
    assert isinstance(plan, OrgPlan) and helper.check("organization", plan, EXAMPLE) == []
    return plan.model_dump(mode="json")


def _planted(helper: Assistant, plan: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> list[tuple[str, str]]:
    edited = {**plan, "stations": [dict(s, operations=list(s["operations"])) for s in plan["stations"]]}
    edited["kanban"] = [dict(k) for k in plan["kanban"]]
    edit(edited)
    findings = helper.check("organization", edited, EXAMPLE)
    assert all(f.severity == Severity.ERROR for f in findings)
    return [(f.rule, f.operation or f.feature or "") for f in findings]


def _station(plan: dict[str, Any], n: int) -> dict[str, Any]:
    return plan["stations"][n - 1]


def test_a_station_over_takt(helper: Assistant, correct: dict[str, Any]) -> None:
    def move_d(plan: dict[str, Any]) -> None:  # B before D holds: D joins A and B in station 1 (2.2 min)
        _station(plan, 1)["operations"].append("D")
        _station(plan, 1)["load_min"] = 2.2
        _station(plan, 2)["operations"].remove("D")
        _station(plan, 2)["load_min"] = 1.1

    assert _planted(helper, correct, move_d) == [(OrgRule.STATION_OVER_TAKT, "station 1")]


def test_an_element_in_no_station_in_two_or_unknown(helper: Assistant, correct: dict[str, Any]) -> None:
    def drop_d(plan: dict[str, Any]) -> None:
        _station(plan, 2)["operations"].remove("D")
        _station(plan, 2)["load_min"] = 1.1
        plan["total_work_min"] = 2.6

    found = _planted(helper, correct, drop_d)
    assert found[0] == (OrgRule.ELEMENT_ASSIGNMENT, "D") and (OrgRule.EFFICIENCY, "total_work_min") in found

    def twice(plan: dict[str, Any]) -> None:
        _station(plan, 1)["operations"].append("Z")

    assert _planted(helper, correct, twice) == [(OrgRule.ELEMENT_ASSIGNMENT, "Z")]

    def repeat_a(plan: dict[str, Any]) -> None:
        _station(plan, 2)["operations"].insert(0, "A")
        _station(plan, 2)["load_min"] = 2.4

    assert _planted(helper, correct, repeat_a) == [
        (OrgRule.ELEMENT_ASSIGNMENT, "A"),
        (OrgRule.STATION_OVER_TAKT, "station 2"),
    ]


def test_a_predecessor_in_a_later_station(helper: Assistant, correct: dict[str, Any]) -> None:
    def swap(plan: dict[str, Any]) -> None:
        first, second = _station(plan, 1), _station(plan, 2)
        first["operations"], second["operations"] = second["operations"], first["operations"]
        first["load_min"], second["load_min"] = second["load_min"], first["load_min"]

    assert _planted(helper, correct, swap) == [(OrgRule.PRECEDENCE_ORDER, "C"), (OrgRule.PRECEDENCE_ORDER, "D")]


def test_a_load_that_is_not_its_elements_sum(helper: Assistant, correct: dict[str, Any]) -> None:
    found = _planted(helper, correct, lambda plan: _station(plan, 2).update(load_min=1.7))
    assert found == [(OrgRule.STATION_LOAD, "station 2")]


def test_efficiency_and_balance_delay(helper: Assistant, correct: dict[str, Any]) -> None:
    assert _planted(helper, correct, lambda plan: plan.update(efficiency=0.9)) == [
        (OrgRule.EFFICIENCY, "efficiency"),
        (OrgRule.EFFICIENCY, "balance_delay"),
    ]
    assert _planted(helper, correct, lambda plan: plan.update(balance_delay=0.2)) == [
        (OrgRule.EFFICIENCY, "balance_delay")
    ]


def test_kanban_cards_not_by_the_formula(helper: Assistant, correct: dict[str, Any]) -> None:
    found = _planted(helper, correct, lambda plan: plan["kanban"][0].update(cards=20))
    assert found == [(OrgRule.KANBAN_CARDS, "Bar D55")]
    found = _planted(helper, correct, lambda plan: plan["kanban"][0].update(formula="ceil(480 * 1.5 / 40)"))
    assert found == [(OrgRule.KANBAN_CARDS, "Bar D55")]
    assert _planted(helper, correct, lambda plan: plan.update(kanban=[])) == [(OrgRule.KANBAN_CARDS, "Bar D55")]


def test_a_takt_that_is_not_the_inputs(helper: Assistant, correct: dict[str, Any]) -> None:
    def loosen(plan: dict[str, Any]) -> None:  # a longer takt hides nothing: loads are checked at the input's
        plan["takt_min"] = 2.0
        plan["efficiency"], plan["balance_delay"] = 0.825, 0.175

    assert _planted(helper, correct, loosen) == [(OrgRule.TAKT, "")]


def test_the_messages_say_what_is_wrong(helper: Assistant, correct: dict[str, Any]) -> None:
    edited = dict(correct, efficiency=0.9, stations=[dict(s) for s in correct["stations"]])
    edited["stations"][1]["load_min"] = 1.7
    messages = [f.message for f in helper.check("organization", edited, EXAMPLE)]
    assert "station 2: load_min is 1.7 but its elements take 1.8 min" in messages
    assert "efficiency is 0.9 but ΣT / (N × takt) = 3.3 / (2 × 1.875) = 0.88" in messages
    with pytest.raises(InputError, match="the plan is LINE-01 but the input is OTHER"):
        helper.check("organization", correct, {**yaml.safe_load(EXAMPLE.read_text()), "id": "OTHER"})
