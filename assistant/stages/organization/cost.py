"""Cost of the line's part (line-simulation-and-scheduling.md §7): each element's machine time at its machine-hour
rate and its setup spread over the batch, material, fixed annual costs, per year at the demand, the sensitivity table
(demand ±30 % × half the batch, the batch and twice it), and the break-even batch between a universal and a CNC route of a
part spec (drafted offline by the routing stage through the context: only its times are read)."""

from __future__ import annotations

from pathlib import Path

from assistant.engineering.costing import (
    CostedOperation,
    EquipmentVariant,
    Material,
    break_even_batch,
    part_cost,
    sensitivity,
)
from assistant.errors import InputError
from assistant.stages.base import StageContext
from assistant.stages.organization.balance import Timing, r4
from assistant.stages.organization.elements import Line, machine_rate, piece_times, route_of
from assistant.stages.organization.model import Costs, OrgInput
from assistant.stages.organization.plan import BreakEvenResult, CostLine, CostResult, SensitivityLine, VariantCost

LINE_CHANGEOVER = "line changeover"
VARIANTS = ("universal", "cnc")  # the routing stage's `equipment` option values


def operations(line: Line, costs: Costs) -> list[CostedOperation]:
    """The elements at their machine's rate (the plan's default rate when unknown), plus the line's changeover."""
    ops = [
        CostedOperation(e.id, e.time_min, e.setup_min, e.rate_per_h if e.rate_per_h is not None else costs.machine_rate)
        for e in line.elements
    ]
    if costs.setup_min:
        ops.append(CostedOperation(LINE_CHANGEOVER, 0.0, costs.setup_min, costs.machine_rate))
    return ops


def annual_demand(plan: OrgInput, timing: Timing) -> float:
    """The plan's annual demand, or its daily demand (or what takt makes a day) times the working days."""
    if plan.demand is not None and plan.demand.annual is not None:
        return plan.demand.annual
    return timing.pieces_per_day * timing.working_days


def batch_sizes(batch: int) -> list[int]:
    """Half the batch, the batch and twice it (§7.6)."""
    return sorted({max(1, batch // 2), batch, 2 * batch})


def cost(ctx: StageContext, plan: OrgInput, line: Line, timing: Timing) -> CostResult | None:
    """§7.2-7.6: the part's cost per piece and per year, its lines and the sensitivity table; §7.7 with `part`."""
    costs = plan.costs
    if costs is None:
        return None
    ops = operations(line, costs)
    blank = costs.blank_mass_kg if costs.blank_mass_kg is not None else (line.blank_kg or 0.0)
    if costs.waste_kg > blank:
        raise InputError(f"{plan.id}/costs.waste_kg: {costs.waste_kg:g} kg is more than the blank's {blank:g} kg")
    material = Material(blank, costs.material_price_per_kg, costs.waste_kg, costs.waste_price_per_kg)
    annual = annual_demand(plan, timing)
    result = part_cost(ops, material, costs.batch_size, annual, costs.fixed_per_year)
    lines = [
        CostLine(
            element=op.name,
            machine_min=op.piece_min,
            setup_min=op.setup_min,
            rate_per_h=op.rate_per_hour,
            processing=r4(line_cost.processing),
            setup_share=r4(line_cost.setup),
            cost=r4(line_cost.total),
        )
        for op, line_cost in zip(ops, result.operations, strict=True)
    ]
    rows = sensitivity(ops, material, annual, batch_sizes(costs.batch_size), fixed_per_year=costs.fixed_per_year)
    return CostResult(
        batch_size=costs.batch_size,
        annual_demand=r4(annual),
        material=r4(result.material),
        machining=r4(result.machining),
        fixed_per_piece=r4(result.fixed_per_piece),
        per_piece=r4(result.per_piece),
        per_year=round(result.per_year, 2),
        lines=lines,
        sensitivity=[
            SensitivityLine(
                demand_factor=row.demand_factor,
                annual_demand=r4(row.annual_demand),
                batch_size=row.batch_size,
                per_piece=r4(row.per_piece),
                per_year=round(row.per_year, 2),
            )
            for row in rows
        ],
        break_even=break_even(ctx, plan.id, costs) if costs.part is not None else None,
    )


def variant(ctx: StageContext, part: Path, name: str, costs: Costs, label: str) -> tuple[str, VariantCost]:
    """The part's route preferring one kind of equipment: Σ setup, Σ piece time, piece-time-weighted rate."""
    try:
        route = route_of(ctx.draft("routing", part, {"equipment": name}, worded=False), label)
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None
    pieces = piece_times(route, label)
    rates = [machine_rate(ctx.catalog, op) or costs.machine_rate for op in route.operations]
    piece = sum(pieces)
    rate = sum(p * r for p, r in zip(pieces, rates, strict=True)) / piece if piece else costs.machine_rate
    setup = sum(op.setup_time_min or 0.0 for op in route.operations)
    return route.part_id, VariantCost(name=name, setup_min=r4(setup), piece_min=r4(piece), rate_per_h=r4(rate))


def break_even(ctx: StageContext, plan_id: str, costs: Costs) -> BreakEvenResult:
    """§7.7: n* = (R₂s₂ − R₁s₁) / (R₁t₁ − R₂t₂) between the universal (1) and the CNC (2) route of the part."""
    label = f"{plan_id}/costs.part"
    if costs.part is None or not costs.part.is_file():
        raise InputError(f"{label}: no such part spec file {costs.part} (paths are relative to the plan's folder)")
    found = [variant(ctx, costs.part, name, costs, label) for name in VARIANTS]
    first, second = (EquipmentVariant(v.name, v.setup_min, v.piece_min, v.rate_per_h) for _, v in found)
    result = break_even_batch(first, second)
    return BreakEvenResult(
        part_id=found[0][0],
        variants=[v for _, v in found],
        batch_size=None if result.batch_size is None else r4(result.batch_size),
        whole_batch=result.whole_batch,
        cheaper_small=result.cheaper_small,
        cheaper_large=result.cheaper_large,
        formula=result.formula,
    )
