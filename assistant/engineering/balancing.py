"""Line balancing (takt-and-line-balancing.md §3-§5): minimum stations, precedence, RPW, exact SALBP-1 and SALBP-2.

Times are decimals of minutes. Internally they are whole thousandths of a minute (`SCALE`), so a station loaded to
exactly the cycle is feasible (0.1 + 0.2 fits 0.3) and the CP-SAT models are exact. Rounding goes against the plan
(element times up, the cycle down, each forgiving 1e-9 min), so a plan that fits in thousandths fits in real minutes;
loads and totals are reported from the real times.

An element longer than the cycle cannot fit any station. It is reported (`BalancePlan.over_cycle`, for the caller's
error finding) and balanced as if its time were the cycle: it takes a station of its own, marked `over_cycle`, whose
load is the element's real time; in practice that station is duplicated ceil(time / cycle) times or the element is
split (§6.1-6.2). The rest of the plan is balanced as usual.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from ortools.sat.python import cp_model

from assistant.engineering.precedence import Element, topological_order

SCALE = 1000  # thousandths of a minute
RPW = "ranked positional weight"
EXACT = "CP-SAT (exact)"
_TOLERANCE = 1e-9  # relative: a ratio this close to a whole number is that number


def ceil_ratio(value: float, divisor: float) -> int:
    """ceil(value / divisor), where a ratio within 1e-9 (relative) of a whole number is that number."""
    ratio = value / divisor
    nearest = round(ratio)
    if abs(ratio - nearest) <= _TOLERANCE * max(1.0, abs(ratio)):
        return int(nearest)
    return math.ceil(ratio)


def min_stations(total_work: float, cycle: float) -> int:
    """§3.4: N_min = ceil(ΣT / T_takt); float rounding never adds a station."""
    if not cycle > 0:
        raise ValueError(f"cycle time must be greater than zero (got {cycle})")
    return ceil_ratio(total_work, cycle)


# ---- values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Station:
    """A station: number (from 1), its elements in the order they are done, and its load (min)."""

    n: int
    elements: tuple[str, ...]
    load: float
    over_cycle: bool = False  # holds one element longer than the cycle (§6)


def _smoothness(stations: Sequence[Station]) -> float:
    top = max((s.load for s in stations), default=0.0)
    return math.sqrt(sum((top - s.load) ** 2 for s in stations))


@dataclass(frozen=True)
class BalancePlan:
    """A SALBP-1 balance: stations for a given cycle, how it was found and how far it may be from optimal."""

    stations: tuple[Station, ...]
    cycle: float
    total_work: float
    method: str
    optimal: bool  # proven: no plan has fewer stations
    lower_bound: int  # proven minimum number of stations
    heuristic_stations: int  # what the RPW heuristic alone gave
    over_cycle: tuple[str, ...] = ()  # elements longer than the cycle

    @property
    def count(self) -> int:
        """The number of stations."""
        return len(self.stations)

    @property
    def efficiency(self) -> float:
        """§5.2: E = ΣT / (N × T_c) (above 1 only when an element is longer than the cycle)."""
        return self.total_work / (self.count * self.cycle)

    @property
    def balance_delay(self) -> float:
        """§5.3: d = 1 − E."""
        return 1 - self.efficiency

    @property
    def smoothness(self) -> float:
        """§5.4: SI = √(Σ(T_max − T_i)²)."""
        return _smoothness(self.stations)

    @property
    def gap(self) -> float:
        """How far the plan may be from optimal: (N − lower bound) / lower bound; 0 when proven optimal."""
        return (self.count - self.lower_bound) / self.lower_bound

    @property
    def heuristic_gap(self) -> float:
        """How many more stations RPW alone needed, relative to this plan."""
        return (self.heuristic_stations - self.count) / self.count


@dataclass(frozen=True)
class CyclePlan:
    """A SALBP-2 balance: the least cycle time for a given number of stations."""

    stations: tuple[Station, ...]
    station_limit: int
    cycle: float
    total_work: float
    method: str
    optimal: bool  # proven: no plan on station_limit stations has a shorter cycle
    lower_bound: float  # proven least cycle time
    heuristic_cycle: float  # the least cycle for which RPW fits station_limit stations

    @property
    def efficiency(self) -> float:
        """E = ΣT / (m × c) over the given number of stations."""
        return self.total_work / (self.station_limit * self.cycle)


# ---- the precedence diagram ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    """Elements in topological order: ids, times in SCALE units, direct and transitive predecessors, successors."""

    ids: tuple[str, ...]
    minutes: tuple[float, ...]
    times: tuple[int, ...]
    preds: tuple[tuple[int, ...], ...]
    before: tuple[frozenset[int], ...]
    after: tuple[frozenset[int], ...]


def _up(minutes: float) -> int:
    """Whole thousandths, rounded up (a hair above a whole number is that number)."""
    return math.ceil(minutes * SCALE - 1e-6)


def _down(minutes: float) -> int:
    """Whole thousandths, rounded down (a hair below a whole number is that number)."""
    return math.floor(minutes * SCALE + 1e-6)


def _problem(elements: Sequence[Element]) -> _Problem:
    order = topological_order(elements)
    index = {name: i for i, name in enumerate(order)}
    by_id = {e.id: e for e in elements}
    preds = tuple(tuple(sorted({index[p] for p in by_id[name].predecessors})) for name in order)
    before: list[frozenset[int]] = []
    for direct in preds:
        before.append(frozenset(direct).union(*(before[p] for p in direct)))
    after: list[set[int]] = [set() for _ in order]
    for i in reversed(range(len(order))):
        for p in preds[i]:
            after[p] |= after[i] | {i}
    minutes = tuple(by_id[name].time for name in order)
    return _Problem(order, minutes, tuple(map(_up, minutes)), preds, tuple(before), tuple(map(frozenset, after)))


def _load(p: _Problem, group: Iterable[int]) -> float:
    return round(sum(p.minutes[i] for i in group), 9)


def _stations(p: _Problem, groups: Sequence[Sequence[int]], over: Sequence[str] = ()) -> tuple[Station, ...]:
    """Stations from groups of element indices, empty groups dropped; over-cycle when one holds an element of `over`."""
    full = [g for g in groups if g]
    return tuple(
        Station(n, tuple(p.ids[i] for i in g), _load(p, g), any(p.ids[i] in over for i in g))
        for n, g in enumerate(full, start=1)
    )


# ---- ranked positional weight (§4) -----------------------------------------------------------------


def positional_weights(elements: Sequence[Element]) -> dict[str, float]:
    """§4.2: an element's time plus the times of all elements that follow it, directly or not."""
    p = _problem(elements)
    return {p.ids[i]: _load(p, [i, *p.after[i]]) for i in range(len(p.ids))}


