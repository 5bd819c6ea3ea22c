"""Checks a senior technologist makes first (route-review-rules.md), over any routing draft and its part:
machines, blanks, holes and cutting data here, heat treatment in review_heat.py."""

from __future__ import annotations

import re

from assistant.catalog import Catalog
from assistant.engineering.equipment import bore_fits, centreless, part_class, takes
from assistant.engineering.norms import cutting_power_kw
from assistant.engineering.requirements import THREAD_TYPES, tolerance_class
from assistant.parts.facts import PartFacts
from assistant.parts.notes import toleranced
from assistant.parts.sanity import outside_envelope
from assistant.stages.findings import Finding, error, warning
from assistant.stages.routing.model import RoutingDraft, RoutingRule
from assistant.stages.routing.review_heat import (
    check_after_hardening,
    check_ageing,
    check_case_protection,
    check_improvement_before_induction,
    check_nitriding,
)
from assistant.stages.routing.review_order import check_bore_datum, check_tooth_chamfering

# A thread class of grade 5 or coarser (6H, 6g, 7H, 8g) is made by tapping, dies, turning or rolling; grinding
# is for precision classes (4h, 4H) and hardened threads
_GROUND_THREAD_GRADE = 4
_DRILLED_ONLY_IT, _DRILLED_ONLY_RA = 12, 6.3
_AFTER_DRILLING = frozenset({"countersinking", "reaming", "boring"})


