"""Rule checks over any routing draft (prepro's, a person's or an LLM's) against its part."""

from __future__ import annotations

from collections.abc import Callable

from assistant.catalog import Catalog
from assistant.engineering.blanks import CUT_KINDS
from assistant.engineering.equipment import bar_fed, fits
from assistant.engineering.heat import hardens
from assistant.engineering.operations import MACHINING_KINDS, MachiningStage
from assistant.engineering.routing import ABRASIVE_KINDS, NOT_FINISHED_AFTER_HT, degrade, distortion_matters
from assistant.engineering.types import Capability, Process
from assistant.parts.facts import PartFacts
from assistant.stages.findings import Finding, error, warning
from assistant.stages.routing.model import Operation, RoutingDraft, RoutingRule
from assistant.stages.routing.review import REVIEW_CHECKS
from assistant.stages.routing.review_heat import heat_treatments

Check = Callable[[RoutingDraft, PartFacts, Catalog], list[Finding]]


def check_numbering(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Operations are numbered 005, 010, 015 ... in execution order."""
    return [
        error(
            RoutingRule.NUMBERING,
            f"operation {op.number} should be numbered {5 * i:03d} (005, 010, ... in order)",
            op.number,
        )
        for i, op in enumerate(draft.operations, start=1)
        if op.number != f"{5 * i:03d}"
    ]


def check_final_inspection(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """An inspection closes the route, after the last machining or heat treatment."""
    last_work = max(
        (i for i, op in enumerate(draft.operations) if op.kind in MACHINING_KINDS | {"heat_treatment"}), default=-1
    )
    if any(op.kind == "inspection" for op in draft.operations[last_work + 1 :]):
        return []
    return [
        error(
            RoutingRule.MISSING_FINAL_INSPECTION,
            "the route has no final inspection after the last machining or heat treatment operation",
        )
    ]


def check_equipment(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Every machine is in the catalogue, does the operation's kind, and takes the part."""
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if machine is None:
            findings.append(
                error(
                    RoutingRule.UNKNOWN_EQUIPMENT,
                    f"operation {op.number}: equipment '{op.equipment.model}' is not in the equipment catalogue",
                    op.number,
                )
            )
            continue
        if op.kind not in machine.kinds:
            findings.append(
                warning(
                    RoutingRule.EQUIPMENT_KIND,
                    f"operation {op.number}: {machine.model} ({machine.type}) is not listed for {op.kind}",
                    op.number,
                )
            )
        if not fits(machine, facts.geometry):
            findings.append(
                error(
                    RoutingRule.PART_DOES_NOT_FIT,
                    f"operation {op.number}: the part does not fit {machine.model} ({machine.type})",
                    op.number,
                )
            )
    return findings


def check_times(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Setup and piece times are present, positive and plausible."""
    limit = float(catalog.norms.piece_time_max_min)
    findings = []
    for op in draft.operations:
        for name, value in (("setup", op.setup_time_min), ("piece", op.piece_time_min)):
            if value is None:
                findings.append(
                    error(RoutingRule.TIME_MISSING, f"operation {op.number}: {name} time is missing", op.number)
                )
            elif value <= 0:
                findings.append(
                    error(
                        RoutingRule.TIME_NOT_POSITIVE,
                        f"operation {op.number}: {name} time must be positive (got {value:g} min)",
                        op.number,
                    )
                )
            elif value > limit:
                findings.append(
                    error(
                        RoutingRule.TIME_ABSURD,
                        f"operation {op.number}: {name} time {value:g} min exceeds a shift ({limit:g} min)",
                        op.number,
                    )
                )
        if op.kind in MACHINING_KINDS and op.piece_time_min is not None and 0 < op.piece_time_min < 0.02:
            findings.append(
                warning(
                    RoutingRule.TIME_ABSURD,
                    f"operation {op.number}: piece time {op.piece_time_min:g} min is implausibly short for machining",
                    op.number,
                )
            )
    return findings


def _processes_for(feature_type: str, op: Operation, catalog: Catalog) -> list[Process]:
    """Processes the operation may have applied to a feature: every kind its machine does (an operation on a CNC
    machine groups turning, drilling and threading; a hole pattern is drilled and reamed in one setup)."""
    codes = {code for option in catalog.chains.get(feature_type, ()) for code in option.steps}
    machine = catalog.machine(op.equipment.model)
    kinds = {"turning" if op.kind == "facing_centering" else op.kind}  # facing is rough turning of the end faces
    if machine is not None:
        kinds |= set(machine.kinds)
    matching = [catalog.processes[c] for c in codes if catalog.processes[c].kind in kinds]
    if op.stage:
        matching = [p for p in matching if p.stage == op.stage] or [
            p for p in matching if MachiningStage(p.stage).order <= op.stage.order
        ]
    return matching


def _capability(
    op: Operation, feature_type: str, hardened_after: bool, facts: PartFacts, catalog: Catalog
) -> Capability | None:
    caps = [
        cap
        for p in _processes_for(feature_type, op, catalog)
        if (cap := p.hardened if hardened_after else p.capability.get(facts.group)) is not None
    ]
    return min(caps, key=lambda c: (c.it, c.ra)) if caps else None


def _hardening_at(draft: RoutingDraft) -> int | None:
    """Index of the hardening operation: the last heat treatment (an improvement of the blank comes first)."""
    return max(heat_treatments(draft), default=None)


def check_features(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Each feature gets an operation whose result reaches its IT and Ra (hardened surfaces after heat treatment)."""
    findings: list[Finding] = []
    known = set(facts.requirements)
    for op in draft.operations:
        findings += [
            error(
                RoutingRule.UNKNOWN_FEATURE, f"operation {op.number}: feature {fid} is not on the part", op.number, fid
            )
            for fid in op.features
            if fid not in known
        ]
    ht = _hardening_at(draft) if hardens(facts.treatment) else None
    for fid, req in facts.requirements.items():
        ops = [(i, op) for i, op in enumerate(draft.operations) if fid in op.features and op.kind in MACHINING_KINDS]
        if not ops:
            findings.append(
                error(
                    RoutingRule.FEATURE_NOT_MACHINED,
                    f"{fid} ({req.feature_type.replace('_', ' ')}, IT{req.it}, Ra {req.ra:g}) has no operation",
                    feature=fid,
                )
            )
            continue
        hardened = facts.is_hardened(fid) and req.feature_type not in NOT_FINISHED_AFTER_HT and distortion_matters(req)
        index, last = ops[-1]
        after = hardened and ht is not None and index > ht
        reached = _capability(last, req.feature_type, after, facts, catalog)
        if reached is not None and hardened and not after and facts.treatment != "nitriding":
            reached = degrade(reached)  # nitriding hardly distorts: surfaces are finished before it
        if reached is None or not reached.reaches(req.it, req.ra):
            got = f"IT{reached.it} Ra {reached.ra:g}" if reached else "nothing it can hold"
            why = " (finished before heat treatment, which costs a grade)" if hardened and not after else ""
            findings.append(
                error(
                    RoutingRule.FEATURE_NOT_FINISHED,
                    f"{fid} needs IT{req.it} Ra {req.ra:g} but its last "
                    f"operation {last.number} ({last.kind}) reaches {got}{why}",
                    last.number,
                    fid,
                )
            )
    return findings


def check_heat_treatment(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Required heat treatment is present, and hardened surfaces are not finished before it."""
    if facts.treatment is None:
        return []
    ht = _hardening_at(draft)
    if ht is None:
        return [
            error(
                RoutingRule.MISSING_HEAT_TREATMENT,
                f"hardness {facts.hardness.text if facts.hardness else ''} needs heat treatment but the route has none",
            )
        ]
    if not hardens(facts.treatment):
        return []
    findings = []
    for i, op in enumerate(draft.operations):
        for fid in op.features:
            req = facts.requirements.get(fid)
            if req is None or not facts.is_hardened(fid) or req.feature_type in NOT_FINISHED_AFTER_HT:
                continue
            nitriding = facts.treatment == "nitriding"  # finished before it by rule (heat-treatment.md 6.2)
            if (
                i < ht
                and op.kind in {"grinding", "superfinishing"}
                and op.stage in {"finish", "fine"}
                and not nitriding
            ):
                findings.append(
                    error(
                        RoutingRule.FINISHING_BEFORE_HEAT_TREATMENT,
                        f"operation {op.number} finishes hardened "
                        f"surface {fid} before the heat treatment {draft.operations[ht].number}",
                        op.number,
                        fid,
                    )
                )
            if i > ht and op.kind in MACHINING_KINDS - ABRASIVE_KINDS:
                findings.append(
                    warning(
                        RoutingRule.CUTTING_HARDENED_SURFACE,
                        f"operation {op.number} cuts hardened surface {fid} with a {op.kind} tool; grind it instead",
                        op.number,
                        fid,
                    )
                )
    return findings


def _on_automatic(draft: RoutingDraft, catalog: Catalog) -> bool:
    machines = [catalog.machine(op.equipment.model) for op in draft.operations if op.kind == "turning"]
    return any(m is not None and bar_fed(m) for m in machines)


def check_blank(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A bar, plate or tube blank is cut first, unless a bar automatic takes the bar; a casting, forging or
    stamping is never sawn (route-review-rules.md 3.1, 3.5)."""
    starts_cut = bool(draft.operations) and draft.operations[0].kind == "blank"
    if facts.blank_kind in CUT_KINDS and not starts_cut and not _on_automatic(draft, catalog):
        return [
            warning(
                RoutingRule.MISSING_BLANK_OPERATION,
                f"the {facts.blank_kind.replace('_', ' ')} blank is not cut to size in a first operation",
            )
        ]
    if facts.blank_kind not in CUT_KINDS and any(op.kind == "blank" for op in draft.operations):
        cut = next(op for op in draft.operations if op.kind == "blank")
        return [
            error(
                RoutingRule.BLANK_KIND,
                f"operation {cut.number} cuts a {facts.blank_kind} blank to size; castings, forgings and stampings "
                "come as single blanks and are never sawn",
                cut.number,
            )
        ]
    return []


def check_order(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Roughing of a surface never follows its finishing."""
    findings = []
    for fid in facts.requirements:
        finest = -1
        for op in draft.operations:
            if fid not in op.features or not op.stage or op.kind not in MACHINING_KINDS:
                continue
            rank = op.stage.order
            if rank == MachiningStage.ROUGH.order and finest >= MachiningStage.FINISH.order:
                findings.append(
                    warning(
                        RoutingRule.ROUGHING_AFTER_FINISHING,
                        f"operation {op.number} roughs {fid} after it was finished",
                        op.number,
                        fid,
                    )
                )
            finest = max(finest, rank)
    return findings


CHECKS: tuple[Check, ...] = (
    check_numbering,
    check_blank,
    check_features,
    check_heat_treatment,
    check_order,
    check_equipment,
    check_times,
    check_final_inspection,
    *REVIEW_CHECKS,
)


def check_routing(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """All findings on a draft, errors first."""
    findings = [f for check in CHECKS for f in check(draft, facts, catalog)]
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])