def _rpw(p: _Problem, eff: Sequence[int], cap: int) -> list[list[int]]:
    """§4.3-4.5 on effective times (each ≤ cap): the first ranked element that is free and fits, else a new station."""
    weight = [eff[i] + sum(eff[j] for j in p.after[i]) for i in range(len(eff))]
    ranked = sorted(range(len(eff)), key=lambda i: (-weight[i], -eff[i], i))
    done: set[int] = set()
    stations: list[list[int]] = [[]]
    free = cap
    while len(done) < len(eff):
        pick = next((i for i in ranked if i not in done and eff[i] <= free and done.issuperset(p.preds[i])), None)
        if pick is None:  # an empty station always takes a free element: every effective time fits the cycle
            stations.append([])
            free = cap
            continue
        stations[-1].append(pick)
        done.add(pick)
        free -= eff[pick]
    return stations


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _lower_bound(eff: Sequence[int], cap: int) -> int:
    """max(ceil(ΣT / c), the elements longer than c/2 plus half of those of exactly c/2): no two share a station."""
    half = sum(1 for t in eff if 2 * t > cap) + math.ceil(sum(1 for t in eff if 2 * t == cap) / 2)
    return max(_ceil_div(sum(eff), cap), half, 1)


def _setup(elements: Sequence[Element], cycle: float) -> tuple[_Problem, list[int], int]:
    if not cycle > 0:
        raise ValueError(f"cycle time must be greater than zero (got {cycle})")
    p = _problem(elements)
    cap = _down(cycle)
    if cap < 1:
        raise ValueError(f"cycle time must be at least 1/{SCALE} min (got {cycle})")
    return p, [min(t, cap) for t in p.times], cap


