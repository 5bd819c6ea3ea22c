"""What the plan's exports show: the header, the key figures and each section as a table of columns and rows.

Markdown, DOCX and XLSX all render these tables, so the three views never disagree; cells are numbers or text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.stages.organization.plan import OrgPlan

Cell = str | int | float | None


@dataclass(frozen=True)
class OrgHeader:
    """What the exports print above the plan: its id and name, and the names of its work elements."""

    plan_id: str
    name: str = ""
    element_names: Mapping[str, str] = field(default_factory=dict)

    def title(self) -> str:
        """`Organizational plan — LINE-01 Shaft line`."""
        return f"Organizational plan — {self.plan_id} {self.name}".rstrip()


@dataclass(frozen=True)
class Table:
    """One section of the plan as a table."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def text(value: Cell) -> str:
    """A cell as text: numbers without float noise, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{round(value, 9):.12g}"
    return str(value)


def key_figures(plan: OrgPlan, header: OrgHeader) -> list[tuple[str, Cell]]:
    """The plan's key figures, label and value."""
    pairs: list[tuple[str, Cell]] = [
        ("Plan", f"{header.plan_id} {header.name}".strip()),
        ("Available time, min/day", plan.available_min_per_day),
        ("Takt, min", plan.takt_min),
        ("Total work, min", plan.total_work_min),
        ("Theoretical minimum of stations", plan.min_stations),
        ("Stations", len(plan.stations)),
        ("Efficiency", plan.efficiency),
        ("Balance delay", plan.balance_delay),
        ("Method", plan.method),
    ]
    if plan.balance:
        b = plan.balance
        pairs += [
            ("RPW stations", b.heuristic_stations),
            ("Proven lower bound", b.lower_bound),
            ("Proven optimal", "yes" if b.optimal else "no"),
        ]
    pairs.append(("Drafted by", plan.provider))
    return [(label, value) for label, value in pairs if value is not None]


def stations(plan: OrgPlan, header: OrgHeader) -> Table:
    """Stations with their elements (names when known), load and idle time against takt."""
    names = header.element_names
    rows: list[tuple[Cell, ...]] = [
        (
            s.n,
            ", ".join(f"{op} {names[op]}" if op in names else op for op in s.operations),
            s.load_min,
            round(plan.takt_min - s.load_min, 9),
        )
        for s in plan.stations
    ]
    return Table("Stations", ("Station", "Elements", "Load, min", "Idle vs takt, min"), rows)


def equipment(plan: OrgPlan) -> Table:
    """Machines, utilisation and operators per station."""
    rows: list[tuple[Cell, ...]] = [(e.station, e.machines, e.utilisation, e.operators) for e in plan.equipment]
    return Table("Equipment", ("Station", "Machines", "Utilisation", "Operators"), rows)


def kanban_supply(plan: OrgPlan) -> Table:
    """Kanban cards with their formula, and the deliveries of each loop."""
    deliveries = {d.item: d for d in plan.supply}
    rows: list[tuple[Cell, ...]] = []
    for k in plan.kanban:
        d = deliveries.get(k.item)
        rows.append(
            (
                k.item,
                k.cards,
                k.formula,
                d.station if d else None,
                d.container if d else None,
                d.deliveries_per_day if d else None,
                d.every_min if d else None,
                d.max_inventory if d else None,
            )
        )
    columns = ("Item", "Cards", "Formula", "Station", "Container", "Deliveries/day", "Every, min", "Max inventory")
    return Table("Kanban and supply", columns, rows)


def schedule(plan: OrgPlan) -> list[Table]:
    """Batch times per machine in launch order, and the Gantt table."""
    if plan.schedule is None:
        return []
    s = plan.schedule
    machines = len(s.jobs[0].times_min) if s.jobs else 0
    by_job = {j.job: j for j in s.jobs}
    batches: list[tuple[Cell, ...]] = [(job, by_job[job].pieces, *by_job[job].times_min) for job in s.sequence]
    title = f"Launch schedule ({s.method}, makespan {text(s.makespan_min)} min{', optimal' if s.optimal else ''})"
    gantt: list[tuple[Cell, ...]] = [(t.job, t.machine, t.start, t.end) for t in s.gantt]
    return [
        Table(title, ("Job", "Pieces", *(f"Machine {k}, min" for k in range(1, machines + 1))), batches),
        Table("Gantt", ("Job", "Machine", "Start, min", "End, min"), gantt),
    ]


