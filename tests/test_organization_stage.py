"""The organizational stage end to end: the contract's example plan (figures checked by hand), a plan from a routing
draft, an element longer than takt, a SALBP benchmark instance as a plan, and the summary an LLM may reword (refused
when it adds a figure, kept offline when the LLM fails)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from langchain_core.messages import BaseMessage

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.errors import ProviderError
from assistant.llm.providers import CHAT_PROVIDERS
from assistant.resources import knowledge_dir
from assistant.stages.findings import Severity
from assistant.stages.organization.model import OrgRule
from assistant.stages.organization.plan import OrgPlan
from evals.salbp import read_in2
from tests.conftest import make_settings
from tests.scripted import prompt_text, raising, scripted_provider

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evals" / "datasets" / "organization" / "LINE-01.yaml"
PART = ROOT / "evals" / "datasets" / "parts" / "SH-001.yaml"
CONTRACT_KEYS = [
    "plan_id",
    "available_min_per_day",
    "takt_min",
    "total_work_min",
    "min_stations",
    "stations",
    "efficiency",
    "balance_delay",
    "method",
    "kanban",
    "findings",
    "provider",
]


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("org-stage") / "home"))


def _plan(helper: Assistant, source: Any, provider: str | None = None) -> OrgPlan:
    plan = helper.draft("organization", source, provider=provider)
    assert isinstance(plan, OrgPlan)
    return plan


def _example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text())


# ---- the contract's example


def test_the_contract_example_end_to_end(helper: Assistant) -> None:
    plan = _plan(helper, EXAMPLE)
    shown = json.loads(helper.export("organization", plan, "json", EXAMPLE))
    assert list(shown)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    # by hand: available = 2 × (480 − 30) = 900 min; takt = 900 / 480 = 1.875 min; ΣT = 0.6 + 0.9 + 1.1 + 0.7 = 3.3
    assert shown["available_min_per_day"] == 900.0 and shown["takt_min"] == 1.875 and shown["total_work_min"] == 3.3
    assert shown["min_stations"] == 2  # ceil(3.3 / 1.875) = ceil(1.76)
    # RPW: weights A 3.3, B 2.7, C 1.1, D 0.7; A + B = 1.5, C does not fit (2.6 > 1.875): C + D = 1.8
    assert shown["stations"] == [
        {"n": 1, "operations": ["A", "B"], "load_min": 1.5},
        {"n": 2, "operations": ["C", "D"], "load_min": 1.8},
    ]
    assert shown["efficiency"] == 0.88 and shown["balance_delay"] == 0.12  # 3.3 / (2 × 1.875)
    assert shown["method"] == "ranked positional weight"
    # ceil(480 × 1.5 × 1.15 / 40) = ceil(828 / 40) = ceil(20.7) = 21
    assert shown["kanban"] == [{"item": "Bar D55", "cards": 21, "formula": "ceil(480 * 1.5 * 1.15 / 40)"}]
    assert shown["findings"] == [] and shown["provider"] == "offline"
    # the optional sections a plain plan has; none of schedule, cost, simulation, salbp2
    assert set(shown) - set(CONTRACT_KEYS) == {"summary", "balance", "equipment", "supply", "five_s", "sources"}
    assert shown["balance"] | {"seconds": 0} == {
        "heuristic_stations": 2,
        "heuristic_gap": 0.0,
        "optimal": True,
        "lower_bound": 2,
        "seconds": 0,
    }
    assert shown["equipment"] == [  # 1.5 / 1.875 and 1.8 / 1.875
        {"station": 1, "machines": 1, "utilisation": 0.8, "operators": 1},
        {"station": 2, "machines": 1, "utilisation": 0.96, "operators": 1},
    ]
    # 480 / 40 = 12 deliveries a day, one every 900 / 12 = 75 min; at most 21 × 40 = 840 pieces in the loop
    assert shown["supply"] == [
        {
            "item": "Bar D55",
            "station": 1,
            "container": 40.0,
            "deliveries_per_day": 12.0,
            "every_min": 75.0,
            "max_inventory": 840.0,
        }
    ]
    assert {c["workplace"] for c in shown["five_s"]} == {"machining station", "storage / supermarket"}
    cited = {(c["doc"], c["section"]) for c in shown["sources"]}
    assert {("takt-and-line-balancing.md", "2.2"), ("lean-kanban.md", "4.1"), ("lean-5s.md", "5.1")} <= cited
    assert ("workplace-and-supply-planning.md", "6.3") in cited
    assert shown["summary"].startswith("Line LINE-01: takt 1.875 min (900 min available a day).")
    assert helper.check("organization", plan, EXAMPLE) == []


def test_annual_demand_and_takt_alone(helper: Assistant) -> None:
    data = _example()
    data["demand"] = {"annual": 120000}  # 120000 / 250 = 480 a day
    assert _plan(helper, data).takt_min == 1.875
    data = _example()
    del data["demand"]
    data["takt_min"] = 1.8
    plan = _plan(helper, data)
    assert plan.takt_min == 1.8 and plan.available_min_per_day is None
    assert plan.stations[1].load_min == 1.8  # a station loaded to exactly takt is feasible


# ---- a plan from a routing draft


def test_a_routing_draft_becomes_the_work_elements(helper: Assistant, tmp_path: Path) -> None:
    route = helper.draft("routing", PART)
    (tmp_path / "routings").mkdir()
    (tmp_path / "routings" / "SH-001.json").write_bytes(helper.export("routing", route, "json"))
    data = {"id": "SH-LINE", "demand": {"per_day": 160}, "calendar": {"shifts": 2, "breaks_min": 30}}
    data |= {"routing": "routings/SH-001.json", "costs": {"material_price_per_kg": 1.1}}
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(data))
    plan = _plan(helper, tmp_path / "plan.yaml")
    numbers = [op.number for op in route.operations]
    assert [e for s in plan.stations for e in s.operations] == numbers  # in order: each after the previous one
    assert plan.total_work_min == pytest.approx(sum(op.piece_time_min or 0 for op in route.operations))
    assert plan.takt_min == 5.625  # 900 / 160
    catalog = load_catalog()
    assert plan.cost is not None
    for line, op in zip(plan.cost.lines, route.operations, strict=True):
        machine = catalog.machine(op.equipment.model)
        assert line.element == op.number and line.machine_min == op.piece_time_min
        assert line.setup_min == op.setup_time_min
        assert line.rate_per_h == (machine.hourly_cost if machine else 30.0)
    assert route.blank is not None and plan.cost.material == pytest.approx(route.blank.consumption_kg * 1.1, abs=1e-4)
    assert helper.check("organization", plan, tmp_path / "plan.yaml") == []


# ---- an element longer than takt


def test_an_element_over_takt_is_an_error_and_the_plan_is_still_produced(helper: Assistant) -> None:
    data = _example()
    del data["demand"]
    data["takt_min"] = 1.0
    plan = _plan(helper, data)
    (over,) = [f for f in plan.findings if f.rule == OrgRule.ELEMENT_OVER_TAKT]
    assert over.severity == Severity.ERROR and over.operation == "C"
    assert "n = ceil(1.1 / 1) = 2 parallel stations" in over.message and "split the element" in over.message
    alone = next(s for s in plan.stations if "C" in s.operations)
    assert alone.operations == ["C"] and alone.load_min == 1.1
    assert next(e for e in plan.equipment if e.station == alone.n).machines == 2  # ceil(1.1 / 1.0)
    assert sorted(e for s in plan.stations for e in s.operations) == ["A", "B", "C", "D"]
    assert ("takt-and-line-balancing.md", "6.2") in {(c.doc, c.section) for c in plan.sources}
    assert helper.check("organization", plan, data) == []  # alone in its station: not a station over takt


# ---- a SALBP benchmark instance as a plan


def test_jackson_at_cycle_10_needs_5_stations(helper: Assistant) -> None:
    instance = read_in2(Path(__file__).resolve().parent.parent / "evals" / "datasets" / "salbp" / "JACKSON.IN2")
    operations = [{"id": e.id, "time_min": e.time, "predecessors": list(e.predecessors)} for e in instance.elements()]
    plan = _plan(helper, {"id": "JACKSON", "takt_min": 10, "operations": operations, "salbp2": {"stations": 5}})
    assert len(plan.stations) == 5 and plan.min_stations == 5  # ceil(46 / 10); the README's 10→5
    assert plan.balance is not None and plan.balance.optimal and plan.balance.lower_bound == 5
    assert all(s.load_min <= 10 for s in plan.stations)
    assert plan.salbp2 is not None and plan.salbp2.cycle_min <= 10 and plan.salbp2.cycle_min >= math.ceil(46 / 5)
    assert helper.check("organization", plan, {"id": "JACKSON", "takt_min": 10, "operations": operations}) == []


# ---- the summary an LLM may reword


@pytest.fixture
def fresh(tmp_path: Path) -> Assistant:
    """An assistant without an LLM cache (models are cached per assistant and provider name)."""
    return Assistant(make_settings(tmp_path / "home", cache_enabled=False))


def _summary(messages: list[BaseMessage]) -> str:
    return prompt_text(messages).split("<draft_summary>\n")[1].split("\n</draft_summary>")[0]


def test_an_llm_rewords_the_summary_from_the_plans_figures(fresh: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[BaseMessage]] = []
    script = scripted_provider(lambda m: f"In short: {_summary(m)}", seen)
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", script)
    offline = _plan(fresh, EXAMPLE)
    worded = _plan(fresh, EXAMPLE, provider="scripted")
    assert worded.provider == "scripted:script-1" and worded.summary == f"In short: {offline.summary}"
    assert worded.model_dump(exclude={"summary", "provider"}) == offline.model_dump(exclude={"summary", "provider"})
    assert '"takt_min":1.875' in prompt_text(seen[0]) and "<passages>\n(none)\n</passages>" in prompt_text(seen[0])


def test_a_summary_with_a_figure_the_plan_lacks_is_refused(fresh: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(lambda m: "Takt is 2.5 min on 3 stations."))
    offline = _plan(fresh, EXAMPLE)
    worded = _plan(fresh, EXAMPLE, provider="scripted")
    assert worded.summary == offline.summary and worded.provider == "offline"
    (refused,) = worded.findings
    assert refused.rule == OrgRule.FIGURES and refused.severity == Severity.WARNING
    assert (
        refused.message == "the LLM's summary states figures the plan does not have (2.5); the offline summary is kept"
    )


def test_a_failed_llm_keeps_the_offline_summary_with_a_warning(
    fresh: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = raising(ProviderError("the LLM endpoint http://127.0.0.1:9/v1 did not answer"))
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(failing))
    offline = _plan(fresh, EXAMPLE)
    drafted = _plan(fresh, EXAMPLE, provider="scripted")
    assert drafted.summary == offline.summary and drafted.provider == "offline"
    (failed,) = drafted.findings
    assert failed.rule == OrgRule.LLM_FAILED and failed.severity == Severity.WARNING
    assert failed.message.startswith("scripted model script-1: ") and "did not answer" in failed.message
    assert failed.message.endswith("; the offline summary is kept")


@pytest.mark.slow
def test_the_llm_summary_cites_the_retrieved_passages(
    tmp_path: Path, embeddings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = Assistant(make_settings(tmp_path / "home", cache_enabled=False))
    helper.index._embeddings = embeddings
    helper.ingest([knowledge_dir() / "corpus" / "takt-and-line-balancing.md"])
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(lambda m: f"{_summary(m)} [1]"))
    worded = _plan(helper, EXAMPLE, provider="scripted")
    assert worded.provider == "scripted:script-1"
    assert (
        worded.summary is not None and worded.summary.endswith("]") and "takt-and-line-balancing.md" in worded.summary
    )


# ---- the command line


@pytest.mark.slow
def test_prepro_draft_organization(tmp_path: Path) -> None:
    from tests.test_cli_knowledge import prepro

    shown = prepro("draft", "organization", str(EXAMPLE), "--format", "json", home=tmp_path / "home")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["kanban"][0]["cards"] == 21
    made = prepro("draft", "organization", str(EXAMPLE), "-f", "loads", "-o", str(tmp_path / "l.png"), home=tmp_path)
    assert made.returncode == 0 and (tmp_path / "l.png").read_bytes().startswith(b"\x89PNG")
    data = _example()
    data["operations"][0]["predecessors"] = ["B"]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data))
    bad = prepro("draft", "organization", str(tmp_path / "bad.yaml"), home=tmp_path / "home")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: LINE-01/operations: cyclic precedence: A → B → A"
