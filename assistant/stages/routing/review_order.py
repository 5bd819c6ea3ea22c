"""Checks of which operations a route has and in which order, over any routing draft and its part: the bore of a
hubbed part first (route-review-rules.md 4.4), the tooth ends chamfered where the drawing asks (9.7, Table 7)."""

from __future__ import annotations

import re

from assistant.catalog import Catalog
from assistant.engineering.equipment import bar_fed
from assistant.engineering.setups import datum_bore, on_centres
from assistant.parts.facts import PartFacts
from assistant.parts.notes import teeth_chamfered
from assistant.stages.findings import Finding, error
from assistant.stages.routing.model import Operation, RoutingDraft, RoutingRule

_OUTSIDE = frozenset({"external_cylinder", "gear_teeth"})  # the rim, outside diameter and teeth


def _setup_of(op: Operation, fids: set[str]) -> dict[str, int]:
    """For each feature the operation's transitions name, the index of the first setup that names it."""
    found: dict[str, int] = {}
    for i, setup in enumerate(op.setups):
        for text in (t.text for t in setup.transitions):
            for word in re.findall(r"[A-Za-z0-9._-]+", text):
                if word in fids:
                    found.setdefault(word, i)
    return found


def check_bore_datum(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """A gear, hub, bushing or flange is located from its bore: the bore (with one face) is machined before the
    outside, the rim and the teeth are finished, and within an operation before them (route-review-rules.md
    4.4, 4.5, 9.9; `bore-datum-first`). Bar automatics make both in one clamping and are exempt."""
    geometry = facts.geometry
    centres = on_centres(facts.part.kind, facts.part.rotational, geometry.length, geometry.diameter)
    bore = datum_bore(facts.part.rotational, centres, facts.requirements)
    if bore is None:
        return []
    outside = {f for f, r in facts.requirements.items() if r.feature_type in _OUTSIDE}
    findings = []
    for op in draft.operations:
        here = set(op.features)
        machine = catalog.machine(op.equipment.model)
        if bore in here:
            setup = _setup_of(op, outside | {bore})
            early = sorted(f for f in outside if setup.get(f, len(op.setups)) < setup.get(bore, len(op.setups)))
            if early and not (machine is not None and bar_fed(machine)):
                findings.append(
                    error(
                        RoutingRule.BORE_DATUM_FIRST,
                        f"operation {op.number} machines {early[0]} in a setup before bore {bore}: the bore and one "
                        "face come first (setup A) and the outside is machined from the bore",
                        op.number,
                        early[0],
                    )
                )
            return findings
        if op.stage not in (None, "rough") and here & outside:
            first = sorted(here & outside)[0]
            findings.append(
                error(
                    RoutingRule.BORE_DATUM_FIRST,
                    f"operation {op.number} finishes {first} before bore {bore} is machined: the outside of a "
                    "part located from its bore is finished from the machined bore (on a mandrel)",
                    op.number,
                    first,
                )
            )
            return findings
    return findings


def check_tooth_chamfering(draft: RoutingDraft, facts: PartFacts, catalog: Catalog) -> list[Finding]:
    """Tooth ends the drawing asks to be chamfered (or a sliding gear) are chamfered after gear cutting and
    before heat treatment (route-review-rules.md 9.7, Table 7; `tooth-chamfering`)."""
    teeth = [f for f, r in facts.requirements.items() if r.feature_type == "gear_teeth"]
    if not teeth or not teeth_chamfered(facts.part.notes):
        return []
    at = next((i for i, op in enumerate(draft.operations) if _chamfers_teeth(op, catalog)), None)
    if at is None:
        return [
            error(
                RoutingRule.TOOTH_CHAMFERING,
                f"the drawing asks for the tooth ends of {', '.join(teeth)} to be chamfered, and no operation does "
                "it: plan tooth chamfering on a gear chamfering machine after gear cutting, before heat treatment",
                feature=teeth[0],
            )
        ]
    hardening = [op.number for op in draft.operations[:at] if op.kind == "heat_treatment" and _hardens(op)]
    if not hardening:
        return []
    number = draft.operations[at].number
    return [
        error(
            RoutingRule.TOOTH_CHAMFERING,
            f"operation {number} chamfers the teeth after heat treatment {hardening[-1]}: chamfer the soft teeth",
            number,
            teeth[0],
        )
    ]


_SOFT_WORDS = ("improvement", "normaliz", "ageing", "stress relie", "anneal")


def _hardens(op: Operation) -> bool:
    """A heat-treatment operation that hardens (not improvement, normalizing, ageing or annealing)."""
    return not any(word in op.name.lower() for word in _SOFT_WORDS)


def _chamfers_teeth(op: Operation, catalog: Catalog) -> bool:
    machine = catalog.machine(op.equipment.model)
    words = f"{op.name} {op.equipment.type} {machine.type if machine else ''}".lower()
    return "chamfer" in words and op.kind in ("gear_finishing", "gear_cutting", "other")
