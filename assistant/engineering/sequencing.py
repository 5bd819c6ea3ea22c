"""Chosen chains → operations in execution order: blank, datums, roughing, finishing, heat treatment, closing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from assistant.engineering.equipment import bar_fed
from assistant.engineering.operations import KINDS, MachiningStage, OperationKind
from assistant.engineering.routing import FeatureRoute
from assistant.engineering.types import Capability, Machine, Process, Requirement, Source

SEQUENCING_DOC = "operation-sequencing.md"
REVIEW_DOC = "route-review-rules.md"
BLANK, IMPROVE, DATUM, BEFORE_HT, HEAT, AFTER_HT, CLOSING = range(7)
KIND_ORDER = (
    "facing_centering",
    "turning",
    "boring",
    "milling",
    "drilling",
    "countersinking",
    "reaming",
    "broaching",
    "other",
    "threading",
    "gear_cutting",
    "gear_finishing",
    "grinding",
    "superfinishing",
)
PRISMATIC_ORDER = ("facing_centering", "milling", *(k for k in KIND_ORDER[1:] if k != "milling"))  # planes first
LATHE = ("lathe",)
_AXIAL_KINDS = {"drilling", "countersinking", "reaming", "boring", "threading"}


@dataclass(frozen=True)
class PlannedStep:
    """One process applied to one feature, with the chain clause that chose it."""

    requirement: Requirement
    process: Process
    after_ht: bool
    chain: Source
    hardened: bool = False

    def capability(self, group: str) -> Capability | None:
        """What this step leaves on the feature (the hardened capability after the heat treatment)."""
        return self.process.hardened if self.after_ht and self.hardened else self.process.capability.get(group)


@dataclass(frozen=True)
class PlannedOperation:
    """An operation before equipment and times: what it does, to which features, and why it sits here."""

    kind: str
    name: str
    phase: int
    stage: str | None = None
    steps: tuple[PlannedStep, ...] = ()
    family: tuple[str, ...] = ()
    rule: Source = field(default_factory=lambda: Source(SEQUENCING_DOC, "3.3"))
    treatment: str | None = None

    @property
    def feature_ids(self) -> list[str]:
        """Features this operation works on, in first-seen order."""
        return list(dict.fromkeys(s.requirement.feature_id for s in self.steps))


@dataclass(frozen=True)
class Layout:
    """Route-level facts the sequencer needs."""

    rotational: bool
    centres: bool
    blank_cut: bool
    treatment: str | None
    datum_plane: str | None = None
    axial: frozenset[str] = frozenset()
    bore_is_datum: bool = False  # teeth, hub keyways or splines are located from the bore
    aged: bool = False  # a casting with bores of IT7 and finer: artificial ageing between roughing and finishing
    long_shaft: bool = False  # length over about 12 diameters: straightened after hardening
    positional: frozenset[str] = frozenset()  # holes with a positional tolerance: one setup (4.6)
    bore: str | None = None  # the bore a hubbed part is located from: its bores are machined first (4.4)
    teeth_chamfered: bool = False  # tooth ends chamfered after gear cutting, before heat treatment (Table 7)


def _finest(steps: Iterable[PlannedStep]) -> MachiningStage:
    return max((MachiningStage(s.process.stage) for s in steps), key=lambda stage: stage.order)


def _name(kind: str, steps: tuple[PlannedStep, ...]) -> str:
    codes = {s.process.code for s in steps}
    if len(codes) == 1:
        return steps[0].process.name
    label = KINDS[OperationKind(kind)].name or kind.replace("_", " ")
    if label[0].isupper():
        return label
    stage = _finest(steps)
    return f"{stage.prefix} {label}"


def _steps(routes: list[FeatureRoute]) -> list[PlannedStep]:
    return [
        PlannedStep(r.requirement, process, after, Source(r.option.doc, r.option.section), r.hardened)
        for r in routes
        for process, after in zip(r.steps, r.after_ht, strict=True)
    ]


def _family(step: PlannedStep, layout: Layout) -> tuple[str, ...]:
    if step.requirement.feature_id in layout.axial and step.process.kind in _AXIAL_KINDS:
        return LATHE
    return step.process.machine_types


def _datum_steps(steps: list[PlannedStep], layout: Layout) -> tuple[list[PlannedOperation], list[PlannedStep]]:
    """Operations that make the datums first (facing and centering, or the base plane) and the steps left."""
    operations: list[PlannedOperation] = []
    rest = list(steps)
    if layout.centres:
        faces = [s for s in rest if s.requirement.feature_type == "end_face" and s.process.code == "turn_rough"]
        rest = [s for s in rest if s not in faces]
        operations.append(
            PlannedOperation(
                "facing_centering",
                "Facing and centering",
                DATUM,
                "rough",
                tuple(faces),
                ("centering",),
                Source(SEQUENCING_DOC, "3.2"),
            )
        )
    elif layout.datum_plane:
        datum = [s for s in rest if s.requirement.feature_id == layout.datum_plane and not s.after_ht]
        rest = [s for s in rest if s not in datum]
        for kind in dict.fromkeys(s.process.kind for s in datum):
            group = tuple(s for s in datum if s.process.kind == kind)
            operations.append(
                PlannedOperation(
                    kind,
                    f"{_name(kind, group)} of the base plane",
                    DATUM,
                    _finest(group),
                    group,
                    group[0].process.machine_types,
                    Source(SEQUENCING_DOC, "3.2"),
                )
            )
    return operations, rest


def _family_rank(family: tuple[str, ...], layout: Layout) -> int:
    """Among operations of one kind, the datum surfaces first: bores of turned parts, planes of prismatic parts."""
    first = "internal" if layout.rotational else "surface"
    return 0 if first in family else 1


def _rank(step: PlannedStep, layout: Layout) -> int:
    """Stage group; the bore of a hubbed part is its datum for gear cutting, so it is finished with the finishing group."""
    rank = MachiningStage(step.process.stage).group
    if layout.bore_is_datum and step.requirement.feature_id in layout.axial and not step.after_ht:
        return min(rank, 1)
    return rank


def _grouped(steps: list[PlannedStep], layout: Layout) -> list[PlannedOperation]:
    """Steps of the same kind, stage group and machine family share one operation (operation-sequencing.md §5.2);
    in each stage group the bores of a part located from its bore come first (route-review-rules.md 4.4)."""
    order = KIND_ORDER if layout.rotational else PRISMATIC_ORDER
    groups: dict[tuple[int, int, int, int, int, tuple[str, ...]], list[PlannedStep]] = {}
    for step in steps:
        phase = AFTER_HT if step.after_ht else BEFORE_HT
        if _positional(step, layout):  # the whole pattern in one setup, with the finishing group
            key = (phase, 1, 1, order.index("drilling"), 0, POSITIONAL)
        else:
            family = _family(step, layout)
            inside = step.requirement.feature_id in layout.axial and step.process.kind in _AXIAL_KINDS | {"grinding"}
            inside_first = 0 if layout.bore and inside else 1
            kind_at = order.index(step.process.kind)
            key = (phase, _rank(step, layout), inside_first, kind_at, _family_rank(family, layout), family)
        groups.setdefault(key, []).append(step)
    operations = []
    for key in sorted(groups):
        phase, _, _, kind_index, _, family = key
        group = tuple(groups[key])
        kind = order[kind_index]
        if family == POSITIONAL:
            rule, name = Source(REVIEW_DOC, "4.6"), "Drilling and reaming of the hole pattern in one setup"
        else:
            rule, name = Source(SEQUENCING_DOC, "4.1" if phase == AFTER_HT else "3.3"), _name(kind, group)
        operations.append(PlannedOperation(kind, name, phase, _finest(group), group, family, rule))
    return operations


# Holes with a positional tolerance: drilled, core-drilled and reamed in one setup on a jig or CNC machine
POSITIONAL: tuple[str, ...] = ("drilling", "machining centre", "jig boring")
_PATTERN_KINDS = frozenset({"drilling", "countersinking", "reaming"})


def _positional(step: PlannedStep, layout: Layout) -> bool:
    return step.requirement.feature_id in layout.positional and step.process.kind in _PATTERN_KINDS


IMPROVEMENT_NAME = "Hardening and high tempering (improvement)"
# Treatments that start with improvement of the blank, and the clause that says so
ON_THE_BLANK = {  # the treatment itself is done on the blank, before machining
    "improvement": Source(SEQUENCING_DOC, "4.2"),
    "normalizing": Source(REVIEW_DOC, "5.6"),
}
IMPROVED_FIRST = {  # hardening treatments whose blank is improved first
    "nitriding": Source("heat-treatment.md", "6.2"),  # improved, machined, stress-relieved, ground, nitrided
    "induction_hardening": Source(REVIEW_DOC, "5.4"),  # a strong core under the hardened layer
}
# Where a hardening treatment sits in the route, and the clause that says so
HT_PLACEMENT = {
    "induction_hardening": Source(SEQUENCING_DOC, "4.6"),
    "nitriding": Source("heat-treatment.md", "9.7"),  # after finish grinding; fine grinding or lapping only after it
}


def _with_ageing(before: list[PlannedOperation], layout: Layout) -> list[PlannedOperation]:
    """Artificial ageing of a precise casting after its roughing operations (route-review-rules.md 5.13)."""
    if not layout.aged:
        return before
    rough = [i for i, op in enumerate(before) if op.stage and MachiningStage(op.stage).group == 0]
    at = rough[-1] + 1 if rough else 0
    ageing = PlannedOperation(
        "heat_treatment",
        "Artificial ageing (stress relief)",
        BEFORE_HT,
        rule=Source(REVIEW_DOC, "5.13"),
        treatment="ageing",
    )
    return [*before[:at], ageing, *before[at:]]


TOOTH_CHAMFERING = ("gear chamfering",)


def _with_tooth_chamfering(before: list[PlannedOperation], layout: Layout) -> list[PlannedOperation]:
    """Chamfering (rounding) of the tooth ends after the teeth are cut and before they are shaved or hardened
    (route-review-rules.md 9.7, Table 7)."""
    cut = [i for i, op in enumerate(before) if op.kind == "gear_cutting"]
    if not layout.teeth_chamfered or not cut:
        return before
    chamfering = PlannedOperation(
        "gear_finishing",
        "Tooth chamfering",
        BEFORE_HT,
        "finish",
        family=TOOTH_CHAMFERING,
        rule=Source(REVIEW_DOC, "9.7"),
    )
    return [*before[: cut[-1] + 1], chamfering, *before[cut[-1] + 1 :]]


def _after_hardening(layout: Layout, ground_after: bool) -> list[PlannedOperation]:
    """Straightening of a long shaft, and grinding of its centre holes before it is ground (5.15, 5.16)."""
    found = []
    if layout.long_shaft:
        found.append(
            PlannedOperation("other", "Straightening", HEAT, family=("straightening",), rule=Source(REVIEW_DOC, "5.15"))
        )
    if layout.centres and ground_after:
        found.append(
            PlannedOperation(
                "grinding",
                "Centre-hole grinding",
                HEAT,
                "finish",
                family=("centre-hole",),
                rule=Source(REVIEW_DOC, "5.16"),
            )
        )
    return found


def plan_operations(routes: list[FeatureRoute], layout: Layout, treatment_name: str | None) -> list[PlannedOperation]:
    """The route's operations in execution order (numbering is left to the caller)."""
    operations: list[PlannedOperation] = []
    if layout.blank_cut:
        operations.append(PlannedOperation("blank", "Cutting-off", BLANK, None, rule=Source(SEQUENCING_DOC, "3.1")))
    if layout.treatment in ON_THE_BLANK:
        operations.append(
            PlannedOperation(
                "heat_treatment",
                treatment_name or IMPROVEMENT_NAME,
                IMPROVE,
                rule=ON_THE_BLANK[layout.treatment],
                treatment=layout.treatment,
            )
        )
    elif layout.treatment in IMPROVED_FIRST:
        operations.append(
            PlannedOperation(
                "heat_treatment",
                IMPROVEMENT_NAME,
                IMPROVE,
                rule=IMPROVED_FIRST[layout.treatment],
                treatment="improvement",
            )
        )
    datum_ops, rest = _datum_steps(_steps(routes), layout)
    operations += datum_ops
    machining = _grouped(rest, layout)
    operations += _with_ageing(
        _with_tooth_chamfering([op for op in machining if op.phase == BEFORE_HT], layout), layout
    )
    after = [op for op in machining if op.phase == AFTER_HT]
    if layout.treatment and layout.treatment not in ON_THE_BLANK:
        operations.append(
            PlannedOperation(
                "heat_treatment",
                treatment_name or "Heat treatment",
                HEAT,
                rule=HT_PLACEMENT.get(layout.treatment, Source(SEQUENCING_DOC, "4.1")),
                treatment=layout.treatment,
            )
        )
        operations += _after_hardening(layout, any(op.kind == "grinding" for op in after))
    operations += after
    closing = Source(SEQUENCING_DOC, "5.1")
    operations += [
        PlannedOperation("deburring", "Deburring", CLOSING, rule=closing),
        PlannedOperation("washing", "Washing", CLOSING, rule=closing),
        PlannedOperation("inspection", "Final inspection", CLOSING, rule=closing),
    ]
    return operations


