"""Launch sequence of batches in a permutation flow shop: Johnson's rule, NEH and an exact CP-SAT model.

Rules: line-simulation-and-scheduling.md §6 (makespan, Johnson, NEH, exact model).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

SCHEDULING_DOC = "line-simulation-and-scheduling.md"


@dataclass(frozen=True)
class FlowShop:
    """Jobs (batches) that all pass machines 1..m in the same order; times[j][k] = job j on machine k, min."""

    jobs: tuple[str, ...]
    machines: tuple[str, ...]
    times: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        if not self.jobs or not self.machines:
            raise ValueError("a flow shop needs at least one job and one machine")
        if len(set(self.jobs)) != len(self.jobs):
            raise ValueError(f"job names must be unique (got {self.jobs})")
        if len(self.times) != len(self.jobs) or any(len(row) != len(self.machines) for row in self.times):
            raise ValueError(f"times must have one row per job ({len(self.jobs)}) and one column per machine")
        if any(t < 0 for row in self.times for t in row):
            raise ValueError("processing times must be ≥ 0")


@dataclass(frozen=True)
class GanttRow:
    """One job on one machine: start and end, min from the launch of the first job."""

    job: str
    machine: str
    start: float
    end: float


@dataclass(frozen=True)
class Schedule:
    """A launch sequence, its makespan and Gantt table; `optimal` when the method proves it."""

    method: str
    sequence: tuple[str, ...]
    makespan: float
    optimal: bool
    gantt: tuple[GanttRow, ...]


def _completions(times: Sequence[Sequence[float]], order: Sequence[int]) -> list[list[float]]:
    """§6.2: C(j,k) = max(C(j−1,k), C(j,k−1)) + p(j,k), row by row in launch order."""
    rows: list[list[float]] = []
    previous = [0.0] * len(times[order[0]]) if order else []
    for j in order:
        row: list[float] = []
        for k, p in enumerate(times[j]):
            row.append(max(previous[k], row[k - 1] if k else 0.0) + p)
        rows.append(row)
        previous = row
    return rows


def _span(times: Sequence[Sequence[float]], order: Sequence[int]) -> float:
    return _completions(times, order)[-1][-1] if order else 0.0


def _indices(shop: FlowShop, sequence: Sequence[str]) -> list[int]:
    if sorted(sequence) != sorted(shop.jobs):
        raise ValueError(f"a sequence must name every job once: {shop.jobs} (got {tuple(sequence)})")
    return [shop.jobs.index(job) for job in sequence]


def makespan(shop: FlowShop, sequence: Sequence[str]) -> float:
    """Completion of the last job on the last machine when jobs are launched in `sequence`, no waiting inserted."""
    return _span(shop.times, _indices(shop, sequence))


def gantt(shop: FlowShop, sequence: Sequence[str]) -> tuple[GanttRow, ...]:
    """The Gantt table of a sequence: every job on every machine as early as possible."""
    order = _indices(shop, sequence)
    rows = []
    for j, ends in zip(order, _completions(shop.times, order), strict=True):
        for k, end in enumerate(ends):
            rows.append(GanttRow(shop.jobs[j], shop.machines[k], end - shop.times[j][k], end))
    return tuple(rows)


def _schedule(shop: FlowShop, method: str, order: Sequence[int], optimal: bool) -> Schedule:
    sequence = tuple(shop.jobs[j] for j in order)
    return Schedule(method, sequence, makespan(shop, sequence), optimal, gantt(shop, sequence))


def johnson(shop: FlowShop) -> Schedule:
    """§6.3: jobs with p1 < p2 by p1 ascending, then the rest by p2 descending; optimal for two machines."""
    if len(shop.machines) != 2:
        raise ValueError(f"Johnson's rule is for two machines (got {len(shop.machines)}); use neh or exact")
    first = sorted((j for j, (a, b) in enumerate(shop.times) if a < b), key=lambda j: shop.times[j][0])
    second = sorted((j for j, (a, b) in enumerate(shop.times) if a >= b), key=lambda j: -shop.times[j][1])
    return _schedule(shop, "Johnson's rule", first + second, True)


def neh(shop: FlowShop) -> Schedule:
    """§6.4: jobs by total time descending, each inserted where the partial makespan is least (first such place)."""
    ranked = sorted(range(len(shop.jobs)), key=lambda j: -sum(shop.times[j]))
    order: list[int] = []
    for job in ranked:
        trials = [[*order[:i], job, *order[i:]] for i in range(len(order) + 1)]
        order = min(trials, key=lambda trial: _span(shop.times, trial))
    return _schedule(shop, "NEH", order, len(shop.machines) == 1)


def _scale(times: Sequence[Sequence[float]]) -> int:
    """The smallest of 1, 10, 100, 1000 that makes every time a whole number (else 1000: times to 0.001 min)."""
    values = [t for row in times for t in row]
    return next((s for s in (1, 10, 100) if all(abs(t * s - round(t * s)) < 1e-6 for t in values)), 1000)


def exact(shop: FlowShop, time_limit_s: float = 10.0, seed: int = 0) -> Schedule:
    """§6.5: CP-SAT over launch orders (one worker, fixed seed, deterministic time limit); best found + proof."""
    scale = _scale(shop.times)
    p = [[round(t * scale) for t in row] for row in shop.times]
    n, m = len(p), len(p[0])
    horizon = sum(map(sum, p))
    model = cp_model.CpModel()
    start = [[model.new_int_var(0, horizon, f"s{j}_{k}") for k in range(m)] for j in range(n)]
    for j in range(n):
        for k in range(1, m):
            model.add(start[j][k] >= start[j][k - 1] + p[j][k - 1])
    before = {}
    for i in range(n):
        for j in range(i + 1, n):
            before[i, j] = model.new_bool_var(f"b{i}_{j}")
            for k in range(m):
                model.add(start[j][k] >= start[i][k] + p[i][k]).only_enforce_if(before[i, j])
                model.add(start[i][k] >= start[j][k] + p[j][k]).only_enforce_if(~before[i, j])
    span = model.new_int_var(0, horizon, "makespan")
    for j in range(n):
        model.add(span >= start[j][m - 1] + p[j][m - 1])
    model.minimize(span)
    _hint(model, start, before, neh(shop), shop)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = time_limit_s
    solver.parameters.max_time_in_seconds = 3 * time_limit_s  # a wall-clock safety net only
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return replace(neh(shop), method="NEH (CP-SAT found no schedule in time)")
    ahead = {(i, j): solver.boolean_value(b) for (i, j), b in before.items()}
    order = sorted(range(n), key=lambda j: sum(ahead[i, j] if i < j else not ahead[j, i] for i in range(n) if i != j))
    return _schedule(shop, "CP-SAT", order, status == cp_model.OPTIMAL)


def _hint(
    model: cp_model.CpModel,
    start: list[list[cp_model.IntVar]],
    before: dict[tuple[int, int], cp_model.IntVar],
    schedule: Schedule,
    shop: FlowShop,
) -> None:
    """Start the search from the NEH order (hints only; the solver may leave them)."""
    position = {shop.jobs.index(job): i for i, job in enumerate(schedule.sequence)}
    for (i, j), var in before.items():
        model.add_hint(var, position[i] < position[j])
    scale = _scale(shop.times)
    for row in schedule.gantt:
        j, k = shop.jobs.index(row.job), shop.machines.index(row.machine)
        model.add_hint(start[j][k], round(row.start * scale))


_METHODS: dict[str, Callable[[FlowShop], Schedule]] = {"johnson": johnson, "neh": neh, "exact": exact}


def launch_schedule(shop: FlowShop, method: str = "auto", exact_max_jobs: int = 10) -> Schedule:
    """§6.6: Johnson for two machines, exact for up to `exact_max_jobs` jobs, else NEH; or a named method."""
    if method == "auto":
        method = "johnson" if len(shop.machines) == 2 else "exact" if len(shop.jobs) <= exact_max_jobs else "neh"
    if method not in _METHODS:
        raise ValueError(f"unknown scheduling method {method!r}; choose one of: auto, {', '.join(_METHODS)}")
    return _METHODS[method](shop)
