"""The offline route: chains per feature, sequenced operations, machines, tooling and time norms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from assistant.catalog import CAPABILITY_DOC, HEAT_TREATMENT_DOC, Catalog
from assistant.citation import Citation
from assistant.engineering import norms
from assistant.engineering.blanks import BlankPlan, plan_blank
from assistant.engineering.equipment import MachineChoice, MachineNeed, bar_fed, centreless, select_machine
from assistant.engineering.heat import hardens
from assistant.engineering.operations import MACHINING_KINDS
from assistant.engineering.requirements import THREAD_TYPES
from assistant.engineering.routing import Condition, FeatureRoute, choose_chain
from assistant.engineering.sequencing import TOOTH_CHAMFERING, PlannedOperation, consolidate, plan_operations
from assistant.engineering.setups import SetupPlan, plan_setups
from assistant.engineering.tooling import cutting_tool_for, fixture_for, measuring_tools_for
from assistant.engineering.types import Machine, Requirement, Source
from assistant.parts.facts import PartFacts
from assistant.stages.findings import Finding, error, warning
from assistant.stages.routing.content import coolant
from assistant.stages.routing.layout import layout_for
from assistant.stages.routing.model import (
    BlankInfo,
    Equipment,
    Operation,
    RoutingRule,
    Setup,
    Transition,
)
from assistant.stages.routing.transitions import Chains, cut_transitions, special_transitions, treatment_transitions

CUTTING_SECTIONS = {
    "turning": "3.1",
    "facing_centering": "3.1",
    "drilling": "3.2",
    "countersinking": "3.2",
    "reaming": "3.2",
    "boring": "3.3",
    "milling": "3.4",
    "grinding": "3.5",
    "superfinishing": "3.5",
    "threading": "3.6",
    "gear_cutting": "3.7",
    "gear_finishing": "3.7",
    "broaching": "3.8",
    "other": "3.4",
}
TIME_SECTIONS = {
    "turning": "3.1",
    "facing": "3.2",
    "grooving": "3.1",
    "chamfering": "3.1",
    "drilling": "3.3",
    "tapping": "3.7",
    "face_milling": "3.5",
    "keyway_milling": "3.5",
    "slotting": "3.5",
    "grinding": "3.6",
    "surface_grinding": "3.6",
    "timed_by_length": "3.6",
    "thread_turning": "3.7",
    "hobbing": "3.8",
    "per_tooth": "3.8",
    "broaching": "3.8",
}
EQUIPMENT_SOURCE = Source("production-types-and-equipment.md", "4.1")


def feature_routes(facts: PartFacts, catalog: Catalog) -> tuple[list[FeatureRoute], list[Finding]]:
    """The chosen chain of every feature, and findings for features no chain finishes."""
    routes, findings = [], []
    for req in facts.requirements.values():
        condition = Condition(
            facts.group,
            facts.production,
            facts.part.rotational,
            facts.part.kind,
            facts.is_hardened(req.feature_id),
            hardens(facts.treatment),
            facts.treatment == "nitriding",
            facts.cored_above,
        )
        route = choose_chain(req, catalog.chains.get(req.feature_type, ()), catalog.processes, condition)
        if route is None:
            kind = req.feature_type.replace("_", " ")
            message = f"{req.feature_id}: no process in the catalogue machines a {kind} of this size on {facts.group}"
            findings.append(error(RoutingRule.NO_PROCESS_CHAIN, message, feature=req.feature_id))
            continue
        if not route.ok:
            best = " → ".join(s.name for s in route.steps)
            message = (
                f"{req.feature_id}: no chain reaches IT{req.it} Ra {req.ra:g}; the best, {best}, reaches "
                f"IT{route.reached.it} Ra {route.reached.ra:g}"
            )
            findings.append(error(RoutingRule.REQUIREMENT_UNREACHABLE, message, feature=req.feature_id))
        routes.append(route)
    return routes, findings


BORE_KINDS = frozenset({"drilling", "boring", "grinding", "superfinishing"})  # machines with bore limits


def _main_time(op: PlannedOperation, facts: PartFacts, catalog: Catalog, transitions: list[Transition]) -> float:
    total = sum(t.cutting.main_time_min or 0.0 for t in transitions if t.cutting)
    if op.kind == "facing_centering" or op.family == ("centre-hole",):
        total += norms.centre_holes_time(catalog.norms.centre_hole, float(catalog.norms.approach_mm))
    if op.family == TOOTH_CHAMFERING:
        total += norms.tooth_chamfering_time(sum(r.teeth for r in facts.requirements.values()))
    if op.kind == "blank":
        total += norms.sawing_time(facts.blank.section_mm2, float(catalog.norms.saw_rate_mm2_min[facts.group]))
    return total


def _requirements(op: PlannedOperation, facts: PartFacts) -> list[Requirement]:
    if op.kind in {"inspection", "deburring"}:
        return list(facts.requirements.values())
    return [facts.requirements[fid] for fid in op.feature_ids]


def _checked_here(op: PlannedOperation, facts: PartFacts) -> list[Requirement]:
    """What this operation's inspection checks: each feature at the grade and roughness the operation leaves."""
    checked = []
    for fid in op.feature_ids:
        req, steps = facts.requirements[fid], [s for s in op.steps if s.requirement.feature_id == fid]
        last = steps[-1]
        cap = last.capability(facts.group)
        if cap is not None:
            req = replace(req, it=max(req.it, cap.it), ra=max(req.ra, cap.ra))
        checked.append(req)
    return checked


