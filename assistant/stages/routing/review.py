"""Checks a senior technologist makes first (route-review-rules.md), over any routing draft and its part."""

from __future__ import annotations

import re

from assistant.catalog import Catalog
from assistant.engineering.equipment import part_class, takes
from assistant.engineering.operations import MACHINING_KINDS, MachiningStage
from assistant.engineering.requirements import THREAD_TYPES
from assistant.parts.facts import PartFacts
from assistant.parts.sanity import outside_envelope
from assistant.stages.findings import Finding, error, warning
from assistant.stages.routing.model import RoutingDraft, RoutingRule

# A thread class of grade 5 or coarser (6H, 6g, 7H, 8g) is made by tapping, dies, turning or rolling; grinding
# is for precision classes (4h, 4H) and hardened threads
_GROUND_THREAD_GRADE = 4
_NOT_FOR_NITRIDING = re.compile(r"carburi|cementat|induction|HFC|high[- ]frequency", re.I)
_DRILLED_ONLY_IT, _DRILLED_ONLY_RA = 12, 6.3
_AFTER_DRILLING = frozenset({"countersinking", "reaming", "boring"})
_AFTER_NITRIDING = frozenset({"grinding", "superfinishing"})  # at the fine stage only (heat-treatment.md 6.3)


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


def check_nitriding(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A nitriding steel is nitrided, never carburized or induction hardened; after nitriding only fine grinding
    or lapping touches its surfaces (heat-treatment.md 6.1-6.3, 9.7)."""
    if facts.material.hardening != "nitriding":
        return []
    findings = []
    nitrided_at = None
    for i, op in enumerate(draft.operations):
        if op.kind != "heat_treatment":
            continue
        if _NOT_FOR_NITRIDING.search(op.name):
            findings.append(
                error(
                    RoutingRule.NITRIDING_ROUTE,
                    f"operation {op.number} '{op.name}': {facts.material.grade} is a nitriding steel; it is gas "
                    "nitrided at about 500-540 °C after finish grinding, never carburized or induction hardened",
                    op.number,
                )
            )
        if "nitrid" in op.name.lower():
            nitrided_at = i
    if nitrided_at is None:
        return findings
    for op in draft.operations[nitrided_at + 1 :]:
        fine = op.kind in _AFTER_NITRIDING and op.stage == MachiningStage.FINE
        if op.kind in MACHINING_KINDS and op.features and not fine:
            findings.append(
                error(
                    RoutingRule.NITRIDING_ROUTE,
                    f"operation {op.number} ({op.kind}, {op.stage or 'no stage'}) follows nitriding; the nitrided "
                    "case of 0.3-0.6 mm allows only fine grinding or lapping with 0.02-0.05 mm per side",
                    op.number,
                )
            )
    return findings


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


REVIEW_CHECKS = (check_envelope, check_part_class, check_thread_class, check_nitriding, check_drilled_only)