def _plan(p: _Problem, groups: Sequence[Sequence[int]], cycle: float, method: str, bound: int, rpw: int) -> BalancePlan:
    over = tuple(name for name, t in zip(p.ids, p.minutes, strict=True) if t > cycle * (1 + _TOLERANCE))
    stations = _stations(p, groups, over)
    total = _load(p, range(len(p.ids)))
    return BalancePlan(stations, cycle, total, method, len(stations) == bound, bound, rpw, over)


def balance_rpw(elements: Sequence[Element], cycle: float) -> BalancePlan:
    """SALBP-1 by the ranked positional weight heuristic (ties: the longer element, then input order)."""
    p, eff, cap = _setup(elements, cycle)
    groups = _rpw(p, eff, cap)
    return _plan(p, groups, cycle, RPW, _lower_bound(eff, cap), len(groups))


# ---- exact models (CP-SAT) -------------------------------------------------------------------------


def _solver(time_limit_s: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit_s
    return solver


def _assign(
    model: cp_model.CpModel, p: _Problem, windows: Sequence[range], hint: Sequence[Sequence[int]]
) -> dict[tuple[int, int], cp_model.IntVar]:
    """x[i, k] for the stations k (from 1) in each element's window: each element in one, predecessors not later."""
    x = {(i, k): model.new_bool_var(f"x{i}_{k}") for i, window in enumerate(windows) for k in window}
    station = [sum(k * x[i, k] for k in window) for i, window in enumerate(windows)]
    for i, window in enumerate(windows):
        model.add_exactly_one(x[i, k] for k in window)
        for j in p.preds[i]:
            model.add(station[j] <= station[i])
    where = {i: k for k, group in enumerate(hint, start=1) for i in group}
    for (i, k), var in x.items():
        model.add_hint(var, where[i] == k)
    return x


def _windows(p: _Problem, eff: Sequence[int], cap: int, stations: int) -> list[range]:
    """Stations an element can take: earliest = ceil((t + predecessors) / c), latest = m + 1 − ceil((t + successors) / c)."""
    return [
        range(
            _ceil_div(eff[i] + sum(eff[j] for j in p.before[i]), cap),
            stations + 2 - _ceil_div(eff[i] + sum(eff[j] for j in p.after[i]), cap),
        )
        for i in range(len(eff))
    ]


def _groups(solver: cp_model.CpSolver, x: dict[tuple[int, int], cp_model.IntVar], stations: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(stations)]
    for (i, k), var in sorted(x.items()):
        if solver.value(var):
            groups[k - 1].append(i)
    return groups


def _fewest_stations(
    p: _Problem, t: Sequence[int], c: int, bound: int, start: Sequence[Sequence[int]], time_limit_s: float, seed: int
) -> tuple[list[list[int]] | None, int]:
    """The SALBP-1 model on m = len(start) stations: the best grouping found (None if none) and the proven bound."""
    m = len(start)
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"used{k}") for k in range(1, m + 1)]
    x = _assign(model, p, _windows(p, t, c, m), start)
    for (i, k), var in x.items():
        if t[i] == 0:  # a zero-time element still opens its station
            model.add_implication(var, used[k - 1])
    for k in range(1, m + 1):
        model.add(sum(t[i] * var for (i, s), var in x.items() if s == k) <= c * used[k - 1])
        model.add_hint(used[k - 1], True)
        if k < m:
            model.add(used[k - 1] >= used[k])  # symmetry: the used stations come first
    model.add(sum(used) >= bound)
    model.minimize(sum(used))
    solver = _solver(time_limit_s, seed)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, bound
    found = [group for group in _groups(solver, x, m) if group]
    return found, max(bound, math.ceil(solver.best_objective_bound - 1e-6))