def _non_machining_time(op: PlannedOperation, facts: PartFacts, catalog: Catalog) -> float:
    """Piece time of heat treatment, deburring, washing and inspection (time-norms.md §6.1)."""
    table, reqs = catalog.norms, list(facts.requirements.values())
    if op.kind == "heat_treatment" and op.treatment:
        treatment = catalog.heat_treatments[op.treatment]
        if treatment.load_kg:
            return max(0.2, treatment.cycle_min * facts.mass_kg / treatment.load_kg)
        return treatment.base_min + treatment.per_feature_min * len(facts.hardened)
    if op.kind == "deburring":
        return table.deburring.base_min + table.deburring.per_feature_min * len(reqs)
    if op.kind == "washing":
        return table.washing.base_min + table.washing.per_kg_min * facts.mass_kg
    fine = sum(1 for r in reqs if r.it <= 8 or r.ra <= 1.6)
    spec = table.inspection
    return spec.base_min + spec.per_feature_min * len(reqs) + spec.per_fine_feature_min * fine


def _need(op: PlannedOperation, facts: PartFacts, catalog: Catalog) -> MachineNeed:
    reqs = _requirements(op, facts)
    if op.kind == "heat_treatment" and op.treatment:
        return MachineNeed(op.kind, facts.geometry, None, catalog.heat_treatments[op.treatment].machine_types)
    if op.kind == "inspection":
        fine = min((r.it for r in reqs if r.feature_type not in {"gear_teeth"}), default=14)
        words = ("cmm",) if fine <= 7 or not facts.part.rotational else ("inspection table",)
        return MachineNeed(op.kind, facts.geometry, None, words)
    # a thread class (6H, 6g) is not an IT grade: it never asks a machine for IT accuracy
    caps = [
        c.it
        for s in op.steps
        if s.requirement.feature_type not in THREAD_TYPES and (c := s.capability(facts.group)) is not None
    ]
    holes = max(
        (s.requirement.size for s in op.steps if s.requirement.feature_type == "hole" and op.kind in BORE_KINDS),
        default=0.0,
    )
    family = op.family
    if op.kind == "grinding" and set(op.feature_ids) & facts.runout:
        family = tuple(w for w in family if not centreless(w))  # a runout needs the centre datum
    return MachineNeed(op.kind, facts.geometry, max(caps) if caps else None, family, holes)


def _tools(op: PlannedOperation, facts: PartFacts, catalog: Catalog) -> list[str]:
    names = [
        cutting_tool_for(
            s.process.kind,
            s.process.stage,
            s.requirement.feature_type,
            facts.group,
            catalog.cutting_tools,
            s.process.code,
        )
        for s in op.steps
    ]
    if op.kind == "blank":
        names.append(cutting_tool_for("blank", "rough", "end_face", facts.group, catalog.cutting_tools))
    if op.kind == "facing_centering":
        names += [
            cutting_tool_for("facing_centering", "rough", t, facts.group, catalog.cutting_tools)
            for t in ("end_face", "hole")
        ]
    if op.kind == "deburring":
        names.append(cutting_tool_for("deburring", "finish", "chamfer", facts.group, catalog.cutting_tools))
    return list(dict.fromkeys(n for n in names if n))


def _sources(op: PlannedOperation, choice: MachineChoice, time_formulas: Iterable[str]) -> list[Citation]:
    refs = [op.rule]
    for step in op.steps:
        refs += [step.chain, Source(CAPABILITY_DOC, step.process.section)]
    if op.treatment:
        refs.append(Source(HEAT_TREATMENT_DOC, None))
    if choice.machine is not None:
        refs.append(EQUIPMENT_SOURCE)
    if op.kind in CUTTING_SECTIONS and op.steps:
        refs.append(Source("cutting-data.md", CUTTING_SECTIONS[op.kind]))
    refs += [Source(norms.TIME_DOC, TIME_SECTIONS.get(f, "6.1")) for f in time_formulas] + [
        Source(norms.TIME_DOC, "7.2")
    ]
    unique = dict.fromkeys((r.doc, r.section) for r in refs)
    return [Citation(doc=doc, section=section) for doc, section in unique]


