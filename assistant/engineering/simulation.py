"""Discrete-event simulation of a serial line (SimPy) and the analysis of its output over replications.

Model and rules: line-simulation-and-scheduling.md §2 (model), §3 (output analysis), §4 (bottleneck).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

SIMULATION_DOC = "line-simulation-and-scheduling.md"
BUSY, DOWN, STARVED, BLOCKED = "busy", "down", "starved", "blocked"
_STATES = (BUSY, DOWN, STARVED, BLOCKED)
_Process = Generator[simpy.Event, Any, None]


# ---- input --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdowns:
    """Operation-dependent failures (§2.5): mean busy time between failures and mean time to repair, min; exponential."""

    mtbf_min: float
    mttr_min: float

    @property
    def availability(self) -> float:
        """A = MTBF / (MTBF + MTTR) (§2.6)."""
        return self.mtbf_min / (self.mtbf_min + self.mttr_min)


@dataclass(frozen=True)
class SimStation:
    """One station: mean time per piece (its load), min; coefficient of variation (0 = constant); breakdowns."""

    name: str
    time_min: float
    cv: float = 0.0
    breakdowns: Breakdowns | None = None


@dataclass(frozen=True)
class SerialLine:
    """Stations in series; buffers[i] = places between station i+1 and i+2 (0 = direct hand-over)."""

    stations: tuple[SimStation, ...]
    buffers: tuple[int, ...]


@dataclass(frozen=True)
class RunPlan:
    """How long and how often to run: productive minutes per shift, measured shifts, warm-up, replications, seed."""

    shift_min: float
    shifts: float
    warmup_min: float
    replications: int
    seed: int
    confidence: float = 0.95
    samples: int = 200  # points of the buffer-level series (first replication)

    @property
    def end_min(self) -> float:
        """Simulated time of one replication: warm-up plus the measured shifts."""
        return self.warmup_min + self.shifts * self.shift_min


def serial_line(
    loads: Sequence[float], cv: float = 0.0, buffer: int = 1, breakdowns: Breakdowns | None = None
) -> SerialLine:
    """A line from balanced station loads, min: the same CV, buffer size and breakdowns at every station."""
    stations = tuple(SimStation(f"Station {n}", load, cv, breakdowns) for n, load in enumerate(loads, 1))
    return SerialLine(stations, (buffer,) * max(len(stations) - 1, 0))


# ---- output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """Mean over replications and its Student-t confidence interval (§3.3)."""

    mean: float
    low: float
    high: float
    confidence: float

    @property
    def half_width(self) -> float:
        """Half the width of the interval."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class StationStats:
    """Shares of the measured time a station spent processing, under repair, starved and blocked (sum 1)."""

    n: int
    name: str
    busy: float
    down: float
    starved: float
    blocked: float

    @property
    def utilisation(self) -> float:
        """Share of time processing pieces."""
        return self.busy

    @property
    def active(self) -> float:
        """Share of time neither starved nor blocked: processing or under repair (§4.1)."""
        return self.busy + self.down


@dataclass(frozen=True)
class BufferStats:
    """A buffer after station `after`: mean level over the measured time, and a series of the first replication.

    levels[i] is the mean level over the interval that ends at times[i] (whole run, warm-up included).
    """

    after: int
    capacity: int
    mean_level: float
    times: tuple[float, ...]
    levels: tuple[float, ...]


@dataclass(frozen=True)
class SimulationResult:
    """Throughput per shift with its interval, station and buffer figures, the bottleneck and the demand check."""

    plan: RunPlan
    throughput_per_shift: Interval
    replication_throughputs: tuple[float, ...]
    stations: tuple[StationStats, ...]
    buffers: tuple[BufferStats, ...]
    bottleneck: int
    arrow_bottlenecks: tuple[int, ...]
    demand_per_shift: float | None
    demand_met: bool | None


# ---- validation ---------------------------------------------------------------------------------


def _check(line: SerialLine, plan: RunPlan) -> None:
    if not line.stations:
        raise ValueError("a line needs at least one station")
    if len(line.buffers) != len(line.stations) - 1:
        raise ValueError(
            f"{len(line.stations)} stations need {len(line.stations) - 1} buffers (got {len(line.buffers)})"
        )
    for station in line.stations:
        if not station.time_min > 0 or station.cv < 0:
            raise ValueError(f"{station.name}: time must be > 0 and CV ≥ 0 (got {station.time_min}, {station.cv})")
        if station.breakdowns and not (station.breakdowns.mtbf_min > 0 and station.breakdowns.mttr_min > 0):
            raise ValueError(f"{station.name}: MTBF and MTTR must be > 0 (got {station.breakdowns})")
    if any(b < 0 for b in line.buffers):
        raise ValueError(f"buffer sizes must be ≥ 0 (got {line.buffers})")
    if not (plan.shift_min > 0 and plan.shifts > 0 and plan.warmup_min >= 0 and plan.samples >= 1):
        raise ValueError(f"shift length and shifts must be > 0, warm-up ≥ 0, samples ≥ 1 (got {plan})")
    if plan.replications < 2:
        raise ValueError(f"a confidence interval needs at least 2 replications (got {plan.replications})")
    if not 0 < plan.confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, e.g. 0.95 (got {plan.confidence})")


