"""Lean organisation formulas: the number of kanban cards in a loop, available working time and takt time.

Formulas: lean-kanban.md §4.1 (kanban cards) and takt-and-line-balancing.md §2.1-2.2 (available time, takt).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.engineering.values import positive

KANBAN_DOC = "lean-kanban.md"
TAKT_DOC = "takt-and-line-balancing.md"


def _ceil(value: float) -> int:
    """Round up to the next whole number; a float that lands a hair above a whole number is that number."""
    return math.ceil(round(value, 9))


# ---- kanban (lean-kanban.md §4) ------------------------------------------------------------------


@dataclass(frozen=True)
class KanbanLoop:
    """One kanban loop: demand D (pieces per day), lead time L (days), safety factor S (fraction), container C."""

    demand_per_day: float
    lead_time_days: float
    safety: float
    container: float


@dataclass(frozen=True)
class KanbanCards:
    """The number of cards of a loop, with the value before rounding up."""

    loop: KanbanLoop
    exact: float
    cards: int

    @property
    def max_inventory(self) -> float:
        """Pieces in the loop when every container is full, N·C (§4.5)."""
        return self.cards * self.loop.container


def kanban_cards(loop: KanbanLoop) -> KanbanCards:
    """§4.1: N = ceil(D·L·(1 + S) / C), rounded up to the next whole card."""
    positive(demand=loop.demand_per_day, lead_time=loop.lead_time_days, container=loop.container)
    if loop.safety < 0:
        raise ValueError(f"safety factor must not be negative (got {loop.safety})")
    exact = loop.demand_per_day * loop.lead_time_days * (1 + loop.safety) / loop.container
    return KanbanCards(loop, exact, _ceil(exact))


# ---- available time and takt (takt-and-line-balancing.md §2) -------------------------------------


@dataclass(frozen=True)
class ShiftPattern:
    """Working time of one day: the number of shifts, the shift length and the planned breaks of each shift, min."""

    shifts: float
    shift_min: float
    breaks_min: float


def available_time(pattern: ShiftPattern) -> float:
    """§2.1: T_avail = number of shifts × (shift length − planned breaks), min per day."""
    positive(shifts=pattern.shifts, shift_length=pattern.shift_min)
    if not 0 <= pattern.breaks_min < pattern.shift_min:
        raise ValueError(
            f"planned breaks must be at least zero and shorter than the shift (got {pattern.breaks_min} min "
            f"in a {pattern.shift_min} min shift)"
        )
    return pattern.shifts * (pattern.shift_min - pattern.breaks_min)


@dataclass(frozen=True)
class Takt:
    """Takt time of a line: available time per day over demand per day."""

    available_min: float
    demand_per_day: float

    @property
    def minutes(self) -> float:
        """T_takt in minutes per piece (§2.2)."""
        return self.available_min / self.demand_per_day

    @property
    def seconds(self) -> float:
        """T_takt in seconds per piece."""
        return self.minutes * 60


def takt_time(available_min: float, demand_per_day: float) -> Takt:
    """§2.2: T_takt = T_avail / D."""
    positive(available_time=available_min, demand=demand_per_day)
    return Takt(available_min, demand_per_day)
