"""The transitions of an operation: each step on each feature with its cutting data on the operation's machine
(speed by the grade's K_mv, spindle speed within the machine's range, depth within its power), and what a
heat-treatment operation does in order (route-review-rules.md 2.7-2.9, 5.12, Table 7)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from assistant.catalog import Catalog
from assistant.engineering import norms
from assistant.engineering.blanks import grinding_stock
from assistant.engineering.routing import NOT_FINISHED_AFTER_HT
from assistant.engineering.sequencing import TOOTH_CHAMFERING, PlannedOperation, PlannedStep
from assistant.engineering.types import Machine, Process, Requirement
from assistant.parts.facts import PartFacts
from assistant.stages.routing.content import transition_text
from assistant.stages.routing.model import Cutting, Transition

Chains = dict[str, tuple[Process, ...]]  # feature id -> its chosen chain of processes

# How surfaces that stay soft are kept out of the case (route-review-rules.md 5.12; heat-treatment.md 6.4)
PROTECTION = {
    "case_hardening": "copper plating 0.02-0.05 mm or stop-off paste before carburizing",
    "nitriding": "tin plating 0.01-0.015 mm or stop-off paint before nitriding",
}
SLENDER_RATIO = 10.0  # shafts longer than this many diameters take more grinding stock (heat-treatment.md 10.2)
POWERED = frozenset({"turning", "boring"})  # single-point cuts whose depth the spindle power may limit
QUENCHED = frozenset({"improvement", "through_hardening", "case_hardening"})  # furnace quench: scale and oil


GROUND_TO_TABLE = frozenset({"external_cylinder", "hole"})  # surfaces whose grinding stock Table 4 gives


def _grinding_state(req: Requirement, facts: PartFacts) -> str:
    """The state a surface is ground in, as heat-treatment.md Table 4 columns it."""
    if not facts.is_hardened(req.feature_id):
        return "soft"
    return "induction" if facts.treatment == "induction_hardening" else "hardened"


def allowance(
    process: Process, req: Requirement, chain: tuple[Process, ...], facts: PartFacts, catalog: Catalog
) -> float:
    """Stock per side the process leaves for itself: the catalogue's, except that the grinding steps of a cylinder
    or bore share the grinding allowance of heat-treatment.md Table 4 (time-norms.md 3.6.7); a nitrided surface
    keeps the small stock of its fine grinding (heat-treatment.md 6.3)."""
    own = float(process.cutting.get("allowance") or 0)
    if process.kind != "grinding" or req.feature_type not in GROUND_TO_TABLE or facts.treatment == "nitriding":
        return own
    shares = sum(float(p.cutting.get("allowance") or 0) for p in chain if p.kind == "grinding")
    slender = facts.geometry.length > SLENDER_RATIO * facts.geometry.diameter
    total = grinding_stock(req.size, _grinding_state(req, facts), slender, catalog.allowances)
    return total * own / shares if shares else own


def _stock(step: PlannedStep, route_steps: tuple[Process, ...], facts: PartFacts, catalog: Catalog) -> float:
    """Stock per side the step removes: rough steps take what is left above the later stages' allowances."""
    process, req = step.process, step.requirement
    if process.stage != "rough":
        return allowance(process, req, route_steps, facts, catalog) or float(process.cutting.get("depth") or 0.1)
    later = sum(allowance(p, req, route_steps, facts, catalog) for p in route_steps if p.stage != "rough")
    if req.feature_type == "end_face" and facts.blank.length > facts.geometry.length:
        total = (facts.blank.length - facts.geometry.length) / 2  # the blank's length allowance, per end
    elif facts.blank.diameter and req.feature_type == "external_cylinder":
        total = (facts.blank.diameter - req.size) / 2
    else:
        total = float(catalog.allowances.plate_side)
    return max(0.5, total - later)


def _cut(
    step: PlannedStep, facts: PartFacts, catalog: Catalog, chains: Chains, machine: Machine | None = None
) -> norms.Cut:
    """What the time and cutting-data formulas read for one step on its machine, the grade's K_mv included."""
    return norms.Cut(
        step.process,
        step.requirement,
        facts.group,
        float(catalog.norms.approach_mm),
        _stock(step, chains.get(step.requirement.feature_id, ()), facts, catalog),
        facts.geometry.diameter,
        catalog.speed_factors.get(facts.material.grade, 1.0),
        machine is not None and machine.automation == "universal",
    )


def _within_power(
    data: norms.CuttingData, cut: norms.Cut, machine: Machine | None, catalog: Catalog
) -> norms.CuttingData:
    """A single-point cut that would need more than the spindle's power takes a smaller depth and more passes
    (route-review-rules.md 2.9)."""
    specific = catalog.norms.specific_cutting_force.get(cut.group)
    if machine is None or machine.power_kw is None or specific is None or cut.process.kind not in POWERED:
        return data
    if not (data.depth_mm and data.feed_mm_rev and cut.stock):
        return data
    available = machine.power_kw * catalog.norms.drive_efficiency
    needed = norms.cutting_power_kw(data.depth_mm, data.feed_mm_rev, data.speed_m_min, specific)
    if needed <= available:
        return data
    depth = data.depth_mm * available / needed
    passes, more = math.ceil(cut.stock / data.depth_mm - 1e-9), math.ceil(cut.stock / depth - 1e-9)
    return replace(data, depth_mm=depth, main_time_min=data.main_time_min * more / max(passes, 1))