# ---- one replication ----------------------------------------------------------------------------


class _Tally:
    """Time spent in each state of a station, from time 0."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env, self.state, self.since = env, STARVED, 0.0
        self.totals = dict.fromkeys(_STATES, 0.0)

    def set(self, state: str) -> None:
        self.totals[self.state] += self.env.now - self.since
        self.state, self.since = state, self.env.now

    def snapshot(self) -> dict[str, float]:
        """Totals up to now, the current state included."""
        totals = dict(self.totals)
        totals[self.state] += self.env.now - self.since
        return totals


class _Buffer:
    """Pieces waiting between two stations, and the places left (buffer plus the downstream station, §2.3)."""

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env, self.capacity = env, capacity
        self.pieces = simpy.Container(env, capacity=float("inf"))
        self.places = simpy.Container(env, capacity=capacity + 1, init=capacity + 1)
        self.level, self.since, self.total = 0, 0.0, 0.0

    def change(self, delta: int) -> None:
        self.total = self.area()
        self.level, self.since = self.level + delta, self.env.now

    def area(self) -> float:
        """∫ level dt from time 0 to now."""
        return self.total + self.level * (self.env.now - self.since)


def _draw(station: SimStation, rng: np.random.Generator) -> Callable[[], float]:
    """Process times: constant, or log-normal with the station's mean and CV (§2.2)."""
    if station.cv == 0:
        return lambda: station.time_min
    sigma = math.sqrt(math.log(1 + station.cv**2))
    mu = math.log(station.time_min) - sigma**2 / 2
    return lambda: float(rng.lognormal(mu, sigma))


def _station(
    env: simpy.Environment,
    station: SimStation,
    rng: np.random.Generator,
    feed: _Buffer | None,
    out: _Buffer | None,
    tally: _Tally,
    done: list[int],
) -> _Process:
    """Take a piece (station 1 always has one), process it through failures, then wait for a place (§2.3-2.5)."""
    draw, failures = _draw(station, rng), station.breakdowns
    to_failure = float(rng.exponential(failures.mtbf_min)) if failures else math.inf
    while True:
        if feed is not None:
            tally.set(STARVED)
            yield feed.pieces.get(1)
            feed.change(-1)
        work = draw()
        while failures and work > to_failure:
            tally.set(BUSY)
            yield env.timeout(to_failure)
            work -= to_failure
            tally.set(DOWN)
            yield env.timeout(float(rng.exponential(failures.mttr_min)))
            to_failure = float(rng.exponential(failures.mtbf_min))
        tally.set(BUSY)
        yield env.timeout(work)
        to_failure -= work
        if out is not None:
            tally.set(BLOCKED)
            yield out.places.get(1)
            yield out.pieces.put(1)
            out.change(+1)
        else:
            done[0] += 1
        if feed is not None:
            yield feed.places.put(1)


@dataclass(frozen=True)
class _Replication:
    throughput: float
    shares: tuple[dict[str, float], ...]
    mean_levels: tuple[float, ...]
    series: tuple[tuple[float, ...], ...]


def _sampler(
    env: simpy.Environment, buffers: Sequence[_Buffer], step: float, count: int, out: list[list[float]]
) -> _Process:
    """∫ level dt of each buffer at step, 2·step, … (count points); the caller adds the one at the end."""
    for _ in range(count):
        yield env.timeout(step)
        for i, buffer in enumerate(buffers):
            out[i].append(buffer.area())


def _series(areas: Sequence[float], step: float) -> tuple[float, ...]:
    """Mean level over each interval from the cumulative areas at its ends."""
    return tuple((b - a) / step for a, b in zip((0.0, *areas), areas, strict=False))


