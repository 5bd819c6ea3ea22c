"""Line balancing and staffing against hand-worked examples (takt-and-line-balancing.md, ORG_PLAN.md) and SALBP optima."""

from __future__ import annotations

import pytest

from assistant.engineering.balancing import (
    EXACT,
    RPW,
    BalancePlan,
    Station,
    balance_cycle,
    balance_exact,
    balance_rpw,
    ceil_ratio,
    min_stations,
    positional_weights,
)
from assistant.engineering.lean import ShiftPattern, available_time, takt_time
from assistant.engineering.precedence import Element, PrecedenceError, topological_order
from assistant.engineering.staffing import line_operators, machines_needed, station_operators
from evals.salbp import Instance, known_optima, parse_in2

E = Element

# ORG_PLAN.md: 2 shifts × (480 − 30) = 900 min for 480 pieces a day
SHAFT_LINE = [E("A", 0.6), E("B", 0.9, ("A",)), E("C", 1.1, ("B",)), E("D", 0.7, ("B",))]

# takt-and-line-balancing.md Table 1 (seconds), takt 112.5 s
TEXTBOOK = [
    E("A", 45),
    E("B", 30, ("A",)),
    E("C", 50, ("A",)),
    E("D", 40, ("B",)),
    E("E", 35, ("C",)),
    E("F", 25, ("C",)),
    E("G", 55, ("D", "E")),
    E("H", 30, ("F",)),
    E("I", 45, ("G", "H")),
    E("J", 40, ("I",)),
]

# Scholl's instances as in shared/benchmarks/salbp (one value per line in the files)
JACKSON = "11 6 2 5 7 1 2 3 6 5 5 4 1,2 1,3 1,4 1,5 2,6 3,7 4,7 5,7 6,8 7,9 8,10 9,11 10,11 -1,-1"
MANSOOR = "11 4 38 45 12 10 8 12 10 2 10 34 1,4 2,4 2,5 3,11 4,6 5,7 6,8 7,9 8,10 9,10 10,11 -1,-1"


def instance(text: str, name: str) -> Instance:
    return parse_in2("\n".join(text.split()), name)


def assert_feasible(plan: BalancePlan | tuple[Station, ...], elements: list[Element], cycle: float) -> None:
    """Every element in exactly one station, no station over the cycle, no predecessor in a later station."""
    stations = plan.stations if isinstance(plan, BalancePlan) else plan
    where = {e: s.n for s in stations for e in s.elements}
    assert sorted(where) == sorted(e.id for e in elements)
    assert sum(len(s.elements) for s in stations) == len(elements)
    assert [s.n for s in stations] == list(range(1, len(stations) + 1))
    times = {e.id: e.time for e in elements}
    for s in stations:
        assert s.load == pytest.approx(sum(times[e] for e in s.elements))
        assert s.over_cycle or s.load <= cycle + 1e-9
    for e in elements:
        for p in e.predecessors:
            assert where[p] <= where[e.id], (p, e.id)


# ---- minimum stations and the tolerance ---------------------------------------------------------


def test_org_plan_example_takt_and_minimum_stations():
    takt = takt_time(available_time(ShiftPattern(2, 480, 30)), 480).minutes
    assert takt == 1.875
    total = sum(e.time for e in SHAFT_LINE)
    assert min_stations(total, takt) == 2  # ceil(3.3 / 1.875) = ceil(1.76)


def test_float_rounding_never_adds_a_station():
    assert 0.1 + 0.2 != 0.3 and 0.3 / 0.1 != 3  # the floats that would add a station without a tolerance
    assert min_stations(0.1 + 0.2, 0.3) == 1
    assert min_stations(0.3, 0.1) == 3
    assert min_stations(3.75, 1.875) == 2
    assert min_stations(3.751, 1.875) == 3
    assert ceil_ratio(1.0000001, 1) == 2


