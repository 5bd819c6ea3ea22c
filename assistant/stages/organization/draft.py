"""The organizational stage's drafting: the complete plan from the engineering core (takt, balance, equipment,
kanban and supply, 5S, and the optional schedule, cost, simulation and SALBP-2), its checks, and the summary an LLM
may reword; the check of any plan against its input."""

from __future__ import annotations

from assistant.errors import InputError
from assistant.stages.base import StageContext
from assistant.stages.findings import Finding, merge_findings
from assistant.stages.organization.balance import (
    balance_findings,
    balance_line,
    equipment,
    least_stations,
    salbp2,
    timing_of,
)
from assistant.stages.organization.checks import check_plan
from assistant.stages.organization.cost import cost
from assistant.stages.organization.elements import line_of
from assistant.stages.organization.five_s import five_s_plan
from assistant.stages.organization.flow import kanban, schedule, supply
from assistant.stages.organization.model import OrgInput
from assistant.stages.organization.plan import OrgPlan
from assistant.stages.organization.simulation import simulation, throughput_findings
from assistant.stages.organization.sources import plan_sources
from assistant.stages.organization.summary import summarise
from assistant.stages.organization.tables import OrgHeader

FIGURES = 6  # decimals of efficiency and balance delay


def draft_organization(ctx: StageContext, plan_input: OrgInput) -> OrgPlan:
    """The plan of a line: complete from the tools; an LLM only rewords its summary."""
    line = line_of(plan_input, ctx.catalog)
    timing = timing_of(plan_input)
    balanced = balance_line(line, timing.takt_min)
    best = balanced.plan
    stations = balanced.stations()
    rows = equipment(balanced)
    names = {e.id: e.name or e.id for e in line.elements}
    simulated = simulation(plan_input.id, plan_input.simulation, stations, rows, timing)
    plan = OrgPlan(
        plan_id=plan_input.id,
        available_min_per_day=timing.available_min_per_day,
        takt_min=timing.takt_min,
        total_work_min=best.total_work,
        min_stations=least_stations(best.total_work, timing.takt_min),
        stations=stations,
        efficiency=round(best.efficiency, FIGURES),
        balance_delay=round(best.balance_delay, FIGURES),
        method=best.method,
        kanban=kanban(plan_input.kanban),
        balance=balanced.balance(),
        equipment=rows,
        supply=supply(plan_input, len(stations), timing.day_min),
        schedule=schedule(plan_input),
        five_s=five_s_plan([[names[e] for e in s.elements] for s in best.stations], bool(plan_input.kanban)),
        cost=cost(ctx, plan_input, line, timing),
        simulation=simulated,
        salbp2=salbp2(line, plan_input.salbp2.stations) if plan_input.salbp2 else None,
    )
    findings = [
        *balance_findings(balanced, line, rows),
        *throughput_findings(simulated, plan_input.simulation.buffer if plan_input.simulation else 0),
        *check_plan(plan, line, timing, plan_input.kanban),
    ]
    plan.findings = merge_findings(findings)
    plan.sources = plan_sources(plan)
    return summarise(ctx, plan)


def check_organization(ctx: StageContext, plan: OrgPlan, plan_input: OrgInput) -> list[Finding]:
    """The checks' findings on any plan, whoever wrote it, against its input."""
    if plan.plan_id != plan_input.id:
        raise InputError(f"the plan is {plan.plan_id} but the input is {plan_input.id}")
    return check_plan(plan, line_of(plan_input, ctx.catalog), timing_of(plan_input), plan_input.kanban)


def header_for(ctx: StageContext, plan_input: OrgInput) -> OrgHeader:
    """What the exports print above the plan: its id, name and the names of its work elements."""
    line = line_of(plan_input, ctx.catalog)
    return OrgHeader(plan_input.id, plan_input.name, {e.id: e.name for e in line.elements if e.name})