def _replicate(line: SerialLine, plan: RunPlan, seeds: Sequence[np.random.SeedSequence]) -> _Replication:
    env = simpy.Environment()
    buffers = [_Buffer(env, capacity) for capacity in line.buffers]
    tallies = [_Tally(env) for _ in line.stations]
    done = [0]
    for k, station in enumerate(line.stations):
        feed = buffers[k - 1] if k > 0 else None
        out = buffers[k] if k < len(buffers) else None
        env.process(_station(env, station, np.random.default_rng(seeds[k]), feed, out, tallies[k], done))
    step = plan.end_min / plan.samples
    areas: list[list[float]] = [[] for _ in buffers]
    env.process(_sampler(env, buffers, step, plan.samples - 1, areas))
    if plan.warmup_min > 0:
        env.run(until=plan.warmup_min)
    start = ([t.snapshot() for t in tallies], [b.area() for b in buffers], done[0])
    env.run(until=plan.end_min)
    for buffer, series in zip(buffers, areas, strict=True):
        series.append(buffer.area())
    measured = plan.end_min - plan.warmup_min
    shares = tuple(
        {s: (end[s] - begin[s]) / measured for s in _STATES}
        for begin, end in zip(start[0], (t.snapshot() for t in tallies), strict=True)
    )
    levels = tuple((b.area() - a) / measured for b, a in zip(buffers, start[1], strict=True))
    return _Replication((done[0] - start[2]) / plan.shifts, shares, levels, tuple(_series(a, step) for a in areas))


# ---- output analysis (§3) -----------------------------------------------------------------------


def _t_coverage(t: float, df: int) -> float:
    """P(|T| ≤ t) for Student's t with df degrees of freedom, closed form (Abramowitz & Stegun 26.7.3-26.7.4)."""
    theta = math.atan(t / math.sqrt(df))
    cos2, term, series = math.cos(theta) ** 2, 1.0, 1.0
    if df % 2 == 0:
        for k in range(1, (df - 2) // 2 + 1):
            term *= (2 * k - 1) / (2 * k) * cos2
            series += term
        return math.sin(theta) * series
    for k in range(1, (df - 3) // 2 + 1):
        term *= (2 * k) / (2 * k + 1) * cos2
        series += term
    extra = math.sin(theta) * math.cos(theta) * series if df > 1 else 0.0
    return 2 / math.pi * (theta + extra)


def student_t(confidence: float, df: int) -> float:
    """The two-sided Student-t quantile t such that P(|T| ≤ t) = confidence (t_{df, 1-α/2}), by bisection."""
    if not 0 < confidence < 1 or df < 1:
        raise ValueError(f"confidence must be in (0, 1) and df ≥ 1 (got {confidence}, {df})")
    low, high = 0.0, 1.0
    while _t_coverage(high, df) < confidence:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if _t_coverage(middle, df) < confidence else (low, middle)
        if high - low < 1e-12:
            break
    return (low + high) / 2


def confidence_interval(values: Sequence[float], confidence: float) -> Interval:
    """mean ± t_{n-1, 1-α/2} · s / √n over independent replications (§3.3)."""
    n = len(values)
    if n < 2:
        raise ValueError(f"a confidence interval needs at least 2 values (got {n})")
    mean = sum(values) / n
    s = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = student_t(confidence, n - 1) * s / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, confidence)


def bottleneck_by_activity(stations: Sequence[StationStats]) -> int:
    """§4.1: the station with the largest active share (busy + down); a tie goes to the upstream one."""
    return max(stations, key=lambda s: (round(s.active, 9), -s.n)).n


def arrow_bottlenecks(stations: Sequence[StationStats]) -> tuple[int, ...]:
    """§4.2: arrow i→i+1 when blocked_i > starved_{i+1}, else i+1→i; stations with no arrow leaving them."""
    leaving: set[int] = set()
    for left, right in itertools.pairwise(stations):
        leaving.add(left.n if left.blocked > right.starved + 1e-9 else right.n)
    return tuple(s.n for s in stations if s.n not in leaving)


def _mean(rows: Sequence[float]) -> float:
    return sum(rows) / len(rows)


def simulate(line: SerialLine, plan: RunPlan, demand_per_shift: float | None = None) -> SimulationResult:
    """Run the line `plan.replications` times from `plan.seed` and summarise (§2-4); same seed, same figures."""
    _check(line, plan)
    streams = np.random.SeedSequence(plan.seed).spawn(plan.replications)
    runs = [_replicate(line, plan, stream.spawn(len(line.stations))) for stream in streams]
    throughputs = tuple(run.throughput for run in runs)
    interval = confidence_interval(throughputs, plan.confidence)
    stations = tuple(
        StationStats(k + 1, s.name, *(_mean([run.shares[k][state] for run in runs]) for state in _STATES))
        for k, s in enumerate(line.stations)
    )
    times = tuple(plan.end_min / plan.samples * (i + 1) for i in range(plan.samples))
    buffers = tuple(
        BufferStats(k + 1, capacity, _mean([run.mean_levels[k] for run in runs]), times, runs[0].series[k])
        for k, capacity in enumerate(line.buffers)
    )
    met = None if demand_per_shift is None else interval.low >= demand_per_shift
    return SimulationResult(
        plan,
        interval,
        throughputs,
        stations,
        buffers,
        bottleneck_by_activity(stations),
        arrow_bottlenecks(stations),
        demand_per_shift,
        met,
    )