def test_a_station_loaded_to_exactly_takt_is_feasible():
    elements = [E("a", 0.1), E("b", 0.2, ("a",)), E("c", 0.1, ("b",)), E("d", 0.2, ("c",))]
    for balance in (balance_rpw, balance_exact):
        plan = balance(elements, 0.3)
        assert [s.elements for s in plan.stations] == [("a", "b"), ("c", "d")]
        assert [s.load for s in plan.stations] == [0.3, 0.3]
        assert plan.efficiency == pytest.approx(1.0)
        assert plan.optimal and plan.over_cycle == ()


def test_rounding_goes_against_the_plan_below_a_thousandth():
    # 0.9244 + 0.9244 = 1.8488 > 1.8486: they must not share a station, though each fits
    plan = balance_exact([E("a", 0.9244), E("b", 0.9244)], 1.8486)
    assert plan.count == 2 and plan.over_cycle == ()
    # 0.924 + 0.925 = 1.849 > 1.8486: the cycle is not rounded up to 1.849
    plan = balance_exact([E("a", 0.924), E("b", 0.925)], 1.8486)
    assert plan.count == 2 and plan.cycle == 1.8486


def test_cycle_and_times_must_be_valid():
    with pytest.raises(ValueError, match="greater than zero"):
        min_stations(3.3, 0)
    with pytest.raises(ValueError, match="greater than zero"):
        balance_rpw(SHAFT_LINE, -1)
    with pytest.raises(ValueError, match="'B'.*-0.5"):
        balance_rpw([E("A", 1), E("B", -0.5)], 2)
    with pytest.raises(ValueError, match="no work elements"):
        balance_exact([], 2)
    with pytest.raises(ValueError, match="at least 1"):
        balance_cycle(SHAFT_LINE, 0)


# ---- precedence ---------------------------------------------------------------------------------


def test_topological_order_keeps_input_order_where_free():
    assert topological_order([E("C", 1, ("B",)), E("A", 1), E("B", 1, ("A",)), E("D", 1)]) == ("A", "B", "C", "D")


def test_cyclic_precedence_names_the_cycle():
    elements = [E("S", 1), E("A", 1, ("S", "C")), E("B", 1, ("A",)), E("C", 1, ("B",)), E("Z", 1, ("C",))]
    with pytest.raises(PrecedenceError, match="cyclic precedence: A → B → C → A") as caught:
        balance_rpw(elements, 5)
    assert caught.value.elements == ("A", "B", "C")


def test_an_element_that_precedes_itself_is_a_cycle():
    with pytest.raises(PrecedenceError, match="B → B") as caught:
        topological_order([E("A", 1), E("B", 1, ("B",))])
    assert caught.value.elements == ("B",)


def test_unknown_predecessor_is_named():
    with pytest.raises(PrecedenceError, match="'C' has unknown predecessor.*'X'") as caught:
        balance_exact([E("A", 1), E("C", 1, ("A", "X"))], 5)
    assert caught.value.elements == ("C", "X")
    assert isinstance(caught.value, ValueError)


def test_duplicate_element_is_named():
    with pytest.raises(PrecedenceError, match="'A' is listed twice"):
        topological_order([E("A", 1), E("A", 2)])


# ---- ranked positional weight -------------------------------------------------------------------


def test_positional_weights_of_table_1():
    assert positional_weights(TEXTBOOK) == {
        "A": 395,
        "B": 210,
        "C": 280,
        "D": 180,
        "E": 175,
        "F": 140,
        "G": 140,
        "H": 115,
        "I": 85,
        "J": 40,
    }


