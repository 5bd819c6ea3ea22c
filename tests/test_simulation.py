"""Serial-line simulation against analytic cases (line-simulation-and-scheduling.md §2-5)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.engineering.simulation import (
    Breakdowns,
    RunPlan,
    SerialLine,
    SimStation,
    StationStats,
    _draw,
    arrow_bottlenecks,
    bottleneck_by_activity,
    confidence_interval,
    serial_line,
    simulate,
    student_t,
)

SHIFT = 450.0  # 480 min less 30 min of breaks


def plan(shifts: float = 2, replications: int = 5, seed: int = 1, warmup: float = 60.0) -> RunPlan:
    return RunPlan(shift_min=SHIFT, shifts=shifts, warmup_min=warmup, replications=replications, seed=seed)


# ---- Student t and the confidence interval (§3.3) -----------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "df", "table"),
    [
        (0.95, 1, 12.706),
        (0.95, 2, 4.303),
        (0.95, 4, 2.776),
        (0.95, 9, 2.262),
        (0.95, 29, 2.045),
        (0.90, 9, 1.833),
        (0.99, 4, 4.604),
        (0.99, 9, 3.250),
        (0.80, 19, 1.328),
    ],
)
def test_student_t_matches_the_printed_table(confidence, df, table):
    assert student_t(confidence, df) == pytest.approx(table, abs=5e-4)


def test_student_t_matches_scipy_to_eight_decimals():
    stats = pytest.importorskip("scipy.stats")
    for df in range(1, 61):
        for confidence in (0.8, 0.9, 0.95, 0.99, 0.999):
            assert student_t(confidence, df) == pytest.approx(stats.t.ppf((1 + confidence) / 2, df), abs=1e-8)


def test_confidence_interval_worked_example():
    # mean 12, s = 2, n = 3: 12 ± 4.303 × 2 / √3 = 12 ± 4.969
    interval = confidence_interval([10.0, 12.0, 14.0], 0.95)
    assert interval.mean == 12.0
    assert interval.half_width == pytest.approx(4.3027 * 2 / math.sqrt(3), abs=1e-3)
    assert (interval.low, interval.high) == pytest.approx((12 - interval.half_width, 12 + interval.half_width))


def test_confidence_interval_needs_two_values_and_a_sensible_confidence():
    with pytest.raises(ValueError, match="at least 2"):
        confidence_interval([1.0], 0.95)
    with pytest.raises(ValueError, match="confidence"):
        student_t(1.0, 5)


# ---- process times (§2.2) -----------------------------------------------------------------------


def test_lognormal_draws_have_the_station_mean_and_cv():
    draw = _draw(SimStation("S", 2.0, cv=0.5), np.random.default_rng(3))
    values = np.array([draw() for _ in range(40_000)])
    assert values.mean() == pytest.approx(2.0, rel=0.015)
    assert values.std() / values.mean() == pytest.approx(0.5, rel=0.03)
    assert _draw(SimStation("S", 2.0), np.random.default_rng(3))() == 2.0


# ---- analytic case (a): a deterministic line (§5.1) ---------------------------------------------


@pytest.mark.parametrize("buffer", [0, 1, 3])
def test_deterministic_line_makes_shift_time_over_the_slowest_station(buffer):
    result = simulate(serial_line([1.0, 1.5, 1.2], buffer=buffer), plan())
    assert abs(result.throughput_per_shift.mean - SHIFT / 1.5) <= 1  # 300 per shift
    assert result.throughput_per_shift.half_width == 0  # no variability: every replication the same
    assert [s.utilisation for s in result.stations] == pytest.approx([1.0 / 1.5, 1.0, 1.2 / 1.5], abs=0.01)
    assert result.bottleneck == 2
    assert result.arrow_bottlenecks == (2,)


def test_deterministic_line_with_a_cycle_that_does_not_divide_the_shift():
    result = simulate(serial_line([0.9, 1.7, 1.1], buffer=2), plan(shifts=3))
    assert abs(result.throughput_per_shift.mean - SHIFT / 1.7) <= 1  # 264.7 per shift


def test_buffers_fill_before_a_slow_station_and_stay_empty_after_it():
    result = simulate(
        SerialLine((SimStation("fast", 0.5), SimStation("slow", 1.0), SimStation("fast", 0.5)), (4, 4)), plan()
    )
    before, after = result.buffers
    assert before.mean_level == pytest.approx(4, abs=0.05)
    assert after.mean_level == pytest.approx(0, abs=1e-9)
    assert len(before.times) == len(before.levels) == result.plan.samples
    assert before.times[-1] == pytest.approx(result.plan.end_min)
    assert all(0 <= level <= 4 + 1e-9 for level in before.levels)
    assert before.levels[-1] == pytest.approx(4, abs=1e-6)


# ---- analytic case (b): one station, exponential-like times, never starved (§5.2) -----------------


def test_single_station_with_cv_1_is_always_busy_and_makes_t_over_mean():
    result = simulate(SerialLine((SimStation("S", 2.0, cv=1.0),), ()), plan(replications=20))
    interval = result.throughput_per_shift
    assert result.stations[0].utilisation == pytest.approx(1.0, abs=1e-9)
    assert interval.low <= SHIFT / 2.0 <= interval.high  # 225 per shift
    assert interval.half_width < 0.03 * SHIFT / 2.0
    assert result.buffers == ()


# ---- analytic case (c): availability under breakdowns (§5.3) -------------------------------------


def test_breakdowns_cut_throughput_by_the_availability():
    failures = Breakdowns(mtbf_min=60, mttr_min=15)  # A = 0.8
    result = simulate(SerialLine((SimStation("S", 1.0, breakdowns=failures),), ()), plan(shifts=4, replications=20))
    interval = result.throughput_per_shift
    expected = SHIFT / 1.0 * failures.availability  # 360 per shift
    assert failures.availability == 0.8
    assert interval.low <= expected <= interval.high
    assert interval.half_width < 0.03 * expected
    assert result.stations[0].down == pytest.approx(0.2, abs=0.02)
    assert result.stations[0].busy + result.stations[0].down == pytest.approx(1.0)


# ---- bottleneck (§4) ----------------------------------------------------------------------------


def stats(n: int, busy: float, starved: float, blocked: float, down: float = 0.0) -> StationStats:
    return StationStats(n, f"S{n}", busy, down, starved, blocked)


def test_arrow_rule_points_to_the_station_that_neither_blocks_nor_starves():
    # blocked_1 0.30 > starved_2 0.05: arrow 1→2; blocked_2 0.02 < starved_3 0.25: arrow 3→2; nothing leaves 2
    line = [stats(1, 0.70, 0.00, 0.30), stats(2, 0.93, 0.05, 0.02), stats(3, 0.75, 0.25, 0.00)]
    assert arrow_bottlenecks(line) == (2,)
    assert bottleneck_by_activity(line) == 2


def test_activity_rule_counts_repair_time_and_breaks_ties_upstream():
    assert bottleneck_by_activity([stats(1, 0.8, 0.0, 0.2), stats(2, 0.7, 0.1, 0.0, down=0.2)]) == 2
    assert bottleneck_by_activity([stats(1, 1.0, 0.0, 0.0), stats(2, 1.0, 0.0, 0.0)]) == 1


def test_a_station_with_breakdowns_becomes_the_bottleneck_of_a_balanced_line():
    stations = (
        SimStation("S1", 1.0, cv=0.2),
        SimStation("S2", 1.0, cv=0.2, breakdowns=Breakdowns(60, 20)),
        SimStation("S3", 1.0, cv=0.2),
    )
    result = simulate(SerialLine(stations, (3, 3)), plan())
    assert result.bottleneck == 2
    assert result.arrow_bottlenecks == (2,)
    assert result.throughput_per_shift.low < SHIFT * 0.75  # no more than S2's availability of 0.75 allows


def test_variable_line_gains_throughput_from_buffers():
    """Common random numbers: the same seed gives each station the same times, so only the buffers differ."""
    without = simulate(serial_line([1.0, 1.0, 1.0], cv=0.5, buffer=0), plan())
    with_buffers = simulate(serial_line([1.0, 1.0, 1.0], cv=0.5, buffer=5), plan())
    assert without.throughput_per_shift.mean < with_buffers.throughput_per_shift.mean < SHIFT
    assert with_buffers.throughput_per_shift.mean - without.throughput_per_shift.mean > 20


# ---- reproducibility and the demand check -------------------------------------------------------


def test_same_seed_same_figures_other_seed_other_figures():
    line = serial_line([1.0, 1.1, 0.9], cv=0.4, buffer=2, breakdowns=Breakdowns(120, 10))
    first, again, other = simulate(line, plan(seed=7)), simulate(line, plan(seed=7)), simulate(line, plan(seed=8))
    assert first == again
    assert first.replication_throughputs != other.replication_throughputs
    assert len(set(first.replication_throughputs)) > 1  # replications are independent streams


def test_demand_is_met_only_when_the_lower_bound_reaches_it():
    line = serial_line([1.0, 1.5, 1.2])
    assert simulate(line, plan(), demand_per_shift=290).demand_met is True
    assert simulate(line, plan(), demand_per_shift=310).demand_met is False
    assert simulate(line, plan()).demand_met is None
    noisy = simulate(serial_line([1.0], cv=1.0), plan(), demand_per_shift=None)
    interval = noisy.throughput_per_shift
    between = (interval.low + interval.mean) / 2  # above the lower bound although below the mean
    assert simulate(serial_line([1.0], cv=1.0), plan(), demand_per_shift=between).demand_met is False


# ---- input errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "run", "message"),
    [
        (serial_line([1.0, 1.0]), plan(replications=1), "at least 2 replications"),
        (SerialLine((SimStation("A", 1.0), SimStation("B", 1.0)), ()), plan(), "need 1 buffers"),
        (SerialLine((SimStation("A", 1.0, cv=-0.1),), ()), plan(), "CV"),
        (SerialLine((SimStation("A", 0.0),), ()), plan(), "time must be > 0"),
        (serial_line([1.0], breakdowns=Breakdowns(0, 5)), plan(), "MTBF"),
        (serial_line([1.0, 1.0], buffer=-1), plan(), "buffer"),
        (SerialLine((), ()), plan(), "at least one station"),
    ],
)
def test_bad_input_is_named(line, run, message):
    with pytest.raises(ValueError, match=message):
        simulate(line, run)


@pytest.mark.slow
def test_availability_formula_holds_in_a_long_run_to_one_percent():
    failures = Breakdowns(mtbf_min=45, mttr_min=5)  # A = 0.9
    result = simulate(
        SerialLine((SimStation("S", 0.8, cv=0.3, breakdowns=failures),), ()), plan(shifts=20, replications=30)
    )
    expected = SHIFT / 0.8 * 0.9  # 506.25 per shift
    assert result.throughput_per_shift.low <= expected <= result.throughput_per_shift.high
    assert result.throughput_per_shift.half_width < 0.01 * expected