def cost(plan: OrgPlan) -> list[Table]:
    """Cost lines, totals, the sensitivity table and the break-even batch."""
    if plan.cost is None:
        return []
    c = plan.cost
    lines: list[tuple[Cell, ...]] = [
        (x.element, x.machine_min, x.setup_min, x.rate_per_h, x.processing, x.setup_share, x.cost) for x in c.lines
    ]
    lines += [
        ("Material", None, None, None, None, None, c.material),
        ("Fixed costs per piece", None, None, None, None, None, c.fixed_per_piece),
        ("Per piece", None, None, None, None, None, c.per_piece),
        (f"Per year ({text(c.annual_demand)} pieces)", None, None, None, None, None, c.per_year),
    ]
    columns = ("Element", "Machine, min", "Setup, min", "Rate/h", "Processing", "Setup share", "Cost")
    tables = [Table(f"Cost per piece (batch {c.batch_size})", columns, lines)]
    rows: list[tuple[Cell, ...]] = [
        (r.demand_factor, r.annual_demand, r.batch_size, r.per_piece, r.per_year) for r in c.sensitivity
    ]
    tables.append(Table("Sensitivity", ("Demand factor", "Annual demand", "Batch", "Per piece", "Per year"), rows))
    if c.break_even:
        b = c.break_even
        variants: list[tuple[Cell, ...]] = [(v.name, v.setup_min, v.piece_min, v.rate_per_h) for v in b.variants]
        verdict = (
            f"break-even batch {text(b.batch_size)} ({b.formula}); from {b.whole_batch} pieces {b.cheaper_large} is "
            f"no dearer"
            if b.batch_size is not None
            else f"{b.cheaper_large} is no dearer at any batch ({b.formula})"
        )
        variants.append((verdict, None, None, None))
        heading = ("Variant", "Setup, min", "Piece, min", "Rate/h")
        tables.append(Table(f"Break-even batch of {b.part_id}: universal vs CNC", heading, variants))
    return tables


def simulation(plan: OrgPlan) -> list[Table]:
    """Per station: time per piece, utilisation and the buffer after it; the throughput in the title."""
    if plan.simulation is None:
        return []
    s = plan.simulation
    buffers = dict(enumerate(s.mean_buffer, start=1))
    rows: list[tuple[Cell, ...]] = [
        (n, t, u, buffers.get(n), "bottleneck" if n == s.bottleneck else "")
        for n, (t, u) in enumerate(zip(s.station_times_min, s.utilisation, strict=True), start=1)
    ]
    title = (
        f"Simulation: {text(s.throughput_per_shift)} per shift ({s.confidence:.0%} interval {text(s.ci_low)}.."
        f"{text(s.ci_high)}), demand {text(s.demand_per_shift)}: {'met' if s.meets_demand else 'may be missed'} "
        f"({s.replications} replications of {s.shifts} shifts, seed {s.seed}, warm-up {text(s.warmup_min)} min)"
    )
    return [Table(title, ("Station", "Time/piece, min", "Utilisation", "Mean buffer after", ""), rows)]


def salbp2(plan: OrgPlan) -> list[Table]:
    """The least cycle on the given number of stations and its assignment."""
    if plan.salbp2 is None:
        return []
    s = plan.salbp2
    title = f"SALBP-2: least cycle {text(s.cycle_min)} min on {s.stations} stations ({s.method})"
    rows: list[tuple[Cell, ...]] = [(x.n, ", ".join(x.operations), x.load_min) for x in s.assignment]
    return [Table(title, ("Station", "Elements", "Load, min"), rows)]


def five_s(plan: OrgPlan) -> Table:
    """The 5S audit checkpoints by workplace type and step."""
    rows: list[tuple[Cell, ...]] = [(c.workplace, c.step, c.checkpoint, c.source.label()) for c in plan.five_s]
    return Table("5S audit checkpoints (score each 0..4)", ("Workplace", "Step", "Checkpoint", "Source"), rows)


def all_tables(plan: OrgPlan, header: OrgHeader) -> list[Table]:
    """Every section the plan has, in the order the review reads them."""
    found = [stations(plan, header)]
    found += [equipment(plan)] if plan.equipment else []
    found += [kanban_supply(plan)] if plan.kanban else []
    found += simulation(plan) + schedule(plan) + cost(plan) + salbp2(plan)
    return found
