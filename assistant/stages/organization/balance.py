"""Takt, the line balance and the post plan of a plan: available time and takt (takt-and-line-balancing.md §2),
the fewest stations (§3-4, exact by CP-SAT from RPW), machines and operators per station (§6.1, §7.2), SALBP-2.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from assistant.engineering.balancing import BalancePlan, balance_cycle, balance_exact, ceil_ratio, min_stations
from assistant.engineering.lean import ShiftPattern, available_time, takt_time
from assistant.engineering.staffing import machines_needed, station_operators
from assistant.stages.findings import Finding, error, info
from assistant.stages.organization.elements import Line
from assistant.stages.organization.model import OrgInput, OrgRule
from assistant.stages.organization.plan import Balance, EquipmentLoad, Salbp2Result, Station

BALANCE_TIME_LIMIT_S = 10.0  # CP-SAT's limit; RPW alone when it already meets the lower bound
BALANCE_SEED = 0
LOW_UTILISATION = 0.5  # workplace-and-supply-planning.md 3.7


def r4(value: float) -> float:
    """A figure as the plan shows it: four decimals (loads and totals keep the core's nine)."""
    return round(value, 4)


@dataclass(frozen=True)
class Timing:
    """The time base of a plan: takt, the calendar's working time per day and per shift, and the daily demand."""

    takt_min: float
    day_min: float  # available time per day by the calendar (§2.1)
    shift_min: float  # productive time of one shift: shift length less planned stops
    demand_per_day: float | None  # from the plan's demand; None with takt_min alone
    working_days: int

    @property
    def available_min_per_day(self) -> float | None:
        """What the plan reports as available time: none when only takt_min is given, without demand."""
        return self.day_min if self.demand_per_day is not None else None

    @property
    def pieces_per_day(self) -> float:
        """The demand, or what the given takt makes in a day (available / takt)."""
        return self.demand_per_day if self.demand_per_day is not None else self.day_min / self.takt_min

    @property
    def demand_per_shift(self) -> float:
        """Productive shift time over takt, which equals the daily demand over the shifts when takt comes from it."""
        return self.shift_min / self.takt_min


def timing_of(plan: OrgInput) -> Timing:
    """§2.1-2.2: T_avail = shifts × (shift − breaks); T_takt = T_avail / D, or the plan's takt_min."""
    cal = plan.calendar
    day = available_time(ShiftPattern(cal.shifts, cal.shift_min, cal.breaks_min))
    demand = None
    if plan.demand is not None:
        demand = (
            plan.demand.per_day if plan.demand.per_day is not None else (plan.demand.annual or 0) / cal.working_days
        )
    takt = plan.takt_min if plan.takt_min is not None else takt_time(day, demand or 0).minutes
    return Timing(takt, day, cal.shift_min - cal.breaks_min, demand, cal.working_days)


@dataclass(frozen=True)
class Balanced:
    """The balance of a line at takt and how long finding it took."""

    plan: BalancePlan
    seconds: float

    def stations(self) -> list[Station]:
        """The stations as the plan shows them."""
        return [Station(n=s.n, operations=list(s.elements), load_min=s.load) for s in self.plan.stations]

    def balance(self) -> Balance:
        """The balance section: RPW's station count beside the best, the proven bound and the time taken."""
        p = self.plan
        return Balance(
            heuristic_stations=p.heuristic_stations,
            heuristic_gap=r4(p.heuristic_gap),
            optimal=p.optimal,
            lower_bound=p.lower_bound,
            seconds=round(self.seconds, 3),
        )


def balance_line(line: Line, takt_min: float) -> Balanced:
    """SALBP-1 at takt: the fewest stations (CP-SAT from RPW, one worker, fixed seed, time limit)."""
    begun = time.perf_counter()
    plan = balance_exact(line.core(), takt_min, time_limit_s=BALANCE_TIME_LIMIT_S, seed=BALANCE_SEED)
    return Balanced(plan, time.perf_counter() - begun)


def least_stations(total_work: float, takt_min: float) -> int:
    """§3.4: N_min = ceil(ΣT / T_takt)."""
    return min_stations(total_work, takt_min)


def equipment(balanced: Balanced) -> list[EquipmentLoad]:
    """Per station: machines = ceil(load / takt) (§6.1, parallel machines), utilisation, operators (§7.2)."""
    takt = balanced.plan.cycle
    rows = []
    for s in balanced.plan.stations:
        count = machines_needed(s.load, takt)
        rows.append(
            EquipmentLoad(
                station=s.n,
                machines=count.machines,
                utilisation=r4(count.utilisation),
                operators=station_operators(s, takt),
            )
        )
    return rows


def balance_findings(balanced: Balanced, line: Line, rows: list[EquipmentLoad]) -> list[Finding]:
    """Elements longer than takt (error, with the options), a plan not proven optimal, machines loaded below half."""
    plan, takt = balanced.plan, balanced.plan.cycle
    times = {e.id: e.time_min for e in line.elements}
    found = []
    for element in plan.over_cycle:
        n = ceil_ratio(times[element], takt)
        found.append(over_takt(element, times[element], takt, n))
    if not plan.optimal:
        message = (
            f"{plan.count} stations are not proven the fewest within {BALANCE_TIME_LIMIT_S:g} s: no plan has fewer than "
            f"{plan.lower_bound} (the proven lower bound); RPW alone gave {plan.heuristic_stations}"
        )
        found.append(info(OrgRule.NOT_PROVEN_OPTIMAL, message))
    for row in rows:
        if row.utilisation < LOW_UTILISATION:
            message = (
                f"station {row.station}: its {row.machines} machine(s) are loaded to {row.utilisation:.0%} of takt; "
                "load them with operations of other parts or combine the station with another "
                "(workplace-and-supply-planning.md 3.7)"
            )
            found.append(info(OrgRule.LOW_UTILISATION, message, operation=f"station {row.station}"))
    return found


def over_takt(element: str, time_min: float, takt_min: float, copies: int) -> Finding:
    """An element longer than takt: duplicate its station or split it (takt-and-line-balancing.md 6.1-6.2)."""
    message = (
        f"element {element} takes {time_min:g} min, longer than takt {takt_min:g} min: provide "
        f"n = ceil({time_min:g} / {takt_min:g}) = {copies} parallel stations (each takes one piece in {copies}), "
        "or split the element into parts shorter than takt (takt-and-line-balancing.md 6.1-6.2); the rest of the "
        "plan is balanced with it alone in its station"
    )
    return error(OrgRule.ELEMENT_OVER_TAKT, message, operation=element)


def salbp2(line: Line, stations: int) -> Salbp2Result:
    """SALBP-2 (§3.2): the least cycle time on the given number of stations."""
    plan = balance_cycle(line.core(), stations, time_limit_s=BALANCE_TIME_LIMIT_S, seed=BALANCE_SEED)
    return Salbp2Result(
        stations=stations,
        cycle_min=plan.cycle,
        optimal=plan.optimal,
        lower_bound_min=plan.lower_bound,
        method=plan.method,
        assignment=[Station(n=s.n, operations=list(s.elements), load_min=s.load) for s in plan.stations],
    )
