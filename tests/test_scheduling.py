"""Flow-shop launch schedules: Johnson, NEH and CP-SAT against hand figures and brute force (§6)."""

from __future__ import annotations

import itertools
import random

import pytest

from assistant.engineering.scheduling import FlowShop, exact, gantt, johnson, launch_schedule, makespan, neh


def shop(times: list[tuple[float, ...]]) -> FlowShop:
    machines = tuple(f"M{k + 1}" for k in range(len(times[0])))
    return FlowShop(tuple(f"J{j + 1}" for j in range(len(times))), machines, tuple(times))


def brute_force(flow_shop: FlowShop) -> float:
    return min(makespan(flow_shop, order) for order in itertools.permutations(flow_shop.jobs))


def random_shop(rng: random.Random, jobs: int, machines: int) -> FlowShop:
    return shop([tuple(float(rng.randint(1, 20)) for _ in range(machines)) for _ in range(jobs)])


# Two machines, worked example of §6.3: J2, J4 have p1 < p2 (by p1: J2, J4); J3, J5, J1 by p2 descending.
TWO = shop([(5, 2), (1, 6), (9, 7), (3, 8), (10, 4)])
# Three machines, worked example of §6.5: NEH gives 41, the optimum is 38 (= min p1 + Σ p2 + min p3, a bound).
THREE = shop([(9, 9, 2), (3, 9, 1), (4, 4, 8), (3, 5, 4), (1, 9, 8)])


def test_makespan_recursion_by_hand():
    # M1 ends 1, 4, 13, 23, 28; M2: 7, 15, 22, 27, 30
    assert makespan(TWO, ["J2", "J4", "J3", "J5", "J1"]) == 30
    # as given: M1 ends 5, 6, 15, 18, 28; M2: 7, 13, 22, 30, 34
    assert makespan(TWO, ["J1", "J2", "J3", "J4", "J5"]) == 34


def test_johnson_on_the_worked_example_is_optimal():
    schedule = johnson(TWO)
    assert schedule.sequence == ("J2", "J4", "J3", "J5", "J1")
    assert schedule.makespan == 30  # = Σ p1 (28) + the smallest p2 (2): no schedule can be shorter
    assert schedule.optimal
    assert brute_force(TWO) == 30


def test_johnson_is_optimal_on_random_two_machine_shops():
    rng = random.Random(11)
    for _ in range(15):
        flow_shop = random_shop(rng, rng.randint(2, 6), 2)
        assert johnson(flow_shop).makespan == brute_force(flow_shop)


def test_johnson_refuses_three_machines():
    with pytest.raises(ValueError, match="two machines"):
        johnson(THREE)


def test_neh_and_exact_on_the_three_machine_example():
    heuristic, optimum = neh(THREE), exact(THREE)
    assert heuristic.makespan == 41
    assert not heuristic.optimal
    assert optimum.makespan == 38 == brute_force(THREE)
    assert optimum.optimal
    assert optimum.makespan == makespan(THREE, optimum.sequence)


def test_exact_matches_brute_force_and_never_loses_to_neh():
    rng = random.Random(5)
    for _ in range(6):
        flow_shop = random_shop(rng, rng.randint(3, 6), rng.randint(3, 4))
        best, heuristic = exact(flow_shop), neh(flow_shop)
        assert best.optimal
        assert best.makespan == brute_force(flow_shop) <= heuristic.makespan


def test_exact_handles_decimal_minutes():
    flow_shop = shop([(1.25, 2.5, 0.75), (2.0, 0.5, 1.5), (0.25, 1.75, 2.25), (1.5, 1.0, 0.5)])
    best = exact(flow_shop)
    assert best.makespan == pytest.approx(brute_force(flow_shop))
    assert best.optimal


def test_exact_is_reproducible():
    flow_shop = random_shop(random.Random(2), 6, 3)
    assert exact(flow_shop, seed=3) == exact(flow_shop, seed=3)


def test_gantt_rows_respect_machines_and_routes():
    rows = gantt(THREE, ["J5", "J4", "J3", "J1", "J2"])
    assert len(rows) == 15
    assert max(row.end for row in rows) == 38
    for row in rows:
        j, k = THREE.jobs.index(row.job), THREE.machines.index(row.machine)
        assert row.end - row.start == THREE.times[j][k]
    for machine in THREE.machines:
        lane = sorted((r for r in rows if r.machine == machine), key=lambda r: r.start)
        assert all(a.end <= b.start for a, b in itertools.pairwise(lane))  # one job at a time
    for job in THREE.jobs:
        route = [r for r in rows if r.job == job]
        assert [r.machine for r in route] == ["M1", "M2", "M3"]
        assert all(a.end <= b.start for a, b in itertools.pairwise(route))  # machine k before k+1
    assert rows[0].start == 0


def test_launch_schedule_chooses_by_size_and_names_unknown_methods():
    assert launch_schedule(TWO).method == "Johnson's rule"
    assert launch_schedule(THREE).method == "CP-SAT"
    assert launch_schedule(THREE, exact_max_jobs=4).method == "NEH"
    assert launch_schedule(THREE, method="neh").makespan == 41
    with pytest.raises(ValueError, match="auto, johnson, neh, exact"):
        launch_schedule(THREE, method="spt")


@pytest.mark.parametrize(
    ("jobs", "times", "message"),
    [
        (("A", "A"), ((1.0,), (2.0,)), "unique"),
        (("A", "B"), ((1.0,),), "one row per job"),
        (("A",), ((-1.0,),), "≥ 0"),
    ],
)
def test_bad_shops_are_named(jobs, times, message):
    with pytest.raises(ValueError, match=message):
        FlowShop(jobs, ("M1",), times)


def test_a_sequence_must_name_every_job_once():
    with pytest.raises(ValueError, match="every job once"):
        makespan(TWO, ["J1", "J2"])