def balance_exact(
    elements: Sequence[Element], cycle: float, *, time_limit_s: float = 10.0, seed: int = 0
) -> BalancePlan:
    """SALBP-1: the fewest stations for the cycle, by CP-SAT started from RPW; the best plan found within the limit.

    CP-SAT runs on one worker with `seed` (reproducible) for at most `time_limit_s` seconds, and only when RPW does
    not already meet the lower bound. `optimal` says whether the plan's station count is proven minimal.
    """
    p, eff, cap = _setup(elements, cycle)
    heuristic = _rpw(p, eff, cap)
    bound = _lower_bound(eff, cap)
    if len(heuristic) == bound:  # RPW already meets the lower bound: nothing to search
        return _plan(p, heuristic, cycle, RPW, bound, len(heuristic))
    g = reduce(math.gcd, eff, cap)
    found, bound = _fewest_stations(p, [e // g for e in eff], cap // g, bound, heuristic, time_limit_s, seed)
    if found is None or len(found) > len(heuristic):
        return _plan(p, heuristic, cycle, RPW, bound, len(heuristic))
    return _plan(p, found, cycle, EXACT, bound, len(heuristic))


def _rpw_cycle(p: _Problem, low: int, stations: int) -> tuple[int, list[list[int]]]:
    """A short cycle for which RPW needs at most `stations` stations: binary search over [low, ΣT].

    RPW is not monotone in the cycle, so this is the start for CP-SAT, not always the least such cycle.
    """
    high = sum(p.times)
    groups = _rpw(p, p.times, high)
    while low < high:
        mid = (low + high) // 2
        trial = _rpw(p, p.times, mid)
        if len(trial) <= stations:
            high, groups = mid, trial
        else:
            low = mid + 1
    return high, groups


def _least_cycle(
    p: _Problem, stations: int, low: int, high: int, start: Sequence[Sequence[int]], time_limit_s: float, seed: int
) -> tuple[list[list[int]] | None, int]:
    """The SALBP-2 model, cycle in [low, high]: the best grouping found (None if none) and the proven bound."""
    model = cp_model.CpModel()
    cycle = model.new_int_var(low, high, "cycle")
    x = _assign(model, p, _windows(p, p.times, high, stations), start)
    for k in range(1, stations + 1):
        model.add(sum(p.times[i] * var for (i, s), var in x.items() if s == k) <= cycle)
    model.add_hint(cycle, high)
    model.minimize(cycle)
    solver = _solver(time_limit_s, seed)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, low
    return _groups(solver, x, stations), max(low, math.ceil(solver.best_objective_bound - 1e-6))


def balance_cycle(
    elements: Sequence[Element], stations: int, *, time_limit_s: float = 10.0, seed: int = 0
) -> CyclePlan:
    """SALBP-2: the least cycle time on `stations` stations, by CP-SAT started from RPW (one worker, `seed`).

    The cycle is bounded below by max(longest element, ceil(ΣT / stations)) and above by the RPW cycle.
    """
    if stations < 1:
        raise ValueError(f"number of stations must be at least 1 (got {stations})")
    p = _problem(elements)
    if not any(p.times):
        raise ValueError("the work elements take no time: there is no cycle to minimise")
    g = reduce(math.gcd, p.times)  # work in units of the times' common divisor
    unit = _Problem(p.ids, p.minutes, tuple(t // g for t in p.times), p.preds, p.before, p.after)
    low = max(max(unit.times), _ceil_div(sum(unit.times), stations), 1)
    heuristic, groups = _rpw_cycle(unit, low, stations)
    method, bound = RPW, low
    if heuristic > low:
        found, bound = _least_cycle(unit, stations, low, heuristic, groups, time_limit_s, seed)
        if found is not None:
            groups, method = found, EXACT
    plan = _stations(p, groups)
    cycle = max(s.load for s in plan)
    least = min(bound * g / SCALE, cycle)
    total = _load(p, range(len(p.ids)))
    return CyclePlan(plan, stations, cycle, total, method, cycle <= least, least, heuristic * g / SCALE)