def _on_machine(data: norms.CuttingData, diameter: float, machine: Machine | None) -> norms.CuttingData:
    """The cutting data as the machine can run them: a spindle speed outside its range is set to the nearest
    limit, the speed and main time follow (cutting-data.md 2.3; route-review-rules.md `spindle-limits`)."""
    if data.rpm is None or machine is None or machine.rpm_min is None or machine.rpm_max is None:
        return data
    rpm = min(max(data.rpm, machine.rpm_min), machine.rpm_max)
    if rpm == data.rpm:
        return data
    return replace(
        data, rpm=rpm, speed_m_min=math.pi * diameter * rpm / 1000, main_time_min=data.main_time_min * data.rpm / rpm
    )


def cut_transitions(
    op: PlannedOperation, facts: PartFacts, catalog: Catalog, chains: Chains, machine: Machine | None, first: int = 1
) -> list[Transition]:
    """Each step on each feature as a transition numbered from `first` with its cutting data on this machine."""
    transitions = []
    for n, step in enumerate(op.steps, start=first):
        chain = chains.get(step.requirement.feature_id, ())
        later = chain[chain.index(step.process) + 1 :] if step.process in chain else ()
        left = sum(allowance(p, step.requirement, chain, facts, catalog) for p in later)
        cut = _cut(step, facts, catalog, chains, machine)
        data = _on_machine(norms.cutting_data(cut), norms.cut_diameter(cut), machine)
        data = _within_power(data, cut, machine, catalog)
        cutting = Cutting(
            depth_mm=round(data.depth_mm, 2) if data.depth_mm else None,
            feed_mm_rev=round(data.feed_mm_rev, 3) if data.feed_mm_rev else None,
            speed_m_min=round(data.speed_m_min, 1),
            rpm=round(data.rpm) if data.rpm else None,
            main_time_min=round(data.main_time_min, 3),
        )
        text = transition_text(step.process, step.requirement, not later, left)
        transitions.append(Transition(n=n, text=text, cutting=cutting))
    return transitions


def treatment_transitions(op: PlannedOperation, facts: PartFacts) -> list[Transition]:
    """What a heat-treatment operation does, in order: protection of the surfaces that stay soft (case
    hardening, nitriding: 5.12, heat-treatment.md 6.4), the treatment to its hardness, cleaning of scale and
    quenching oil, and the hardness check before any further machining (route-review-rules.md Table 7)."""
    if op.kind != "heat_treatment" or op.treatment is None:
        return []
    texts = []
    protection = PROTECTION.get(op.treatment)
    soft = [f for f, r in facts.requirements.items() if r.feature_type in NOT_FINISHED_AFTER_HT - {"chamfer", "groove"}]
    if protection and soft:
        texts.append(f"Protect {', '.join(soft)} against the case: {protection}")
    hardening = op.treatment == facts.treatment and facts.hardness is not None
    target = f" to {facts.hardness.text}" if hardening and facts.hardness else ""
    texts.append(f"{op.name}{target}" + (", the protected surfaces staying soft" if protection and soft else ""))
    if op.treatment in QUENCHED:
        texts.append("Shot-blast the scale and wash off the quenching oil")
    if op.treatment != "ageing":  # stress relief changes no hardness
        check = f"hardness {facts.hardness.text}" if hardening and facts.hardness else "the hardness"
        texts.append(f"Check {check} on the batch sample (Rockwell or Brinell tester)")
    return [Transition(n=n, text=text) for n, text in enumerate(texts, start=1)]


def _teeth(facts: PartFacts) -> str:
    return ", ".join(f for f, r in facts.requirements.items() if r.feature_type == "gear_teeth")


# What the operations without a cutting step on a feature do (route-review-rules.md 5.15, 5.16, 9.7)
_SPECIAL: dict[tuple[str, ...], Callable[[PartFacts], list[str]]] = {
    ("straightening",): lambda facts: [
        "Straighten the shaft on the press",
        "Check the runout of the journals between centres against the drawing",
    ],
    ("centre-hole",): lambda facts: ["Grind the centre holes at both ends to restore the datum after hardening"],
    TOOTH_CHAMFERING: lambda facts: [f"Chamfer (round) the tooth ends of {_teeth(facts)} on both faces"],
}


def special_transitions(op: PlannedOperation, facts: PartFacts) -> list[Transition]:
    """The transitions of straightening, centre-hole grinding and tooth chamfering."""
    make = _SPECIAL.get(op.family)
    texts = make(facts) if make is not None and not op.steps else []
    return [Transition(n=n, text=text) for n, text in enumerate(texts, start=1)]
