"""SALBP benchmark: RPW and the exact CP-SAT balance against the known optima of Scholl's instances.

Every case of the table in ../shared/benchmarks/salbp/README.md (c→m*; the unverified TONGE70 c=364 is left out)
is balanced by `balance_exact` (RPW first, then CP-SAT on one worker with a fixed seed). A case passes when the
exact plan has m* stations, proven optimal, within the time limit. SALBP-2 is then run on each instance's m* of its
listed m*: the least cycle on m* stations must be at most the shortest c listed for that m*.
Run:  .venv/bin/python -m evals.bench_salbp [--limit 60]   (exits 1 when a case misses)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from assistant.engineering.balancing import balance_cycle, balance_exact
from evals.salbp import ROOT, SALBP, Instance, known_optima, read_in2

REPORTS = ROOT / "evals" / "reports"


@dataclass(frozen=True)
class Row:
    """One SALBP-1 case: the known optimum, what RPW and the exact model gave, and the time taken."""

    instance: str
    cycle: int
    known: int
    rpw: int
    exact: int
    proven: bool
    lower_bound: int
    method: str
    seconds: float

    @property
    def passed(self) -> bool:
        """m* reached and proven optimal."""
        return self.exact == self.known and self.proven


@dataclass(frozen=True)
class CycleRow:
    """One SALBP-2 case: stations given, the listed cycle they must reach, the least cycle found."""

    instance: str
    stations: int
    target: int
    heuristic: float
    cycle: float
    proven: bool
    seconds: float


def salbp1(instances: dict[str, Instance], cases: list[tuple[str, int, int]], limit: float) -> list[Row]:
    rows = []
    for name, c, m in cases:
        start = time.perf_counter()
        plan = balance_exact(instances[name].elements(), c, time_limit_s=limit)
        seconds = time.perf_counter() - start
        rows.append(
            Row(name, c, m, plan.heuristic_stations, plan.count, plan.optimal, plan.lower_bound, plan.method, seconds)
        )
    return rows


def salbp2(instances: dict[str, Instance], cases: list[tuple[str, int, int]], limit: float) -> list[CycleRow]:
    shortest: dict[tuple[str, int], int] = {}
    for name, c, m in cases:
        shortest[name, m] = min(shortest.get((name, m), c), c)
    rows = []
    for (name, m), c in shortest.items():
        start = time.perf_counter()
        plan = balance_cycle(instances[name].elements(), m, time_limit_s=limit)
        seconds = time.perf_counter() - start
        rows.append(CycleRow(name, m, c, plan.heuristic_cycle, plan.cycle, plan.optimal, seconds))
    return rows


def markdown(rows: list[Row], cycle_rows: list[CycleRow], limit: float) -> str:
    lines = [
        "# SALBP benchmark (Scholl's instances)",
        "",
        f"SALBP-1: fewest stations for cycle c. RPW, then CP-SAT (1 worker, seed 0, limit {limit:g} s) unless RPW",
        "already meets the lower bound max(ceil(Σt/c), elements longer than c/2).",
        "",
        "| instance | c | m* (known) | RPW | exact | proven optimal | RPW gap | found by | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        gap = (r.rpw - r.known) / r.known
        lines.append(
            f"| {r.instance} | {r.cycle} | {r.known} | {r.rpw} | {r.exact} | {'yes' if r.proven else 'no'} "
            f"| {gap:.1%} | {r.method} | {r.seconds:.2f} |"
        )
    lines += [
        "",
        "SALBP-2: least cycle on m stations, for each listed m*; it must be ≤ the shortest c listed for that m*.",
        "",
        "| instance | m | listed c | RPW cycle | exact cycle | proven optimal | s |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.instance} | {r.stations} | {r.target} | {r.heuristic:g} | {r.cycle:g} | {'yes' if r.proven else 'no'} "
        f"| {r.seconds:.2f} |"
        for r in cycle_rows
    ]
    return "\n".join(lines) + "\n"


def misses(rows: list[Row], cycle_rows: list[CycleRow], limit: float) -> list[str]:
    bad = [f"{r.instance} c={r.cycle}: {r.exact} stations (m* {r.known})" for r in rows if not r.passed]
    bad += [f"{r.instance} c={r.cycle}: {r.seconds:.1f} s" for r in rows if r.seconds > limit]
    bad += [f"{r.instance} m={r.stations}: cycle {r.cycle:g} > {r.target}" for r in cycle_rows if r.cycle > r.target]
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per case")
    args = parser.parse_args()
    cases = known_optima((SALBP / "README.md").read_text(encoding="utf-8"))
    instances = {name: read_in2(SALBP / f"{name}.IN2") for name in dict.fromkeys(n for n, _, _ in cases)}
    rows = salbp1(instances, cases, args.limit)
    cycle_rows = salbp2(instances, cases, args.limit)
    report = markdown(rows, cycle_rows, args.limit)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "salbp.md").write_text(report, encoding="utf-8")
    print(report)
    bad = misses(rows, cycle_rows, args.limit)
    print("Missed: " + "; ".join(bad) if bad else f"All {len(rows)} SALBP-1 cases at m*, proven; SALBP-2 within c.")
    print(f"Wrote {REPORTS / 'salbp.md'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
