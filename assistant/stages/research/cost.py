"""The cost picture of a request: a rough part spec derived from it, drafted by the routing stage (through the
context, never by import), and read as a machining-effort class."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.catalog import Catalog
from assistant.engineering.production import estimate_mass
from assistant.engineering.requests import Kind, effort_class
from assistant.engineering.types import Geometry, Material
from assistant.errors import PreproError
from assistant.stages.base import StageContext
from assistant.stages.research.facts import RequestFacts
from assistant.stages.research.materials import Ranked


@dataclass
class Rough:
    """A rough part spec derived from the request, for the routing stage's cost picture, and its assumptions."""

    part: dict[str, Any]
    geometry: Geometry
    material: Material
    assumptions: list[str] = field(default_factory=list)


def _diameter(facts: RequestFacts) -> float | None:
    if facts.bearings:
        return max(b.low for b in facts.bearings)
    stated = [q.low for q in facts.of(Kind.LENGTH) if q.label in {"diameter", "dia"}]
    return max(stated) if stated else None


def _heat_notes(item: Ranked) -> str:
    return {
        "induction_hardening": "Journals F1 induction hardened",
        "case_hardening": "Carburize and harden",
        "nitriding": "Nitriding of the working surfaces",
    }.get(item.treatment or "", "")


def rough_shaft(facts: RequestFacts, ranked: Sequence[Ranked], catalog: Catalog) -> Rough | None:
    """A stepped shaft with two bearing seats, a collar and end faces, when the request gives a shaft and a diameter."""
    d = _diameter(facts)
    if facts.kind != "shaft" or d is None:
        return None
    material = ranked[0].material if ranked else next(m for m in catalog.materials if m.grade == "Steel 45")
    lengths = [q.low for q in facts.of(Kind.LENGTH) if q.label in {"length", "long", "overall length"}]
    length = lengths[0] if lengths else 6 * d
    collar = d + 10
    assumptions = [f"rough shaft: two seats Ø{d:g} k6 Ra 0.8, a collar Ø{collar:g}, end faces"]
    if not lengths:
        assumptions.append(f"rough shaft length {length:g} mm (6 × the seat diameter)")
    part: dict[str, Any] = {
        "id": f"{facts.request.id}-rough"[:64],
        "name": "Rough shaft",
        "kind": "shaft",
        "material": material.grade,
        "envelope": {"diameter": collar, "length": length},
        "annual_volume": facts.volume or 1000,
        "features": [
            {
                "id": "F1",
                "type": "external_cylinder",
                "diameter": d,
                "length": round(d / 2),
                "fit": "k6",
                "ra": 0.8,
                "count": 2,
            },
            {
                "id": "F2",
                "type": "external_cylinder",
                "diameter": collar,
                "length": round(length / 4),
                "it": 12,
                "ra": 3.2,
            },
            {"id": "F3", "type": "end_face", "diameter": collar, "ra": 6.3, "count": 2},
        ],
    }
    if facts.hardness is not None and ranked and ranked[0].treatment not in {None, "normalizing"}:
        part["hardness"] = facts.hardness.text
        part["notes"] = _heat_notes(ranked[0])
    return Rough(part, Geometry(rotational=True, length=length, diameter=collar), material, assumptions)


def cost_picture(ctx: StageContext, rough: Rough) -> tuple[str | None, list[str]]:
    """The routing stage's rough route as a machining-effort sentence, and the assumptions (or why there is none)."""
    try:
        route = ctx.draft("routing", rough.part, worded=False).model_dump()
    except PreproError as exc:
        return None, [*rough.assumptions, f"no cost picture: the routing stage refused the rough shaft ({exc})"]
    operations = route.get("operations", [])
    piece = sum(op.get("piece_time_min") or 0.0 for op in operations)
    setup = sum(op.get("setup_time_min") or 0.0 for op in operations)
    sentence = (
        f"Machining effort {effort_class(piece)}: a rough route of the shaft (Ø{rough.geometry.diameter:g} × "
        f"{rough.geometry.length:g} mm, {rough.material.grade}) has {len(operations)} operations, about "
        f"{piece:.1f} min a piece and {setup:.0f} min of setups (routing stage); features the request does not "
        "name (keyways, threads) are left out."
    )
    return sentence, rough.assumptions


def part_mass(facts: RequestFacts, rough: Rough | None, catalog: Catalog) -> float | None:
    """The part's mass: stated, else the rough part's envelope × density × fill factor; None when neither."""
    stated = facts.of(Kind.MASS)
    if stated:
        return stated[0].high
    if rough is None:
        return None
    return estimate_mass(rough.geometry, rough.material.density, float(catalog.production.fill_factor))
