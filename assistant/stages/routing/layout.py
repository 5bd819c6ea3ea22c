"""What a part's route is planned around (the sequencer's Layout): blank cutting, datums, axial bores and the bore
a hubbed part is located from, heat treatment, ageing, straightening, hole patterns and tooth chamfering."""

from __future__ import annotations

from assistant.engineering.blanks import CUT_KINDS
from assistant.engineering.routing import is_external
from assistant.engineering.sequencing import Layout
from assistant.engineering.setups import datum_bore, on_centres
from assistant.parts.facts import PartFacts
from assistant.parts.notes import teeth_chamfered, toleranced

AGED_FROM_IT = 7  # cast housings with bores of IT7 and finer are aged between roughing and finishing (5.13)
LONG_SHAFT_RATIO = 12.0  # shafts longer than this many diameters are straightened after hardening (5.15)


def layout_for(facts: PartFacts) -> Layout:
    """Blank cutting, datums (centres or base plane), axial bores and heat treatment of the part."""
    part, geometry = facts.part, facts.geometry
    centres = on_centres(part.kind, part.rotational, geometry.length, geometry.diameter)
    planes = [f for f in part.features if f.type == "plane"]
    datum = max(planes, key=lambda f: (f.length or 0) * (f.width or 0)).id if planes and not part.rotational else None
    axial = frozenset(
        f.id
        for f in part.features
        if part.rotational
        and f.count == 1
        and f.type in {"hole", "internal_thread"}
        and (part.kind != "shaft" or (f.diameter or 0) >= 0.3 * geometry.diameter)
    )
    located = any(
        f.type == "gear_teeth"
        or (f.type in {"keyway", "spline"} and not is_external(facts.requirements[f.id], part.kind))
        for f in part.features
    )
    aged = (
        part.kind == "housing"
        and facts.blank_kind == "casting"
        and any(r.feature_type == "hole" and r.it <= AGED_FROM_IT for r in facts.requirements.values())
    )
    long_shaft = part.rotational and geometry.length > LONG_SHAFT_RATIO * geometry.diameter
    return Layout(
        part.rotational,
        centres,
        facts.blank_kind in CUT_KINDS,
        facts.treatment,
        datum,
        axial,
        located and not centres,
        aged,
        long_shaft,
        frozenset(
            fid
            for group in toleranced(part.notes, list(facts.requirements), "positional")
            for fid in group
            if facts.requirements[fid].feature_type == "hole"
        ),
        datum_bore(part.rotational, centres, facts.requirements),
        teeth_chamfered(part.notes) and any(f.type == "gear_teeth" for f in part.features),
    )
