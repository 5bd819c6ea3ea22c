"""The organizational plan's input (shared/contracts/ORG_PLAN.md) with the optional sections issue 15 adds (costs,
simulation, schedule, salbp2), and the stage's rule ids. The output is in `plan.py`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IDENT = r"^[A-Za-z0-9._-]{1,64}$"


def _text(value: Any) -> Any:
    """A whole number written as an id (`id: 10` in YAML) is that id's text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class OrgRule(StrEnum):
    """Rule ids of the organizational stage's findings."""

    TAKT = "takt"
    ELEMENT_OVER_TAKT = "element-over-takt"
    STATION_OVER_TAKT = "station-over-takt"
    STATION_LOAD = "station-load"
    PRECEDENCE_ORDER = "precedence-order"
    ELEMENT_ASSIGNMENT = "element-assignment"
    EFFICIENCY = "efficiency"
    KANBAN_CARDS = "kanban-cards"
    NOT_PROVEN_OPTIMAL = "not-proven-optimal"
    THROUGHPUT_BELOW_DEMAND = "throughput-below-demand"
    LOW_UTILISATION = "low-utilisation"
    FIGURES = "figures"
    LLM_FAILED = "llm-failed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Demand(_Strict):
    """Demand per day, or per year (divided by the calendar's working days)."""

    per_day: float | None = Field(default=None, gt=0)
    annual: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_of(self) -> Demand:
        if (self.per_day is None) == (self.annual is None):
            raise ValueError("give exactly one of per_day and annual")
        return self


class Calendar(_Strict):
    """Working time: days per year, shifts per day, shift length and planned stops per shift (min)."""

    working_days: int = Field(default=250, gt=0, le=366)
    shifts: int = Field(default=1, gt=0, le=4)
    shift_min: float = Field(default=480, gt=0, le=1440)
    breaks_min: float = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _breaks_inside(self) -> Calendar:
        if self.breaks_min >= self.shift_min:
            raise ValueError(
                f"breaks_min {self.breaks_min:g} must be shorter than shift_min {self.shift_min:g} "
                "(no working time would be left)"
            )
        return self


class WorkElement(_Strict):
    """One work element of the line, with its time per piece and its immediate predecessors."""

    id: str = Field(pattern=IDENT)
    name: str = ""
    time_min: float = Field(gt=0)
    predecessors: list[str] = Field(default_factory=list)
    setup_min: float = Field(default=0.0, ge=0)  # setup per batch (costs)
    machine_rate: float | None = Field(default=None, gt=0)  # machine-hour rate, money per hour (costs)

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("predecessors", mode="before")
    @classmethod
    def _predecessors(cls, value: Any) -> Any:
        return [_text(v) for v in value] if isinstance(value, list) else value


class KanbanItem(_Strict):
    """One kanban loop: the item, its demand, replenishment lead time, safety factor and container size."""

    item: str = Field(min_length=1)
    demand_per_day: float = Field(gt=0)
    lead_time_days: float = Field(gt=0)
    safety: float = Field(default=0.0, ge=0)
    container: float = Field(gt=0)
    station: int | None = Field(default=None, ge=1)  # where it is delivered (default: the first station)


class Costs(_Strict):
    """Optional cost inputs: material price and blank mass, the default machine-hour rate, setups, batch size,
    fixed annual costs, and a part spec whose universal and CNC routes give the break-even batch."""

    material_price_per_kg: float = Field(default=0.0, ge=0)
    blank_mass_kg: float | None = Field(default=None, ge=0)  # default: the routing draft's blank consumption
    waste_kg: float = Field(default=0.0, ge=0)  # returnable waste per piece (chips, ends), credited
    waste_price_per_kg: float = Field(default=0.0, ge=0)
    machine_rate: float = Field(default=30.0, gt=0)  # default machine-hour rate, money per hour
    setup_min: float = Field(default=0.0, ge=0)  # changeover of the whole line per batch
    batch_size: int = Field(default=100, gt=0)
    fixed_per_year: float = Field(default=0.0, ge=0)  # special tooling, fixtures, programs
    part: Path | None = None  # a part spec: break-even batch between its universal and CNC routes


class MachineReliability(_Strict):
    """Breakdowns of one station: mean time between failures and to repair, min."""

    mtbf_min: float = Field(gt=0)
    mttr_min: float = Field(gt=0)


class Simulation(_Strict):
    """Optional simulation of the balanced line."""

    cv: float = Field(default=0.1, ge=0, le=2)
    reliability: dict[int, MachineReliability] = Field(default_factory=dict)  # by station number
    buffer: int = Field(default=2, ge=0, le=1000)  # places between two stations
    shifts: int = Field(default=5, gt=0, le=100)
    replications: int = Field(default=10, ge=2, le=200)
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    seed: int = 1


class Job(_Strict):
    """One product of the launch schedule: its times per machine (from a routing draft or given), per piece."""

    id: str = Field(pattern=IDENT)
    routing: Path | None = None
    times_min: list[float] = Field(default_factory=list)  # per machine, per piece
    setup_min: list[float] = Field(default_factory=list)  # per machine, per batch (default none)
    batch_size: int = Field(default=1, gt=0)
    quantity: int = Field(default=1, gt=0)

    @model_validator(mode="after")
    def _times(self) -> Job:
        if (self.routing is None) == (not self.times_min):
            raise ValueError("give times_min (per machine) or routing (a routing draft's JSON), one of them")
        if any(t < 0 for t in [*self.times_min, *self.setup_min]):
            raise ValueError("times must not be negative")
        if self.setup_min and len(self.setup_min) != len(self.times_min):
            raise ValueError(f"setup_min needs one value per machine ({len(self.times_min)})")
        return self


class Schedule(_Strict):
    """Optional flow-shop launch schedule of several products (jobs)."""

    jobs: list[Job] = Field(min_length=1)


class Salbp2(_Strict):
    """Optional: the number of stations for which the smallest cycle time is wanted."""

    stations: int = Field(gt=0)


class OrgInput(_Strict):
    """An organizational plan to draft (ORG_PLAN.md)."""

    id: str = Field(pattern=IDENT)
    name: str = ""
    demand: Demand | None = None
    calendar: Calendar = Field(default_factory=Calendar)
    operations: list[WorkElement] = Field(default_factory=list)
    takt_min: float | None = Field(default=None, gt=0)
    routing: Path | None = None
    kanban: list[KanbanItem] = Field(default_factory=list)
    costs: Costs | None = None
    simulation: Simulation | None = None
    schedule: Schedule | None = None
    salbp2: Salbp2 | None = None

    @model_validator(mode="after")
    def _enough_to_plan(self) -> OrgInput:
        if not self.operations and self.routing is None:
            raise ValueError("give operations or routing (a routing draft's JSON)")
        if self.operations and self.routing is not None:
            raise ValueError("give operations or routing, not both")
        if self.takt_min is None and self.demand is None:
            raise ValueError("give demand (with the calendar) or takt_min")
        return self
