"""The organizational plan a draft returns (ORG_PLAN.md output), with issue 15's optional sections (balance,
equipment, supply, schedule, 5S, cost, simulation, SALBP-2, summary, sources).

An optional section that is empty or absent is left out of the JSON, so a plan shows only what was asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.citation import Citation
from assistant.stages.base import load_model
from assistant.stages.findings import Finding


def _omit_none(value: object) -> bool:
    return value is None


def _omit_empty(value: list[Any]) -> bool:
    return not value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Station(_Strict):
    """One station of the balance: its number, its elements in order and its load (min)."""

    n: int
    operations: list[str]
    load_min: float


class KanbanResult(_Strict):
    """Cards of one loop, with the formula and its values."""

    item: str
    cards: int
    formula: str


class Balance(_Strict):
    """How the station count was found: the RPW heuristic beside the exact method, and the proven bound."""

    heuristic_stations: int
    heuristic_gap: float  # (heuristic − best) / best
    optimal: bool
    lower_bound: int
    seconds: float


class EquipmentLoad(_Strict):
    """Machines and operators of one station: machines = ceil(load / takt), utilisation = load / (machines × takt)."""

    station: int
    machines: int
    utilisation: float
    operators: int


class Delivery(_Strict):
    """What the supply plan brings to a station: an item, in containers of a size, so many times a day."""

    item: str
    station: int
    container: float
    deliveries_per_day: float
    every_min: float
    max_inventory: float


class BatchTimes(_Strict):
    """One job of the launch schedule: a batch of a product and its time on each machine (setup + pieces), min."""

    job: str
    pieces: int
    times_min: list[float]


class ScheduledTask(_Strict):
    """A bar of the Gantt chart: a job on a machine (from 1) from start to end (min)."""

    job: str
    machine: int
    start: float
    end: float


class ScheduleResult(_Strict):
    """The launch sequence of the jobs, its makespan and method, the batch times and the Gantt table."""

    sequence: list[str]
    makespan_min: float
    method: str
    optimal: bool
    jobs: list[BatchTimes]
    gantt: list[ScheduledTask]


class FiveSCheck(_Strict):
    """One audit checkpoint of a workplace type, under one of the five steps, scored 0..4."""

    workplace: str
    step: str
    checkpoint: str
    source: Citation


class CostLine(_Strict):
    """Cost of one element per piece: machine time at its rate, and its setup spread over the batch."""

    element: str
    machine_min: float
    setup_min: float
    rate_per_h: float
    processing: float
    setup_share: float
    cost: float


class SensitivityLine(_Strict):
    """The part cost at one demand factor and batch size."""

    demand_factor: float
    annual_demand: float
    batch_size: int
    per_piece: float
    per_year: float


class VariantCost(_Strict):
    """A part's route on one kind of equipment: total setup and piece time, piece-time-weighted machine-hour rate."""

    name: str
    setup_min: float
    piece_min: float
    rate_per_h: float


class BreakEvenResult(_Strict):
    """The batch size from which the variant with the cheaper piece is no dearer than the one with the cheaper setup."""

    part_id: str
    variants: list[VariantCost]
    batch_size: float | None
    whole_batch: int | None
    cheaper_small: str
    cheaper_large: str
    formula: str


class CostResult(_Strict):
    """Cost per piece and per year at the demand, the sensitivity table and the break-even batch."""

    batch_size: int
    annual_demand: float
    material: float
    machining: float
    fixed_per_piece: float
    per_piece: float
    per_year: float
    lines: list[CostLine]
    sensitivity: list[SensitivityLine]
    break_even: BreakEvenResult | None = Field(default=None, exclude_if=_omit_none)


class BufferSeries(_Strict):
    """A buffer after a station: its capacity, mean level, and the level over time in the first replication."""

    after: int
    capacity: int
    mean_level: float
    times: list[float]
    levels: list[float]


class SimulationResult(_Strict):
    """The simulated line: throughput per shift with its confidence interval, utilisation, buffers, bottleneck."""

    throughput_per_shift: float
    ci_low: float
    ci_high: float
    confidence: float
    demand_per_shift: float
    meets_demand: bool
    station_times_min: list[float]
    utilisation: list[float]
    mean_buffer: list[float]
    bottleneck: int
    shift_min: float
    shifts: int
    warmup_min: float
    replications: int
    seed: int
    buffers: list[BufferSeries] = Field(default_factory=list)


class Salbp2Result(_Strict):
    """The smallest cycle time the given number of stations can hold."""

    stations: int
    cycle_min: float
    optimal: bool
    lower_bound_min: float
    method: str
    assignment: list[Station]


class OrgPlan(_Strict):
    """The organizational plan (ORG_PLAN.md output), with issue 15's optional sections."""

    plan_id: str
    available_min_per_day: float | None = None
    takt_min: float
    total_work_min: float
    min_stations: int
    stations: list[Station]
    efficiency: float
    balance_delay: float
    method: str
    kanban: list[KanbanResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    provider: str = "offline"
    summary: str | None = Field(default=None, exclude_if=_omit_none)
    balance: Balance | None = Field(default=None, exclude_if=_omit_none)
    equipment: list[EquipmentLoad] = Field(default_factory=list, exclude_if=_omit_empty)
    supply: list[Delivery] = Field(default_factory=list, exclude_if=_omit_empty)
    schedule: ScheduleResult | None = Field(default=None, exclude_if=_omit_none)
    five_s: list[FiveSCheck] = Field(default_factory=list, exclude_if=_omit_empty)
    cost: CostResult | None = Field(default=None, exclude_if=_omit_none)
    simulation: SimulationResult | None = Field(default=None, exclude_if=_omit_none)
    salbp2: Salbp2Result | None = Field(default=None, exclude_if=_omit_none)
    sources: list[Citation] = Field(default_factory=list, exclude_if=_omit_empty)


def load_plan(value: OrgPlan | dict[str, Any] | str | Path) -> OrgPlan:
    """An organizational plan from a model, a dict or a JSON file; a malformed one is an input error."""
    return load_model(OrgPlan, value, "organizational plan")