def check_part_class(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Every machine takes this class of part: no housing on a lathe, no shaft on a horizontal boring machine."""
    work = part_class(facts.geometry)
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if machine is not None and not takes(machine, facts.geometry):
            findings.append(
                error(
                    RoutingRule.MACHINE_PART_CLASS,
                    f"operation {op.number}: {machine.model} ({machine.type}) takes "
                    f"{' and '.join(c.value for c in machine.part_classes)} work, not a {work.value} "
                    f"{facts.part.kind}",
                    op.number,
                )
            )
    return findings


def check_thread_class(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A thread class such as 6H is a thread tolerance, not IT6: such a thread is never ground."""
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        grinds = op.kind == "grinding" or (machine is not None and "thread grind" in machine.type.lower())
        for fid in op.features:
            req = facts.requirements.get(fid)
            if not grinds or req is None or req.feature_type not in THREAD_TYPES:
                continue
            if req.it > _GROUND_THREAD_GRADE and not facts.is_hardened(fid):
                findings.append(
                    error(
                        RoutingRule.THREAD_CLASS_NOT_IT,
                        f"operation {op.number} grinds thread {fid} of tolerance grade {req.it}: a thread class "
                        f"like {req.it}H/{req.it}g is not IT{req.it}; it is tapped, turned, cut with a die or "
                        "rolled, and thread grinding is for classes 4h/4H and hardened threads",
                        op.number,
                        fid,
                    )
                )
    return findings


def check_envelope(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """No feature is larger than the part's envelope (an error in the specification)."""
    return [
        error(RoutingRule.FEATURE_WITHIN_ENVELOPE, f"{fid}: {why}; correct the part specification", feature=fid)
        for fid, why in outside_envelope(facts.part, facts.requirements)
    ]


def check_drilled_only(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A hole of IT12-IT14 with Ra 6.3 or coarser is drilled only (route-review-rules.md 4.8)."""
    findings = []
    for fid, req in facts.requirements.items():
        if req.feature_type != "hole" or req.it < _DRILLED_ONLY_IT or req.ra < _DRILLED_ONLY_RA:
            continue
        for op in draft.operations:
            if fid in op.features and op.kind in _AFTER_DRILLING:
                findings.append(
                    warning(
                        RoutingRule.DRILLED_ONLY,
                        f"operation {op.number} {op.kind.replace('_', ' ')}s hole {fid} (IT{req.it}, Ra {req.ra:g}), "
                        "which drilling alone reaches",
                        op.number,
                        fid,
                    )
                )
    return findings


_GAUGED = {  # which surfaces a kind of limit gauge checks
    "snap gauge": frozenset({"external_cylinder"}),
    "plug gauge": frozenset({"hole"}),
    "thread ring gauge": frozenset({"external_thread"}),
    "thread plug gauge": frozenset({"internal_thread"}),
    "keyway width gauge": frozenset({"keyway"}),
}
_CLASS = re.compile(r"(?<![\w.-])([A-Za-z]{1,2}\d{1,2})(?![\w])")


def check_gauges(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A limit gauge is made to the tolerance class of the surface it checks: no h6 snap gauge on a k6 journal
    (route-review-rules.md 9.5)."""
    findings = []
    for op in draft.operations:
        features = op.features if op.kind != "inspection" else list(facts.requirements)
        for tool in op.measuring:
            lowered = tool.lower()
            kind = next((k for k in sorted(_GAUGED, key=len, reverse=True) if k in lowered), None)
            made_to = set(_CLASS.findall(tool)) - {"GO", "NO"}
            if kind is None or not made_to:
                continue
            wanted = {
                c
                for fid in features
                if (req := facts.requirements.get(fid)) and req.feature_type in _GAUGED[kind]
                if (c := tolerance_class(req))
            }
            if wanted and not made_to & wanted:
                findings.append(
                    warning(
                        RoutingRule.GAUGE_MATCHES_FIT,
                        f"operation {op.number}: '{tool}' is made to {', '.join(sorted(made_to))}, but the surfaces it "
                        f"checks are {', '.join(sorted(wanted))}",
                        op.number,
                    )
                )
    return findings


def check_spindle_limits(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Every transition's spindle speed lies within its machine's speed range (route-review-rules.md 2.7-2.8,
    `spindle-limits`; cutting-data.md 2.3)."""
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if machine is None or machine.rpm_min is None or machine.rpm_max is None:
            continue
        for setup in op.setups:
            for t in setup.transitions:
                rpm = t.cutting.rpm if t.cutting else None
                if rpm is not None and not machine.rpm_min * 0.999 <= rpm <= machine.rpm_max * 1.001:
                    findings.append(
                        warning(
                            RoutingRule.SPINDLE_LIMITS,
                            f"operation {op.number}, transition {setup.id}{t.n}: {rpm:g} rev/min is outside the "
                            f"{machine.rpm_min:g}-{machine.rpm_max:g} rev/min of {machine.model}",
                            op.number,
                        )
                    )
    return findings


def check_tube_bore(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A hole the blank already has (a tube's bore, a cored casting hole) is bored, never drilled from solid
    (route-review-rules.md 3.7; blanks.md 4.1.3)."""
    if facts.cored_above is None:
        return []
    cored = {
        f
        for f, r in facts.requirements.items()
        if r.feature_type == "hole" and r.size > facts.cored_above and r.count == 1
    }
    return [
        error(
            RoutingRule.TUBE_BORE,
            f"operation {op.number} drills {fid}, which the {facts.blank_kind} blank already has "
            f"(over Ø{facts.cored_above:g}); it is bored",
            op.number,
            fid,
        )
        for op in draft.operations
        if op.kind == "drilling"
        for fid in op.features
        if fid in cored
    ]


def check_bore_limits(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A bore is honed, ground internally or bored only within its machine's bore range (`bore-limits`)."""
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if machine is None or (machine.min_hole_diameter is None and machine.max_hole_diameter is None):
            continue
        if op.kind not in {"boring", "grinding", "superfinishing"}:
            continue
        for fid in op.features:
            req = facts.requirements.get(fid)
            if req is not None and req.feature_type == "hole" and not bore_fits(machine, req.size):
                findings.append(
                    warning(
                        RoutingRule.BORE_LIMITS,
                        f"operation {op.number}: bore {fid} Ø{req.size:g} is outside the "
                        f"{machine.min_hole_diameter or 0:g}-{machine.max_hole_diameter or 0:g} mm of "
                        f"{machine.model} ({machine.type})",
                        op.number,
                        fid,
                    )
                )
    return findings


_HOLE_MAKING = frozenset({"drilling", "countersinking", "reaming", "boring"})


def _hole_ops(draft: RoutingDraft, fids: set[str]) -> list[str]:
    """Numbers of the hole-making operations that work on any of the features."""
    return [op.number for op in draft.operations if op.kind in _HOLE_MAKING and set(op.features) & fids]


def check_one_setup_groups(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Holes with a positional tolerance are drilled and reamed in one setup (route-review-rules.md 4.6), and
    coaxial bores are finished in one setup, line-bored (Table 7): what the notes of the drawing group."""
    holes = {f for f, r in facts.requirements.items() if r.feature_type == "hole"}
    findings = []
    for word, rule, what in (
        ("positional", RoutingRule.POSITIONAL_ONE_SETUP, "holes with a positional tolerance are drilled and reamed"),
        ("coaxial", RoutingRule.LINE_BORING, "coaxial bores are finished by line boring"),
    ):
        for group in toleranced(facts.part.notes, list(facts.requirements), word):
            fids = set(group) & holes
            if word == "coaxial":  # the finishing operations are what must be shared
                finest = [op for op in draft.operations if op.kind in _HOLE_MAKING and set(op.features) & fids]
                last = {max((i for i, op in enumerate(finest) if f in op.features), default=-1) for f in fids}
                numbers = sorted({finest[i].number for i in last if i >= 0})
            else:
                numbers = _hole_ops(draft, fids)
            if fids and len(set(numbers)) > 1:
                findings.append(
                    warning(
                        rule,
                        f"{', '.join(sorted(fids))}: {what} in one setup, not in operations {', '.join(numbers)}",
                        numbers[-1],
                    )
                )
    return findings


def check_centreless(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Centreless grinding has no centre datum: not for surfaces in a runout tolerance (`centreless-datum`)."""
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if machine is None or not centreless(machine.type):
            continue
        held = sorted(set(op.features) & facts.runout)
        if held:
            findings.append(
                warning(
                    RoutingRule.CENTRELESS_DATUM,
                    f"operation {op.number} grinds {', '.join(held)} centreless, but the drawing ties them by a "
                    "runout to an axis: grind them between centres",
                    op.number,
                )
            )
    return findings


POWERED_OPERATIONS = frozenset({"turning", "boring", "facing_centering"})  # depth and feed per revolution
_SINGLE_POINT = re.compile(r"(?i)(?:^|-)(?:turn|bore)\b")  # turning and boring transitions, not drilling
_ROUNDING = 1.02  # the card gives depth and feed to two decimals


def check_spindle_power(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """The cutting power of every turning or boring transition stays within the machine's drive power at the
    spindle (route-review-rules.md 2.9, `spindle-limits`)."""
    specific = catalog.norms.specific_cutting_force.get(facts.group)
    findings = []
    for op in draft.operations:
        machine = catalog.machine(op.equipment.model)
        if specific is None or machine is None or machine.power_kw is None or op.kind not in POWERED_OPERATIONS:
            continue
        available = machine.power_kw * catalog.norms.drive_efficiency
        for setup in op.setups:
            for t in setup.transitions:
                c = t.cutting
                single_point = _SINGLE_POINT.search(t.text) is not None
                if c is None or not single_point or not (c.depth_mm and c.feed_mm_rev and c.speed_m_min):
                    continue
                needed = cutting_power_kw(c.depth_mm, c.feed_mm_rev, c.speed_m_min, specific)
                if needed > available * _ROUNDING:
                    findings.append(
                        warning(
                            RoutingRule.SPINDLE_POWER,
                            f"operation {op.number}, transition {setup.id}{t.n}: cutting needs about {needed:.1f} kW, "
                            f"{machine.model} gives {available:.1f} kW at the spindle; take a smaller depth or feed",
                            op.number,
                        )
                    )
    return findings


REVIEW_CHECKS = (
    check_envelope,
    check_part_class,
    check_thread_class,
    check_nitriding,
    check_drilled_only,
    check_improvement_before_induction,
    check_ageing,
    check_after_hardening,
    check_gauges,
    check_case_protection,
    check_spindle_limits,
    check_tube_bore,
    check_bore_limits,
    check_one_setup_groups,
    check_centreless,
    check_spindle_power,
    check_bore_datum,
    check_tooth_chamfering,
)
