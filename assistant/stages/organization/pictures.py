"""The plan's PNG charts, drawn from its JSON: station loads against takt, the Gantt chart of the launch schedule
and the buffer levels of the simulation's first replication (assistant.charts draws them)."""

from __future__ import annotations

from assistant.charts import buffer_levels_chart, gantt_chart, station_loads_chart
from assistant.engineering.scheduling import GanttRow
from assistant.engineering.simulation import BufferStats
from assistant.errors import InputError
from assistant.stages.organization.plan import OrgPlan
from assistant.stages.organization.tables import OrgHeader


def loads_png(plan: OrgPlan, header: OrgHeader) -> bytes:
    """Station loads against takt (a station over takt in red)."""
    return station_loads_chart([s.load_min for s in plan.stations], plan.takt_min, [str(s.n) for s in plan.stations])


def gantt_png(plan: OrgPlan, header: OrgHeader) -> bytes:
    """The launch schedule's Gantt chart; a plan without a schedule is an input error."""
    if plan.schedule is None or not plan.schedule.gantt:
        raise InputError(f"plan {plan.plan_id} has no schedule: add a `schedule:` section (jobs) to draw a Gantt chart")
    rows = [GanttRow(t.job, f"machine {t.machine}", t.start, t.end) for t in plan.schedule.gantt]
    return gantt_chart(rows)


def buffers_png(plan: OrgPlan, header: OrgHeader) -> bytes:
    """Buffer levels over the first replication with the warm-up shaded; a plan without simulation is an input error."""
    if plan.simulation is None:
        raise InputError(f"plan {plan.plan_id} has no simulation: add a `simulation:` section to draw buffer levels")
    if not plan.simulation.buffers:
        raise InputError(f"plan {plan.plan_id}: the simulated line has one station and no buffers to draw")
    buffers = [
        BufferStats(b.after, b.capacity, b.mean_level, tuple(b.times), tuple(b.levels)) for b in plan.simulation.buffers
    ]
    return buffer_levels_chart(buffers, plan.simulation.warmup_min)