def _rationale(op: PlannedOperation, facts: PartFacts, choice: MachineChoice, time: norms.PieceTime) -> str:
    parts = []
    if op.kind == "blank":
        parts.append(f"{facts.blank.description} ({facts.material.grade})")
    for fid in op.feature_ids:
        req = facts.requirements[fid]
        steps = [s.process.name.lower() for s in op.steps if s.requirement.feature_id == fid]
        parts.append(f"{fid}: {', '.join(steps)} toward IT{req.it} Ra {req.ra:g}")
    if op.treatment:
        target = f" to {facts.hardness.text}" if facts.hardness and op.treatment == facts.treatment else ""
        parts.append(f"{op.name}{target} ({facts.material.grade}); hardness checked after treatment")
    if op.kind == "grinding" and facts.part.kind == "shaft" and any(s.after_ht for s in op.steps):
        parts.append("centre holes cleaned after heat treatment before grinding")
    parts.append(choice.reason)
    parts.append(
        f"To {time.main:.2f} + Ta {time.auxiliary:.2f} min, allowances {time.servicing_pct + time.rest_pct:g} %, "
        f"Tpc-calc {time.piece_calculation:.2f} min at batch {time.batch}"
    )
    return "; ".join(parts)


def _piece_time(
    op: PlannedOperation, facts: PartFacts, catalog: Catalog, transitions: list[Transition], machine: Machine | None
) -> norms.PieceTime:
    """Main, auxiliary, allowances and setup of one operation (time-norms.md §3-7)."""
    if op.kind in MACHINING_KINDS or op.kind in {"blank", "other"}:
        main = _main_time(op, facts, catalog, transitions)
        measured = [r.it <= 8 for r in _requirements(op, facts)]
        auxiliary = norms.auxiliary_time(
            facts.mass_kg,
            max(1, len(op.steps)),
            measured,
            machine.automation if machine else "universal",
            catalog.norms,
        )
    else:
        main, auxiliary = _non_machining_time(op, facts, catalog), 0.0
    serv, rest = norms.allowances_pct(op.kind, catalog.norms)
    setup = float(machine.setup_time_min if machine and machine.setup_time_min else catalog.norms.setup_default_min)
    return norms.PieceTime(main, auxiliary, serv, rest, setup, facts.batch_size)


def _measuring(op: PlannedOperation, facts: PartFacts, catalog: Catalog) -> list[str]:
    """Instruments for what the operation leaves (final inspection: the drawing's requirements)."""
    if op.kind == "inspection":
        return measuring_tools_for(_requirements(op, facts), catalog.measuring_tools)
    if op.kind in MACHINING_KINDS:
        return measuring_tools_for(_checked_here(op, facts), catalog.measuring_tools)
    return []


def _setups(
    op: PlannedOperation,
    plans: list[SetupPlan],
    facts: PartFacts,
    catalog: Catalog,
    chains: Chains,
    machine: Machine | None,
) -> list[Setup]:
    """The setups of the operation with their transitions numbered through it; a heat treatment's steps."""
    setups: list[Setup] = []
    for plan in plans:
        first = sum(len(s.transitions) for s in setups) + 1
        transitions = cut_transitions(replace(op, steps=plan.steps), facts, catalog, chains, machine, first)
        if transitions:
            setups.append(Setup(id=plan.id, clamping=plan.clamping, transitions=transitions))
    treatment = treatment_transitions(op, facts) or special_transitions(op, facts)
    return setups or ([Setup(id="A", transitions=treatment)] if treatment else [])


def _fixtures(op: PlannedOperation, plans: list[SetupPlan], facts: PartFacts, catalog: Catalog) -> list[str]:
    """The workholding of each setup, in order: a chuck, then a mandrel in the machined bore (4.4)."""
    found = (fixture_for(op.kind, facts.part.kind, catalog.fixtures, plan.locates) for plan in plans)
    return list(dict.fromkeys(f for f in found if f))