def test_rpw_gives_table_2():
    plan = balance_rpw(TEXTBOOK, 112.5)
    assert [(s.elements, s.load) for s in plan.stations] == [
        (("A", "C"), 95),
        (("B", "D", "E"), 105),
        (("G", "F", "H"), 110),  # G before F: equal weights, the longer element first (§4.7)
        (("I", "J"), 85),
    ]
    assert plan.method == RPW and plan.total_work == 395
    assert plan.lower_bound == 4 and plan.optimal and plan.gap == 0
    assert plan.efficiency == pytest.approx(0.878, abs=5e-4)  # §5.2
    assert plan.balance_delay == pytest.approx(0.122, abs=5e-4)  # §5.3
    assert plan.smoothness == pytest.approx(29.6, abs=0.05)  # §5.4: √(15² + 5² + 0² + 25²)
    assert_feasible(plan, TEXTBOOK, 112.5)


def test_org_plan_example_stations():
    plan = balance_exact(SHAFT_LINE, 1.875)
    assert [(s.n, s.elements, s.load) for s in plan.stations] == [(1, ("A", "B"), 1.5), (2, ("C", "D"), 1.8)]
    assert plan.total_work == 3.3
    assert plan.efficiency == pytest.approx(0.88)
    assert plan.balance_delay == pytest.approx(0.12)
    assert plan.method == RPW and plan.optimal  # RPW already meets ceil(3.3 / 1.875) = 2: no search needed


# ---- exact SALBP-1 and SALBP-2 ------------------------------------------------------------------


def test_exact_jackson_c10_improves_on_rpw():
    elements = instance(JACKSON, "JACKSON").elements()
    rpw = balance_rpw(elements, 10)
    plan = balance_exact(elements, 10)
    assert rpw.count == 6 and rpw.lower_bound == 5 and not rpw.optimal
    assert rpw.gap == pytest.approx(0.2)
    assert plan.count == 5 and plan.optimal and plan.lower_bound == 5 and plan.method == EXACT
    assert plan.heuristic_stations == 6 and plan.heuristic_gap == pytest.approx(0.2)
    assert_feasible(plan, elements, 10)


def test_exact_jackson_c7_proves_rpw_optimal_above_the_simple_bound():
    elements = instance(JACKSON, "JACKSON").elements()
    assert min_stations(46, 7) == 7
    plan = balance_exact(elements, 7)
    assert plan.count == 8 and plan.optimal and plan.lower_bound == 8
    assert_feasible(plan, elements, 7)


def test_exact_mansoor_c48():
    elements = instance(MANSOOR, "MANSOOR").elements()
    plan = balance_exact(elements, 48)
    assert (plan.heuristic_stations, plan.count, plan.optimal) == (5, 4, True)
    assert_feasible(plan, elements, 48)


@pytest.mark.parametrize(("cycle", "stations"), [(7, 8), (9, 6), (10, 5), (13, 4), (14, 4), (21, 3)])
def test_exact_reaches_every_jackson_optimum(cycle, stations):
    elements = instance(JACKSON, "JACKSON").elements()
    plan = balance_exact(elements, cycle)
    assert (plan.count, plan.optimal) == (stations, True)
    assert_feasible(plan, elements, cycle)


def test_exact_is_reproducible():
    elements = instance(MANSOOR, "MANSOOR").elements()
    assert balance_exact(elements, 62) == balance_exact(elements, 62)


def test_salbp2_jackson_on_5_stations():
    elements = instance(JACKSON, "JACKSON").elements()
    plan = balance_cycle(elements, 5)
    assert plan.cycle == 10 and plan.optimal and plan.lower_bound == 10  # ceil(46 / 5) = 10 is reached
    assert plan.heuristic_cycle == 11
    assert len(plan.stations) == 5 and max(s.load for s in plan.stations) == 10
    assert plan.efficiency == pytest.approx(46 / 50)
    assert_feasible(plan.stations, elements, 10)


def test_salbp2_mansoor_on_4_stations_beats_rpw():
    elements = instance(MANSOOR, "MANSOOR").elements()
    plan = balance_cycle(elements, 4)
    assert (plan.heuristic_cycle, plan.cycle, plan.optimal, plan.method) == (52, 48, True, EXACT)
    assert_feasible(plan.stations, elements, 48)


