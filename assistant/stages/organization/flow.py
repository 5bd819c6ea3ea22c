"""Material flow of a plan: kanban cards (lean-kanban.md §4.1), the supply plan of the stations from the kanban loops
(workplace-and-supply-planning.md 6.3, lean-kanban.md 4.5) and the launch schedule of batches in a flow shop
(line-simulation-and-scheduling.md §6)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.engineering.lean import KanbanLoop, kanban_cards
from assistant.engineering.scheduling import FlowShop, launch_schedule
from assistant.errors import InputError
from assistant.stages.organization.balance import r4
from assistant.stages.organization.elements import piece_times, read_route
from assistant.stages.organization.model import Job, KanbanItem, OrgInput
from assistant.stages.organization.plan import BatchTimes, Delivery, KanbanResult, ScheduledTask, ScheduleResult


def number(value: float) -> str:
    """A value as a formula shows it: 480, 1.5, 1.15 (no float noise)."""
    return f"{round(value, 9):.12g}"


def kanban_formula(item: KanbanItem) -> str:
    """The card formula with the loop's values, as the contract writes it: `ceil(480 * 1.5 * 1.15 / 40)`."""
    values = (item.demand_per_day, item.lead_time_days, 1 + item.safety)
    return f"ceil({' * '.join(number(v) for v in values)} / {number(item.container)})"


def kanban_count(item: KanbanItem) -> int:
    """§4.1: N = ceil(D·L·(1 + S) / C)."""
    return kanban_cards(KanbanLoop(item.demand_per_day, item.lead_time_days, item.safety, item.container)).cards


def kanban(items: list[KanbanItem]) -> list[KanbanResult]:
    """The cards of every loop, with the formula and its values."""
    return [KanbanResult(item=k.item, cards=kanban_count(k), formula=kanban_formula(k)) for k in items]


def supply(plan: OrgInput, stations: int, day_min: float) -> list[Delivery]:
    """Deliveries per day = D / C, one every available time / deliveries, max inventory = cards × C, per loop."""
    rows = []
    for k in plan.kanban:
        station = k.station or 1
        if station > stations:
            raise InputError(
                f"{plan.id}/kanban[{k.item}].station: station {station}, but the balanced line has {stations} stations"
            )
        deliveries = k.demand_per_day / k.container
        rows.append(
            Delivery(
                item=k.item,
                station=station,
                container=k.container,
                deliveries_per_day=r4(deliveries),
                every_min=r4(day_min / deliveries),
                max_inventory=kanban_count(k) * k.container,
            )
        )
    return rows


# ---- launch schedule


@dataclass(frozen=True)
class _Product:
    """One job of the plan as times per machine: per piece and per batch (setup)."""

    id: str
    piece: tuple[float, ...]
    setup: tuple[float, ...]


def _product(plan_id: str, job: Job) -> _Product:
    if job.routing is None:
        return _Product(job.id, tuple(job.times_min), tuple(job.setup_min or [0.0] * len(job.times_min)))
    label = f"{plan_id}/schedule.jobs[{job.id}].routing"
    route = read_route(job.routing, label)
    return _Product(
        job.id, tuple(piece_times(route, label)), tuple(op.setup_time_min or 0.0 for op in route.operations)
    )


def batch_jobs(plan_id: str, jobs: list[Job]) -> list[BatchTimes]:
    """ceil(quantity / batch) batches per product as jobs `ID#k`; a batch's time on a machine = setup + piece × pieces
    (the last batch holds the remainder). Every product must pass the same number of machines."""
    products = [_product(plan_id, job) for job in jobs]
    first = products[0]
    rows = []
    for job, product in zip(jobs, products, strict=True):
        if len(product.piece) != len(first.piece):
            raise InputError(
                f"{plan_id}/schedule.jobs[{job.id}]: {len(product.piece)} machines, but {first.id} has "
                f"{len(first.piece)}; every job of a flow shop passes the same machines in the same order"
            )
        for k in range(1, math.ceil(job.quantity / job.batch_size) + 1):
            pieces = min(job.batch_size, job.quantity - (k - 1) * job.batch_size)
            times = [r4(s + p * pieces) for p, s in zip(product.piece, product.setup, strict=True)]
            rows.append(BatchTimes(job=f"{job.id}#{k}", pieces=pieces, times_min=times))
    return rows


def schedule(plan: OrgInput) -> ScheduleResult | None:
    """§6.6: Johnson for two machines, the exact model up to ten jobs, else NEH; with the Gantt table."""
    if plan.schedule is None:
        return None
    batches = batch_jobs(plan.id, plan.schedule.jobs)
    machines = len(batches[0].times_min)
    try:
        shop = FlowShop(
            tuple(b.job for b in batches),
            tuple(str(k) for k in range(1, machines + 1)),
            tuple(tuple(b.times_min) for b in batches),
        )
    except ValueError as exc:
        raise InputError(f"{plan.id}/schedule.jobs: {exc}") from None
    result = launch_schedule(shop)
    return ScheduleResult(
        sequence=list(result.sequence),
        makespan_min=r4(result.makespan),
        method=result.method,
        optimal=result.optimal,
        jobs=batches,
        gantt=[
            ScheduledTask(job=row.job, machine=int(row.machine), start=r4(row.start), end=r4(row.end))
            for row in result.gantt
        ],
    )