def build_operation(
    number: int,
    op: PlannedOperation,
    facts: PartFacts,
    catalog: Catalog,
    chains: Chains,
    findings: list[Finding],
    plans: list[SetupPlan],
) -> Operation:
    """One route-card operation from a planned one: machine, tooling, times, rationale and sources."""
    choice = select_machine(_need(op, facts, catalog), catalog.machines, facts.automation)
    machine = choice.machine
    if not choice.holds:
        message = (
            f"operation {number:03d}: no {op.kind} machine in the catalogue holds the grade it needs; {choice.reason}"
        )
        findings.append(warning(RoutingRule.TOLERANCE_VS_EQUIPMENT, message, f"{number:03d}"))
    setups = _setups(op, plans, facts, catalog, chains, machine)
    transitions = [t for s in setups for t in s.transitions]
    time = _piece_time(op, facts, catalog, transitions, machine)
    grade = machine.worker_grade if machine else None
    if grade is not None and op.stage == "fine":
        grade = max(grade, 4)
    return Operation(
        number=f"{number:03d}",
        name=op.name,
        kind=op.kind,
        stage=op.stage if op.kind in MACHINING_KINDS else None,
        features=op.feature_ids,
        equipment=Equipment(model=machine.model if machine else "", type=machine.type if machine else ""),
        fixtures=_fixtures(op, plans, facts, catalog),
        tools=_tools(op, facts, catalog),
        measuring=_measuring(op, facts, catalog),
        setup_time_min=round(time.setup, 1),
        piece_time_min=round(time.piece, 2),
        profession=machine.profession if machine else "",
        worker_grade=grade,
        rationale=_rationale(op, facts, choice, time),
        sources=_sources(
            op, choice, dict.fromkeys(norms.formula_for(s.process, s.requirement.feature_type) for s in op.steps)
        ),
        setups=setups,
        coolant=coolant(op.kind, facts.group),
    )


def _turned_from_bar(planned: list[PlannedOperation], machines: list[Machine | None]) -> bool:
    """True when the part is turned on a bar automatic: no cut-off operation precedes it (3.5)."""
    return any(
        op.kind == "turning" and machine is not None and bar_fed(machine)
        for op, machine in zip(planned, machines, strict=True)
    )


def _from_bar(
    planned: list[PlannedOperation], machines: list[Machine | None]
) -> tuple[list[PlannedOperation], list[Machine | None]]:
    """The route of a bar-fed part: no cut-off; the automatic faces the ends as it turns and parts off, and the
    centre holes are drilled after it (route-review-rules.md 3.5)."""
    pairs = [(op, m) for op, m in zip(planned, machines, strict=True) if op.kind != "blank"]
    datum = [(op, m) for op, m in pairs if op.kind == "facing_centering"]
    rest = [(op, m) for op, m in pairs if op.kind != "facing_centering"]
    on_automatic = [i for i, (_, m) in enumerate(rest) if m is not None and bar_fed(m)]
    if datum and on_automatic:
        first = on_automatic[0]
        faces = tuple(s for op, _ in datum for s in op.steps)
        rest[first] = (replace(rest[first][0], steps=faces + rest[first][0].steps), rest[first][1])
        datum = [(replace(op, name="Centre drilling", steps=()), m) for op, m in datum]
    at = on_automatic[-1] + 1 if on_automatic else 0
    ordered = [*rest[:at], *datum, *rest[at:]]
    return [op for op, _ in ordered], [m for _, m in ordered]


def blank_info(plan: BlankPlan) -> BlankInfo:
    """The blank of the card header (M02 row)."""
    return BlankInfo(
        kind=plan.kind,
        size=plan.size,
        mass_kg=round(plan.mass_kg, 2),
        consumption_kg=round(plan.consumption_kg, 2),
        utilisation=plan.utilisation,
    )


def build_operations(facts: PartFacts, catalog: Catalog) -> tuple[list[Operation], list[Finding], BlankInfo | None]:
    """The complete offline route of a part, the findings met while building it, and its blank."""
    routes, findings = feature_routes(facts, catalog)
    treatment = catalog.heat_treatments[facts.treatment].name if facts.treatment else None
    layout = layout_for(facts)
    planned = plan_operations(routes, layout, treatment)
    automation = facts.automation
    machines = [select_machine(_need(op, facts, catalog), catalog.machines, automation).machine for op in planned]
    plan = facts.blank_plan
    if facts.blank_kind == "rolled_bar" and _turned_from_bar(planned, machines):
        planned, machines = _from_bar(planned, machines)
        plan = plan_blank(
            facts.blank_kind,
            facts.geometry,
            facts.mass_kg,
            facts.material.density,
            catalog.allowances,
            material=facts.material.grade,
            group=facts.material.group,
            production=facts.production,
            bar_feed=True,
        )
    planned = consolidate(planned, machines, keep_rough_apart=layout.long_shaft)
    chains = {r.requirement.feature_id: r.steps for r in routes}
    operations = []
    for i, op in enumerate(planned):
        machined = any(layout.bore in o.feature_ids for o in planned[:i])
        plans = plan_setups(op.kind, op.steps, layout.bore, layout.axial, machined)
        operations.append(build_operation(5 * (i + 1), op, facts, catalog, chains, findings, plans))
    return operations, findings, blank_info(plan) if plan else None
