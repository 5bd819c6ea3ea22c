"""Facts derived from a part spec and the catalogues: material, geometry, production type, requirements, heat."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.catalog import Catalog
from assistant.engineering.blanks import BlankPlan, plan_blank
from assistant.engineering.heat import (
    Hardness,
    choose_treatment,
    hardened_feature_ids,
    hardens,
    local_hardening,
    parse_hardness,
)
from assistant.engineering.production import Blank, estimate_mass, production_type, size_blank
from assistant.engineering.requirements import requirement
from assistant.engineering.types import Geometry, Material, Requirement, Source
from assistant.parts.model import PartSpec
from assistant.parts.notes import mentioned_with

_GROUP_HINTS = (
    ("stainless", r"kh1[78]n|x\d*crni|aisi\s*3\d\d|\b30[1-9]\b|\b31[0-9]\b|stainless|nerzh"),
    ("cast_iron", r"\bs?ch\s*\d|\bvch\s*\d|gjl|gjs|cast iron|\bgg\d|\bggg\d|chugun"),
    ("aluminium", r"\bd1\d|amg|\bak\d|\bv9\d|alumin|\bal\b|\b[2567]0\d\d\b|en aw"),
    ("copper_alloy", r"\bbr[a-z]|\bl\d\d|brass|bronze|\bcu|latun"),
)


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+|^(steel|сталь|st\.?)\s*", "", name.strip().lower())


def find_material(name: str, materials: tuple[Material, ...]) -> Material | None:
    """The catalogue grade named, by grade or any alias (case, spaces and a leading 'Steel' ignored)."""
    wanted = {name.strip().lower(), _norm(name)}
    for material in materials:
        names = {material.grade.lower(), _norm(material.grade)} | {a.lower() for a in material.aliases}
        if wanted & (names | {_norm(a) for a in material.aliases}):
            return material
    return None


def guess_material(name: str) -> Material:
    """A stand-in for a grade the catalogue lacks: its group guessed from the name, not hardenable by default."""
    lowered = name.lower()
    group = next((g for g, pattern in _GROUP_HINTS if re.search(pattern, lowered)), "steel")
    density = {"aluminium": 2.7, "copper_alloy": 8.5, "cast_iron": 7.2}.get(group, 7.85)
    return Material(
        name,
        (),
        group,
        "through" if group == "steel" else "none",
        None,
        False,
        None,
        density,
        1.0,
        (),
        Source("materials-steels.md"),
    )


def geometry_of(part: PartSpec) -> Geometry:
    """Overall size from the envelope, completed from the features where the envelope is silent."""
    env = part.envelope
    diameters = [f.diameter for f in part.features if f.diameter and f.type != "hole"]
    lengths = [f.length * f.count for f in part.features if f.length and f.type == "external_cylinder"]
    if part.rotational:
        diameter = env.diameter or max(diameters, default=50.0)
        length = env.length or (sum(lengths) if lengths else 2 * diameter)
        return Geometry(True, float(length), diameter=float(diameter))
    length = env.length or max((f.length or 0 for f in part.features), default=100.0) or 100.0
    width = env.width or max((f.width or 0 for f in part.features), default=0.0) or length / 2
    return Geometry(False, float(length), width=float(width), height=float(env.height or width / 2))


def default_blank(part: PartSpec, geometry: Geometry, production: str) -> str:
    """Blank kind when the spec gives none: bar for turned parts (forging in large batches), plate otherwise."""
    if part.rotational:
        return "forging" if production in {"large_batch", "mass"} and geometry.diameter > 60 else "rolled_bar"
    return "casting" if part.kind == "housing" else "plate"


# Holes in castings larger than about 30-50 mm are cored, smaller ones drilled from solid (blanks.md 4.1.3)
CORED_IN_CASTINGS_ABOVE_MM = 40.0


@dataclass(frozen=True)
class PartFacts:
    """What routing and checking need to know about one part."""

    part: PartSpec
    material: Material
    material_known: bool
    geometry: Geometry
    mass_kg: float
    production: str
    batch_size: int
    blank_kind: str
    blank: Blank
    hardness: Hardness | None
    treatment: str | None
    hardened: frozenset[str]
    requirements: dict[str, Requirement]
    assumptions: list[str] = field(default_factory=list)
    blank_plan: BlankPlan | None = None  # size, mass, consumption and utilisation of the blank (M02 row)
    cored_above: float | None = None  # holes larger than this exist in the blank (tube bore, cored casting holes)
    runout: frozenset[str] = frozenset()  # features in a runout tolerance (toleranced or datum): held on centres
    automation: tuple[str, ...] = ()  # machine automation levels in order of preference (by production type)

    @property
    def group(self) -> str:
        """Material group (steel, stainless, cast_iron, aluminium, copper_alloy)."""
        return self.material.group

    def is_hardened(self, feature_id: str) -> bool:
        """True when the feature ends above HRC 35 (treatments other than improvement)."""
        return hardens(self.treatment) and feature_id in self.hardened


def part_facts(part: PartSpec, catalog: Catalog) -> PartFacts:
    """Derive the facts, recording every assumption made for a field the spec leaves out."""
    assumptions: list[str] = []
    material = find_material(part.material, catalog.materials)
    known = material is not None
    if material is None:
        material = guess_material(part.material)
        assumptions.append(f"material '{part.material}' is not in the catalogue; treated as {material.group}")
    geometry = geometry_of(part)
    mass = part.mass_kg or estimate_mass(geometry, material.density, float(catalog.production.fill_factor))
    if part.mass_kg is None:
        assumptions.append(f"mass not given; estimated {mass:.2f} kg from the envelope")
    production = production_type(part.annual_volume, mass, catalog.production.thresholds)
    batch = part.batch_size or max(1, round(part.annual_volume / 12))
    if part.batch_size is None:
        assumptions.append(f"batch size not given; assumed a monthly launch of {batch}")
    blank_kind = part.blank or default_blank(part, geometry, production)
    if part.blank is None:
        assumptions.append(f"blank not given; assumed {blank_kind.replace('_', ' ')}")
    hardness = parse_hardness(part.hardness) if part.hardness else None
    local = local_hardening(part.notes or "")
    treatment = choose_treatment(hardness, material, local)
    ids = [f.id for f in part.features]
    hardened = hardened_feature_ids(part.notes or "", ids, {f.id: f.type for f in part.features}, local)
    requirements = {f.id: requirement(f, geometry.diameter) for f in part.features}
    holes = [r.size for r in requirements.values() if r.feature_type == "hole"]
    plan = plan_blank(
        blank_kind,
        geometry,
        mass,
        material.density,
        catalog.allowances,
        material=material.grade,
        group=material.group,
        bore_mm=max(holes) if holes and blank_kind == "tube" else None,
        production=production,
    )
    cored = plan.bore_mm if plan.bore_mm else CORED_IN_CASTINGS_ABOVE_MM if blank_kind == "casting" else None
    return PartFacts(
        part,
        material,
        known,
        geometry,
        mass,
        production,
        batch,
        blank_kind,
        size_blank(blank_kind, geometry, catalog.allowances),
        hardness,
        treatment,
        frozenset(hardened),
        requirements,
        assumptions,
        plan,
        cored,
        frozenset(mentioned_with(part.notes, ids, "runout")),
        automation=catalog.production.automation[production],
    )
