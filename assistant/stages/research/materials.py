"""Materials for a request: which catalogue grades may be proposed, and their rank by a documented score.

Pure functions over the catalogue's engineering values. A grade is admissible when the constraints allow its
group, the part kind is made from one of its blank kinds (blanks.md 3.1.1), a plain bearing (a bush a journal runs
in, a worm wheel) is of a bearing alloy (the copper alloys of the catalogue), the blank kind and the surface
treatment the request names (welded, cast; carburized, nitrided, induction-hardened) are the grade's, and, when
the request states a hardness, a heat treatment of the grade reaches it, and a part that must not rust or be
painted (or is wetted by water) is of a group that does not rust unprotected (stainless, copper, aluminium alloys) (heat-treatment.md; the same table as the routing stage).
Admissible grades are ranked best first by

    score = 0.30·strength + 0.25·hardness + 0.15·machinability + 0.15·cost + 0.15·environment

each term 0..1: strength = tensile strength as supplied / what the load class needs (350, 550, 700 MPa for
light, medium, heavy; medium when no load is stated; 150, 200, 250 MPa for housings, whose sections are sized
for stiffness), capped at 1; hardness = 1 when no hardness is needed or the
grade reaches it with margin, 0.85 at its limit, and for a hard surface the request implies without a value
1 for induction, carburizing or nitriding grades, 0.7 for through hardening only, 0.2 for none; machinability =
the catalogue index (Steel 45 = 1), capped at 1; cost = 1, 0.6, 0.25 for the low, medium and high price classes
(materials-steels.md 8.4), with its weight doubled when the request asks for low cost; environment = 1 with no
environment named, else the lowest of: corrosive media, sea water or food contact 1 for stainless, 0.8 copper
alloys, 0.6 aluminium, 0.2 others (a coating is then needed); outdoor or wet 1 stainless, 0.8 aluminium and
copper alloys, 0.5 others (paint or zinc). Grades the request names come first when admissible; equal scores go to the
stronger grade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from assistant.engineering.heat import Hardness, choose_treatment, to_hrc
from assistant.engineering.types import Material
from assistant.stages.research.words import Limits, kind_blanks

WEIGHTS = {"strength": 0.30, "hardness": 0.25, "machinability": 0.15, "cost": 0.15, "environment": 0.15}
NEEDED_TENSILE = {"light": 350.0, "medium": 550.0, "heavy": 700.0}
HOUSING_TENSILE = {"light": 150.0, "medium": 200.0, "heavy": 250.0}  # stiffness-driven sections (grey iron)
COST_SCORE = {"low": 1.0, "medium": 0.6, "high": 0.25}
COST_CLAUSES = {"materials-steels.md": "8.4", "materials-cast-iron-and-nonferrous.md": "7.3"}  # the price classes
SEVERE = frozenset({"corrosive", "sea water", "food contact", "rustproof"})
RUSTPROOF_GROUPS = frozenset({"stainless", "copper_alloy", "aluminium"})  # groups that do not rust unprotected
WEATHER = frozenset({"outdoor", "wet"})
TREATMENT_NAMES = {
    None: "as supplied",
    "normalizing": "normalizing",
    "improvement": "quenching and high tempering (improvement)",
    "through_hardening": "through hardening",
    "induction_hardening": "induction hardening",
    "case_hardening": "carburizing and hardening",
    "nitriding": "nitriding",
}


@dataclass(frozen=True)
class Needs:
    """What the request asks of the material."""

    hardness: Hardness | None = None
    surface: bool = False  # a hard working surface is implied, with no value
    load: str | None = None
    environment: frozenset[str] = frozenset()
    kind: str | None = None
    limits: Limits = field(default_factory=Limits)
    named: tuple[str, ...] = ()
    antifriction: bool = False  # the part is a plain bearing (bush, liner, worm wheel)
    single: bool = False  # single production (housings may then be welded)
    blank: str | None = None  # the blank kind the request names
    treatment: str | None = None  # the surface treatment the request names: case, nitriding or induction


@dataclass(frozen=True)
class Ranked:
    """An admissible grade, its score and the reasons a reader sees."""

    material: Material
    score: float
    treatment: str | None
    reasons: tuple[str, ...]


def treatment_for(material: Material, hardness: Hardness) -> tuple[bool, str | None]:
    """(reachable, heat treatment code) of a grade for a required hardness; induction where the grade allows it."""
    code = choose_treatment(hardness, material, local=material.induction)
    if code in {None, "normalizing"}:
        return True, code
    if material.hardening == "none" or material.max_hrc is None:
        return False, code
    if code == "improvement":
        return True, code
    if hardness.low_hrc > material.max_hrc:
        return False, code
    if code == "through_hardening" and hardness.low_hrc > (material.through_hrc or material.max_hrc):
        return False, code
    return True, code


def reachable_text(material: Material) -> str:
    """The hardness a grade reaches, in words: `up to HRC 52 through, HRC 54 on an induction-hardened surface`."""
    if material.hardening == "none" or material.max_hrc is None:
        supplied = f"HB {material.supplied_hb:g} as supplied; " if material.supplied_hb else ""
        return f"{supplied}not hardened by quenching"
    top = f"HRC {material.max_hrc:g}"
    if material.hardening == "case":
        return f"up to {top} on a carburized case"
    if material.hardening == "nitriding":
        return f"up to {top} on a nitrided case"
    if material.induction:
        return f"up to HRC {material.through_hrc or material.max_hrc:g} through, {top} on an induction-hardened surface"
    return f"up to {top} by through hardening"


def _allowed_groups(limits: Limits) -> set[str] | None:
    groups = set(limits.only or limits.named)
    if not groups:
        return None
    return groups | ({"stainless"} if "steel" in groups else set())


def _treats(material: Material, treatment: str) -> bool:
    """True when the grade takes the surface treatment a request names."""
    return {"case": material.hardening == "case", "nitriding": material.hardening == "nitriding"}.get(
        treatment, material.induction
    )


def exclusions(material: Material, needs: Needs) -> list[tuple[str, str]]:
    """Why a grade may not be proposed, as (what, reason) pairs: constraint, blank, treatment, duty, hardness, heat."""
    limits = needs.limits
    allowed = _allowed_groups(limits)
    found = []
    if material.group in limits.excluded:
        found.append(("constraint", f"{material.group.replace('_', ' ')} is excluded by the constraints"))
    elif allowed is not None and material.group not in allowed and material.grade not in needs.named:
        groups = ", ".join(sorted(g.replace("_", " ") for g in allowed))
        found.append(("constraint", f"the request asks for {groups}"))
    blanks = kind_blanks(needs.kind, needs.single)
    if blanks and not blanks & set(material.blanks) and material.grade not in needs.named:
        found.append(("blank", f"a {needs.kind} is not made from its blanks ({', '.join(material.blanks)})"))
    if needs.blank and needs.blank not in material.blanks and material.grade not in needs.named:
        found.append(("blank", f"the request names a {needs.blank} blank, which {material.grade} is not made as"))
    if needs.treatment and not _treats(material, needs.treatment) and material.grade not in needs.named:
        found.append(("treatment", f"the request names {needs.treatment} hardening, not the grade's treatment"))
    if (
        "rustproof" in needs.environment
        and material.group not in RUSTPROOF_GROUPS
        and material.grade not in needs.named
    ):
        found.append(("environment", "it rusts unprotected, and the part must not rust or be painted (or is wetted)"))
    if needs.antifriction and material.group != "copper_alloy" and material.grade not in needs.named:
        found.append(("duty", "a plain bearing is made of a bearing alloy (the catalogue's copper alloys)"))
    if needs.hardness is not None:
        ok, code = treatment_for(material, needs.hardness)
        if not ok:
            found.append(("hardness", f"it cannot reach {needs.hardness.text} ({reachable_text(material)})"))
        elif code not in {None, "normalizing"} and limits.no_heat_treatment:
            found.append(("heat", f"it needs {TREATMENT_NAMES[code]}, which the constraints exclude"))
    return found


def _hardness_term(material: Material, needs: Needs, code: str | None) -> float:
    if needs.hardness is not None:
        ceiling = material.max_hrc
        if code is None and material.supplied_hb:
            ceiling = to_hrc(material.supplied_hb, "HB")
        return 1.0 if ceiling is None or ceiling - needs.hardness.high_hrc >= 0 else 0.85
    if needs.surface:
        if material.hardening in {"case", "nitriding"} or material.induction:
            return 1.0
        return 0.7 if material.hardening == "through" else 0.2
    return 1.0


def _environment_term(material: Material, words: frozenset[str]) -> float:
    terms = [1.0]
    if words & SEVERE:
        terms.append({"stainless": 1.0, "copper_alloy": 0.8, "aluminium": 0.6}.get(material.group, 0.2))
    if words & WEATHER:
        terms.append({"stainless": 1.0, "copper_alloy": 0.8, "aluminium": 0.8}.get(material.group, 0.5))
    return min(terms)


def terms(material: Material, needs: Needs, code: str | None) -> dict[str, float]:
    """The five terms of the score, each 0..1."""
    needed = (HOUSING_TENSILE if needs.kind == "housing" else NEEDED_TENSILE)[needs.load or "medium"]
    return {
        "strength": min(1.0, (material.tensile_mpa or needed / 2) / needed),
        "hardness": _hardness_term(material, needs, code),
        "machinability": min(1.0, material.machinability),
        "cost": COST_SCORE.get(material.cost_class, 0.6),
        "environment": _environment_term(material, needs.environment),
    }


def score(values: dict[str, float], low_cost: bool) -> float:
    """The weighted sum of the terms (the cost weight doubled for a low-cost request), 0..1."""
    weights = dict(WEIGHTS, cost=WEIGHTS["cost"] * (2 if low_cost else 1))
    return sum(weights[k] * values[k] for k in weights) / sum(weights.values())


def _reasons(material: Material, needs: Needs, code: str | None, values: dict[str, float], total: float) -> list[str]:
    parts = ", ".join(f"{k} {v:.2f}" for k, v in values.items())
    reasons = [f"score {total:.2f} ({parts})"]
    if needs.hardness is not None:
        reasons.append(f"reaches {needs.hardness.text} by {TREATMENT_NAMES.get(code, code or 'as supplied')}")
    elif needs.surface:
        reasons.append(f"working surfaces: {reachable_text(material)}")
    if material.tensile_mpa:
        reasons.append(
            f"tensile strength {material.tensile_mpa:g} MPa as supplied, for a {needs.load or 'medium'} load"
        )
    exposed = needs.environment & (SEVERE | WEATHER)
    if exposed and material.group not in {"stainless", "copper_alloy"}:
        reasons.append(f"needs a protective coating for {', '.join(sorted(exposed))} service")
    elif exposed and material.group == "stainless":
        reasons.append(f"corrosion-resistant for {', '.join(sorted(exposed))} service")
    if needs.antifriction:
        reasons.append("a bearing alloy for plain-bearing duty")
    if needs.limits.no_imported:
        reasons.append("a GOST grade of the catalogue (no imported steels)")
    if material.grade in needs.named:
        reasons.append("named in the request")
    return reasons


def rank(materials: Sequence[Material], needs: Needs, top: int = 3) -> list[Ranked]:
    """The admissible grades, best first (named grades first), at most `top` of them."""
    ranked = []
    for material in materials:
        if exclusions(material, needs):
            continue
        code = treatment_for(material, needs.hardness)[1] if needs.hardness else None
        values = terms(material, needs, code)
        total = round(score(values, needs.limits.low_cost), 3)
        ranked.append(Ranked(material, total, code, tuple(_reasons(material, needs, code, values, total))))
    ranked.sort(
        key=lambda r: (r.material.grade not in needs.named, -r.score, -(r.material.tensile_mpa or 0), r.material.grade)
    )
    if not ranked and needs.limits.named and not needs.limits.only:  # a group the request names is a wish
        return rank(materials, replace(needs, limits=replace(needs.limits, named=frozenset())), top)
    return ranked[:top]
