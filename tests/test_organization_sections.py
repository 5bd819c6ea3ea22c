"""The optional sections of an organizational plan: the simulation (deterministic with a seed, checked against the
analytic case, throughput below demand named at its bottleneck), the launch schedule (Johnson's worked example, batches
as jobs), cost (the worked example of line-simulation-and-scheduling.md 7.9) and the break-even batch of a real part
between its universal and CNC routes, the 5S plan and SALBP-2."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.engineering.costing import EquipmentVariant
from assistant.stages.findings import Severity
from assistant.stages.organization.model import OrgRule
from assistant.stages.organization.plan import OrgPlan
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evals" / "datasets" / "organization" / "LINE-01.yaml"
PART = ROOT / "evals" / "datasets" / "parts" / "SH-001.yaml"


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("org-sections") / "home"))


def _example(**sections: Any) -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text())) | sections


def _plan(helper: Assistant, source: Any) -> OrgPlan:
    plan = helper.draft("organization", source)
    assert isinstance(plan, OrgPlan)
    return plan


# ---- simulation


def test_the_simulation_is_the_same_for_the_same_seed(helper: Assistant) -> None:
    data = _example(simulation={"cv": 0.3, "buffer": 2, "shifts": 2, "replications": 4, "seed": 11})
    first, again = _plan(helper, data).simulation, _plan(helper, data).simulation
    assert first is not None and first == again
    other = _plan(helper, _example(simulation={**data["simulation"], "seed": 12})).simulation
    assert other is not None and other.throughput_per_shift != first.throughput_per_shift
    assert first.shift_min == 450 and first.warmup_min == 45  # 480 − 30; one tenth of the shift
    assert first.demand_per_shift == 240  # 480 a day over 2 shifts = 450 / 1.875
    assert first.station_times_min == [1.5, 1.8] and first.replications == 4 and first.seed == 11
    (buffer,) = first.buffers
    assert buffer.after == 1 and buffer.capacity == 2 and len(buffer.times) == len(buffer.levels) == 200
    assert buffer.times[-1] == pytest.approx(45 + 2 * 450)  # warm-up and the measured shifts


def test_a_deterministic_line_makes_one_piece_per_longest_station_time(helper: Assistant) -> None:
    plan = _plan(helper, _example(simulation={"cv": 0, "buffer": 1, "shifts": 2, "replications": 2}))
    s = plan.simulation
    assert s is not None
    assert s.throughput_per_shift == pytest.approx(450 / 1.8, abs=1)  # §5.1: T / max t_i = 250 per shift
    assert s.meets_demand and s.bottleneck == 2 and s.utilisation[1] == pytest.approx(1, abs=0.01)
    assert not [f for f in plan.findings if f.rule == OrgRule.THROUGHPUT_BELOW_DEMAND]
    assert ("line-simulation-and-scheduling.md", "3.3") in {(c.doc, c.section) for c in plan.sources}


def test_throughput_below_demand_names_the_bottleneck_and_the_fixes(helper: Assistant) -> None:
    sim = {"cv": 0.5, "buffer": 1, "shifts": 2, "replications": 4, "seed": 3}
    sim["reliability"] = {2: {"mtbf_min": 60, "mttr_min": 15}}
    plan = _plan(helper, _example(simulation=sim))
    s = plan.simulation
    assert s is not None and not s.meets_demand and s.bottleneck == 2 and s.ci_low < 240
    (slow,) = [f for f in plan.findings if f.rule == OrgRule.THROUGHPUT_BELOW_DEMAND]
    assert slow.severity == Severity.WARNING and slow.operation == "station 2"
    assert "the bottleneck is station 2" in slow.message
    assert "a bigger buffer before station 2 (now 1 places), a parallel station 2" in slow.message


# ---- launch schedule


def test_johnsons_worked_example_as_a_schedule(helper: Assistant) -> None:
    times = {"J1": [5, 2], "J2": [1, 6], "J3": [9, 7], "J4": [3, 8], "J5": [10, 4]}
    plan = _plan(helper, _example(schedule={"jobs": [{"id": j, "times_min": t} for j, t in times.items()]}))
    s = plan.schedule
    assert s is not None and s.method == "Johnson's rule" and s.optimal
    assert s.sequence == ["J2#1", "J4#1", "J3#1", "J5#1", "J1#1"] and s.makespan_min == 30  # §6.3
    first = [t for t in s.gantt if t.job == "J2#1"]
    assert [(t.machine, t.start, t.end) for t in first] == [(1, 0, 1), (2, 1, 7)]
    assert max(t.end for t in s.gantt) == 30
    assert ("line-simulation-and-scheduling.md", "6.3") in {(c.doc, c.section) for c in plan.sources}


def test_batches_of_a_product_are_jobs_with_setup_and_the_remainder(helper: Assistant) -> None:
    jobs = [
        {"id": "P1", "times_min": [0.5, 0.2], "setup_min": [10, 5], "batch_size": 100, "quantity": 250},
        {"id": "P2", "times_min": [0.1, 0.4], "batch_size": 50, "quantity": 50},
    ]
    s = _plan(helper, _example(schedule={"jobs": jobs})).schedule
    assert s is not None
    batches = {j.job: (j.pieces, j.times_min) for j in s.jobs}
    assert batches == {  # setup + piece × pieces; the last batch holds the remainder
        "P1#1": (100, [60, 25]),
        "P1#2": (100, [60, 25]),
        "P1#3": (50, [35, 15]),
        "P2#1": (50, [5, 20]),
    }
    assert s.sequence[0] == "P2#1"  # the only job with p1 < p2 goes first


def test_jobs_from_routing_drafts(helper: Assistant, tmp_path: Path) -> None:
    route = helper.draft("routing", PART)
    (tmp_path / "SH-001.json").write_bytes(helper.export("routing", route, "json"))
    data = _example(schedule={"jobs": [{"id": "SH", "routing": "SH-001.json", "batch_size": 10, "quantity": 20}]})
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(data))
    s = _plan(helper, tmp_path / "plan.yaml").schedule
    assert s is not None and sorted(s.sequence) == ["SH#1", "SH#2"] and s.method == "CP-SAT" and s.optimal
    expected = [round((op.setup_time_min or 0) + 10 * (op.piece_time_min or 0), 4) for op in route.operations]
    assert s.jobs[0].times_min == expected


# ---- cost and break-even


def test_the_worked_cost_example_of_clause_7_9(helper: Assistant) -> None:
    operations = [
        {"id": "CUT", "time_min": 1.2, "setup_min": 10, "machine_rate": 1200},
        {"id": "TURN", "time_min": 6.0, "setup_min": 60, "machine_rate": 3000, "predecessors": ["CUT"]},
        {"id": "MILL", "time_min": 3.0, "setup_min": 30, "machine_rate": 1800, "predecessors": ["TURN"]},
    ]
    costs = {"material_price_per_kg": 120, "blank_mass_kg": 2.6, "waste_kg": 0.8, "waste_price_per_kg": 15}
    costs |= {"batch_size": 100, "fixed_per_year": 250000}
    data = {"id": "COST", "takt_min": 10, "demand": {"annual": 5000}, "operations": operations, "costs": costs}
    c = _plan(helper, data).cost
    assert c is not None
    # 24 + 2, 300 + 30, 90 + 9 = 455; material 2.6 × 120 − 0.8 × 15 = 300; fixed 250000 / 5000 = 50
    assert [(x.processing, x.setup_share, x.cost) for x in c.lines] == [(24, 2, 26), (300, 30, 330), (90, 9, 99)]
    assert (c.material, c.machining, c.fixed_per_piece, c.per_piece) == (300, 455, 50, 805)
    assert c.per_year == 805 * 5000 and c.annual_demand == 5000
    table = {(r.demand_factor, r.batch_size): r.per_piece for r in c.sensitivity}
    assert set(table) == {(f, b) for f in (0.7, 1.0, 1.3) for b in (50, 100, 200)}
    assert table[1.0, 50] == 805 + 41  # the setup shares double from 41 to 82
    assert table[0.7, 100] == pytest.approx(755 + 250000 / 3500, abs=1e-4)
    assert c.break_even is None


def test_the_break_even_batch_of_a_real_part(helper: Assistant) -> None:
    data = _example(costs={"material_price_per_kg": 1.1, "part": str(PART)})
    c = _plan(helper, data).cost
    assert c is not None and c.break_even is not None
    b = c.break_even
    catalog = load_catalog()
    for variant, name in zip(b.variants, ("universal", "cnc"), strict=True):
        route = helper.draft("routing", PART, options={"equipment": name})
        pieces = [op.piece_time_min or 0 for op in route.operations]
        rates = [m.hourly_cost if (m := catalog.machine(op.equipment.model)) else 30.0 for op in route.operations]
        assert variant.name == name
        assert variant.setup_min == pytest.approx(sum(op.setup_time_min or 0 for op in route.operations))
        assert variant.piece_min == pytest.approx(sum(pieces))
        assert variant.rate_per_h == pytest.approx(
            sum(p * r for p, r in zip(pieces, rates, strict=True)) / sum(pieces), abs=1e-4
        )
    universal, cnc = (EquipmentVariant(v.name, v.setup_min, v.piece_min, v.rate_per_h) for v in b.variants)
    assert b.part_id == "SH-001" and b.formula.startswith(f"n* = ({cnc.rate_per_hour:g}·{cnc.setup_min:g} − ")
    if b.batch_size is None:  # one variant is no dearer at every batch size
        cheaper = universal if b.cheaper_large == "universal" else cnc
        dearer = cnc if cheaper is universal else universal
        assert all(cheaper.cost_per_piece(n) <= dearer.cost_per_piece(n) for n in (1, 10, 100, 10000))
    else:
        assert universal.cost_per_piece(b.batch_size) == pytest.approx(cnc.cost_per_piece(b.batch_size))


# ---- 5S and SALBP-2


def test_the_5s_plan_has_the_workplace_types_of_the_line(helper: Assistant) -> None:
    data = _example(kanban=[])
    data["operations"].append({"id": "E", "name": "Final inspection", "time_min": 0.5, "predecessors": ["C", "D"]})
    plan = _plan(helper, data)
    kinds = {c.workplace for c in plan.five_s}
    assert kinds == {"machining station", "inspection station"}  # E "Final inspection" alone in station 3
    assert all(c.source.doc == "lean-5s.md" for c in plan.five_s) and not plan.supply


def test_salbp2_gives_the_least_cycle_on_the_stations(helper: Assistant) -> None:
    s = _plan(helper, _example(salbp2={"stations": 3})).salbp2
    assert s is not None and s.stations == 3
    # A+B | C | D = 1.5; splitting A from B puts D or C beside B (1.6, 2.0) or C beside D (1.8)
    assert s.cycle_min == 1.5 and s.optimal
    assert sorted(x.operations for x in s.assignment) == [["A", "B"], ["C"], ["D"]]
