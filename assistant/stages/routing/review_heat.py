"""Heat-treatment checks a senior technologist makes first (route-review-rules.md section 5; heat-treatment.md),
over any routing draft and its part."""

from __future__ import annotations

import re

from assistant.catalog import Catalog
from assistant.engineering.heat import hardens
from assistant.engineering.operations import MACHINING_KINDS, MachiningStage
from assistant.parts.facts import PartFacts
from assistant.stages.findings import Finding, error, warning
from assistant.stages.routing.model import Operation, RoutingDraft, RoutingRule

_NOT_FOR_NITRIDING = re.compile(r"carburi|cementat|induction|HFC|high[- ]frequency", re.I)
_INDUCTION = re.compile(r"induction|HFC|high[- ]frequency", re.I)
_IMPROVEMENT = re.compile(r"improvement|high tempering|toughening|quench(?:ing)? and temper", re.I)
_AFTER_NITRIDING = frozenset({"grinding", "superfinishing"})  # at the fine stage only (heat-treatment.md 6.3)


def heat_treatments(draft: RoutingDraft) -> list[int]:
    """Indices of the heat-treatment operations, in route order."""
    return [i for i, op in enumerate(draft.operations) if op.kind == "heat_treatment"]


def check_nitriding(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A nitriding steel is nitrided, never carburized or induction hardened; after nitriding only fine grinding
    or lapping touches its surfaces (heat-treatment.md 6.1-6.3, 9.7)."""
    if facts.material.hardening != "nitriding":
        return []
    findings = []
    nitrided_at = None
    for i in heat_treatments(draft):
        op = draft.operations[i]
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


def check_improvement_before_induction(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """An induction-hardened part is improved beforehand, so that its core carries the hardened layer (5.4)."""
    if facts.treatment != "induction_hardening":
        return []
    hts = heat_treatments(draft)
    induction = next((i for i in hts if _INDUCTION.search(draft.operations[i].name)), None)
    if induction is None or any(_IMPROVEMENT.search(draft.operations[i].name) for i in hts if i < induction):
        return []
    op = draft.operations[induction]
    return [
        warning(
            RoutingRule.IMPROVEMENT_BEFORE_INDUCTION,
            f"operation {op.number} induction-hardens {facts.material.grade} with no improvement before it; improve "
            "the blank (or after roughing) so that the core under the hardened layer is strong enough",
            op.number,
        )
    ]


def check_ageing(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A cast housing with bores of IT7 and finer is aged between roughing and finishing its bores (5.13)."""
    bores = [f for f, r in facts.requirements.items() if r.feature_type == "hole" and r.it <= 7]
    if facts.part.kind != "housing" or facts.blank_kind != "casting" or not bores:
        return []
    ops = draft.operations
    rough = [i for i, op in enumerate(ops) if op.stage == MachiningStage.ROUGH and set(op.features) & set(bores)]
    later = [
        i for i, op in enumerate(ops) if op.stage not in (None, MachiningStage.ROUGH) and set(op.features) & set(bores)
    ]
    if not rough or not later or any(rough[-1] < i < later[0] for i in heat_treatments(draft)):
        return []
    return [
        warning(
            RoutingRule.AGEING_CASTINGS,
            f"the cast housing's bores {', '.join(bores)} are finished in operation {ops[later[0]].number} with no "
            "artificial ageing after roughing: the casting stresses relax and move the bores",
            ops[later[0]].number,
        )
    ]


def check_after_hardening(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """After hardening: a long shaft is straightened, and centre holes are ground before the shaft is (5.15, 5.16)."""
    if not hardens(facts.treatment) or not facts.part.rotational:
        return []
    hts = heat_treatments(draft)
    if not hts:
        return []
    ops, hardened_at, findings = draft.operations, hts[-1], []
    geometry = facts.geometry
    after = ops[hardened_at + 1 :]
    if geometry.length > 12 * geometry.diameter and not any("straighten" in op.name.lower() for op in after):
        findings.append(
            warning(
                RoutingRule.STRAIGHTENING,
                f"the shaft is {geometry.length / geometry.diameter:.0f} diameters long and is not straightened after "
                f"the heat treatment {ops[hardened_at].number}",
                ops[hardened_at].number,
            )
        )
    at = next((i for i, op in enumerate(after) if op.kind == "grinding" and op.features), None)
    centred = any(op.kind == "facing_centering" for op in ops)
    if at is not None and centred and not any("centre" in op.name.lower() for op in after[:at]):
        ground = after[at]
        findings.append(
            warning(
                RoutingRule.CENTRE_HOLES_AFTER_HT,
                f"operation {ground.number} grinds between centres that the heat treatment {ops[hardened_at].number} "
                "left scaled and distorted; grind or lap the centre holes first",
                ground.number,
            )
        )
    return findings


_PROTECTION_WORDS = ("protect", "stop-off", "plating", "stock removed", "turn off the case")


def _texts(op: Operation) -> list[str]:
    return [t.text for s in op.setups for t in s.transitions]


def check_case_protection(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A carburized or nitrided part states on the card how its threads and keyways are kept soft (5.12): plating,
    stop-off paste or a protective allowance, in the hardening operation or one before it."""
    if facts.treatment not in ("case_hardening", "nitriding"):
        return []
    soft = [
        f
        for f, r in facts.requirements.items()
        if r.feature_type in {"external_thread", "internal_thread", "keyway", "slot"}
    ]
    hts = heat_treatments(draft)
    if not soft or not hts:
        return []
    op = draft.operations[hts[-1]]
    said = " ".join(
        [part for before in draft.operations[: hts[-1] + 1] for part in (before.name, *_texts(before))]
    ).lower()
    if any(word in said for word in _PROTECTION_WORDS):
        return []
    return [
        warning(
            RoutingRule.CASE_PROTECTION,
            f"operation {op.number} hardens the case of a part whose {', '.join(soft)} stay soft, and the card does not "
            "say how they are protected (copper or tin plating, stop-off paste, or stock removed after the case)",
            op.number,
        )
    ]
