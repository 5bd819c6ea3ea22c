"""Equipment and workforce of a balanced line: machines per operation and operators per station.

takt-and-line-balancing.md §6.1, §6.4 (parallel machines or stations for work longer than the cycle) and §7.2
(operators per post).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.engineering.balancing import BalancePlan, Station, ceil_ratio


@dataclass(frozen=True)
class MachineCount:
    """Machines one operation needs: its load and the available time of one machine over the same period (min)."""

    load_min: float
    available_min: float
    machines: int

    @property
    def utilisation(self) -> float:
        """Load over the time the machines are available: load / (machines × available)."""
        return self.load_min / (self.machines * self.available_min)


def machines_needed(load_min: float, available_min: float) -> MachineCount:
    """machines = ceil(load / available time), at least one; a load of exactly the available time needs one."""
    if not available_min > 0:
        raise ValueError(f"available time must be greater than zero (got {available_min})")
    if load_min < 0:
        raise ValueError(f"machine load must not be negative (got {load_min})")
    return MachineCount(load_min, available_min, max(1, ceil_ratio(load_min, available_min)))


def station_operators(station: Station, cycle: float, crew: int = 1) -> int:
    """Operators of a station: its crew (§7.2) times the parallel copies its load needs, ceil(load / cycle) (§6.1)."""
    if crew < 1:
        raise ValueError(f"station {station.n}: crew must be at least one operator (got {crew})")
    return crew * max(1, ceil_ratio(station.load, cycle))


def line_operators(plan: BalancePlan, crews: Mapping[int, int] | None = None) -> int:
    """Operators of the whole line: the sum over its stations; `crews` gives a crew other than one by station number."""
    crews = crews or {}
    return sum(station_operators(s, plan.cycle, crews.get(s.n, 1)) for s in plan.stations)