def test_salbp2_with_decimal_times():
    plan = balance_cycle(SHAFT_LINE, 2)
    assert plan.cycle == 1.8 and plan.lower_bound == 1.8 and plan.optimal  # A+B 1.5 | C+D 1.8; C with A+B = 2.6


# ---- an element longer than the cycle -----------------------------------------------------------


def test_an_element_longer_than_takt_gets_its_own_marked_station():
    elements = [E("A", 0.5), E("B", 2.5, ("A",)), E("C", 0.5, ("B",)), E("D", 0.4)]
    for balance in (balance_rpw, balance_exact):
        plan = balance(elements, 1.0)
        assert plan.over_cycle == ("B",)
        over = [s for s in plan.stations if s.over_cycle]
        assert [(s.elements, s.load) for s in over] == [(("B",), 2.5)]
        assert plan.count == 3  # A+D | B | C: the rest is still balanced
        assert_feasible(plan, elements, 1.0)


def test_an_element_of_exactly_takt_is_not_over():
    plan = balance_exact([E("A", 0.1 + 0.2), E("B", 0.3, ("A",))], 0.3)
    assert plan.over_cycle == () and plan.count == 2 and plan.efficiency == pytest.approx(1)


# ---- equipment and workforce --------------------------------------------------------------------


def test_machines_needed():
    two = machines_needed(900, 450)  # a load of exactly twice the available time: two machines, fully used
    assert (two.machines, two.utilisation) == (2, 1.0)
    three = machines_needed(901, 450)
    assert three.machines == 3 and three.utilisation == pytest.approx(901 / 1350)
    assert machines_needed(0.1 + 0.2, 0.3).machines == 1
    assert machines_needed(0, 450).machines == 1
    with pytest.raises(ValueError, match="available time"):
        machines_needed(10, 0)


def test_operators_per_station_and_line():
    plan = balance_exact([E("A", 0.5), E("B", 2.5, ("A",)), E("C", 0.5, ("B",)), E("D", 0.4)], 1.0)
    assert [station_operators(s, plan.cycle) for s in plan.stations] == [1, 3, 1]  # ceil(2.5 / 1) parallel
    assert station_operators(plan.stations[0], plan.cycle, crew=2) == 2
    assert line_operators(plan) == 5
    assert line_operators(plan, {1: 2}) == 6
    with pytest.raises(ValueError, match="crew"):
        station_operators(plan.stations[0], plan.cycle, crew=0)


# ---- the .IN2 reader ----------------------------------------------------------------------------


def test_in2_reader():
    jackson = instance(JACKSON, "JACKSON")
    assert jackson.times == (6, 2, 5, 7, 1, 2, 3, 6, 5, 5, 4) and sum(jackson.times) == 46
    assert jackson.precedence[:2] == ((1, 2), (1, 3)) and len(jackson.precedence) == 13
    elements = jackson.elements()
    assert elements[6] == E("7", 3.0, ("3", "4", "5"))


def test_in2_reader_rejects_bad_files():
    with pytest.raises(ValueError, match="-1,-1"):
        parse_in2("2\n1\n2\n1,2\n", "X")
    with pytest.raises(ValueError, match="outside"):
        parse_in2("2\n1\n2\n1,3\n-1,-1\n", "X")
    with pytest.raises(ValueError, match="3 tasks declared, 2"):
        parse_in2("3\n1\n2\n", "X")


def test_known_optima_leave_out_the_unverified():
    readme = (
        "| instance | tasks | total time | c → m* |\n|---|---|---|---|\n"
        "| JACKSON | 11 | 46 | 7→8, 9→6 |\n"
        "| TONGE70 | 70 | 3510 | 410→9 (c=364: literature reports 10; not verified here) |\n"
    )
    assert known_optima(readme) == [("JACKSON", 7, 8), ("JACKSON", 9, 6), ("TONGE70", 410, 9)]