def _merged(first: PlannedOperation, later: PlannedOperation, machine: Machine) -> PlannedOperation:
    steps = first.steps + later.steps
    kinds = {s.process.kind for s in steps}
    if "machining centre" in machine.type.lower():
        name = "Machining centre operation"
    elif bar_fed(machine):
        name = f"{machine.type.capitalize()} operation"
    elif len(kinds) == 1:
        name = f"CNC {(KINDS[OperationKind(first.kind)].name or first.kind).lower()}"
    else:
        name = f"CNC {machine.type.lower().removeprefix('cnc ')} operation"
    turns = "turning" in kinds and ("lathe" in machine.type.lower() or bar_fed(machine))
    kind = "turning" if turns else first.kind  # a lathe's operation that starts with the bore (4.4)
    return replace(first, kind=kind, name=name, stage=_finest(steps), steps=steps, rule=Source(REVIEW_DOC, "4.2"))


# Machines whose work between two heat treatments is one operation: CNC machines and automatics
ONE_CLAMPING = frozenset({"cnc", "special"})


def consolidate(
    operations: list[PlannedOperation], machines: list[Machine | None], keep_rough_apart: bool = False
) -> list[PlannedOperation]:
    """Work on the same CNC machine or automatic between two heat treatments is one operation: roughing and finishing are made
    in one clamping, so one set-up of program and fixture serves them (route-review-rules.md 4.1-4.3).
    `keep_rough_apart` keeps roughing and finishing apart where the accuracy needs the part released after
    roughing (long slender shafts, 4.2)."""
    merged: list[tuple[PlannedOperation, Machine | None]] = []
    for op, machine in zip(operations, machines, strict=True):
        target = None
        if machine is not None and machine.automation in ONE_CLAMPING and op.steps:
            for j in range(len(merged) - 1, -1, -1):
                other, other_machine = merged[j]
                if other.phase != op.phase or other.kind == "heat_treatment":
                    break  # a heat treatment, the datums or the closing lie between
                same = other_machine is not None and other_machine.model == machine.model and other.steps
                rough_apart = keep_rough_apart and other.stage != op.stage
                if same and not rough_apart:
                    target = j
                    break
                if set(other.feature_ids) & set(op.feature_ids):
                    break  # an operation in between works on the same features: their order stands
        if target is None:
            merged.append((op, machine))
        else:
            first, first_machine = merged[target]
            assert first_machine is not None
            merged[target] = (_merged(first, op, first_machine), first_machine)
    return [op for op, _ in merged]
